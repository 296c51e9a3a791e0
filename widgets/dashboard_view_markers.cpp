// DashboardView's markers (faults, actions, rollouts from the event log; alerts fired and
// resolved from snapshots) and the legacy snapshot-tile mode.
#include "dashboard_view.h"
#include "dashboard_view_p.h"

#include "cluster_summary_panel.h"
#include "metric_tile.h"
#include "panel_view.h"
#include "theme.h"
#include "widgets_tr.h"

#include <QDateTime>
#include <QGridLayout>

#include <QCoro/QCoroTask>

namespace opsdeck::widgets {

namespace {
QString utcTime(qint64 epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC).toString(QStringLiteral("HH:mm:ss"));
}

QColor alertColor(telemetry::alerting::Severity s)
{
    switch (s) {
    case telemetry::alerting::Severity::P1:
        return theme::p1();
    case telemetry::alerting::Severity::P2:
        return theme::p2();
    default:
        return theme::muted();
    }
}
} // namespace

void DashboardView::fetchEvents(std::size_t eventCount)
{
    if (m_eventsInFlight || eventCount <= m_eventsFetched)
        return;
    m_eventsInFlight = true;
    QCoro::connect(m_backend->events(m_eventsFetched), this,
                   [this](const Result<std::vector<sim::SimEvent>> &result) {
                       m_eventsInFlight = false;
                       if (!result) {
                           showProblem(Tr::tr("Events for the chart markers: %1")
                                           .arg(QString::fromStdString(result.error())));
                           return;
                       }
                       m_eventsFetched += result->size();
                       for (const sim::SimEvent &e : *result) {
                           ChartMarker m;
                           m.epochMs = e.timeMs + m_epochOffsetMs;
                           const QString title = QString::fromStdString(e.title);
                           switch (e.kind) {
                           case sim::SimEvent::Kind::Fault:
                               m.glyph = QStringLiteral("⚡");
                               m.color = theme::p1();
                               break;
                           case sim::SimEvent::Kind::Action:
                               m.glyph = QStringLiteral("●");
                               m.color = e.ok ? palette().color(QPalette::Highlight) : theme::p1();
                               break;
                           case sim::SimEvent::Kind::Rollout:
                               m.glyph = QStringLiteral("◆");
                               m.color = palette().color(QPalette::Highlight);
                               break;
                           default:
                               continue; // scaling and kube events would bury the rest
                           }
                           m.tooltip = utcTime(m.epochMs) + QStringLiteral(" UTC  ") + title;
                           m_eventMarkers << m;
                       }
                       if (auto latest = m_backend->latestSnapshot())
                           updateMarkers(latest);
                   });
}

void DashboardView::updateMarkers(const backends::SnapshotPtr &snapshot)
{
    QList<ChartMarker> alertMarkers;
    std::size_t key = std::size_t(m_eventMarkers.size()) * 1000003u;
    if (snapshot->alerts) {
        for (const auto &qa : *snapshot->alerts) {
            const QString name = QString::fromStdString(qa.alert.labels.get("alertname"));
            const QString severity = QString::fromStdString(telemetry::alerting::severityName(qa.severity));
            ChartMarker fired;
            fired.epochMs = qa.alert.startsAtMs;
            fired.glyph = QStringLiteral("▲");
            fired.color = alertColor(qa.severity);
            //: Chart marker tooltip: an alert started firing
            fired.tooltip = Tr::tr("%1 UTC  %2 fired (%3)").arg(utcTime(fired.epochMs), name, severity);
            alertMarkers << fired;
            key = key * 31 + std::size_t(fired.epochMs) + qHash(name);
            if (qa.resolved && qa.alert.endsAtMs > 0) {
                ChartMarker resolved = fired;
                resolved.epochMs = qa.alert.endsAtMs;
                resolved.glyph = QStringLiteral("▼");
                resolved.color = theme::ok();
                //: Chart marker tooltip: an alert resolved
                resolved.tooltip = Tr::tr("%1 UTC  %2 resolved").arg(utcTime(resolved.epochMs), name);
                alertMarkers << resolved;
                key = key * 31 + std::size_t(resolved.epochMs);
            }
        }
    }
    if (key == m_markerKey)
        return; // unchanged: charts keep what they draw
    m_markerKey = key;
    m_markers = m_eventMarkers + alertMarkers;
    for (auto &page : m_pages)
        for (PanelView *view : page->views)
            view->setMarkers(m_markers);
}

// --- Legacy: snapshot tiles -------------------------------------------------------------

DashboardView::DashboardView(models::HealthHistoryModel *history, QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("dashboards"));
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(10, 10, 10, 10);
    grid->setSpacing(10);
    int cell = 0;
    for (models::HealthMetric metric : models::allHealthMetrics()) {
        auto *tile = new MetricTile(metric, history, this);
        tile->setObjectName(QString::fromLatin1(models::healthMetricInfo(metric).runbookName));
        m_tiles[std::size_t(metric)] = tile;
        grid->addWidget(tile, cell / 3, cell % 3);
        ++cell;
    }
    m_summary = new ClusterSummaryPanel(this);
    grid->addWidget(m_summary, cell / 3, cell % 3);
    for (int c = 0; c < 3; ++c)
        grid->setColumnStretch(c, 1);
    for (int r = 0; r < 2; ++r)
        grid->setRowStretch(r, 1);
}

MetricTile *DashboardView::tile(models::HealthMetric metric) const
{
    return m_tiles.at(std::size_t(metric));
}

} // namespace opsdeck::widgets
