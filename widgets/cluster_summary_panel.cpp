#include "cluster_summary_panel.h"

#include "theme.h"
#include "widgets_tr.h"

#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace opsdeck::widgets {

ClusterSummaryPanel::ClusterSummaryPanel(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("clusterSummary"));
    setStyleSheet(QStringLiteral("#clusterSummary { background: %1; border-radius: 6px;"
                                 " border-top: 4px solid %2; }")
                      .arg(theme::panel().name(), theme::muted().name(QColor::HexArgb)));
    auto *title = new QLabel(Tr::tr("Cluster"), this);
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);

    auto *form = new QFormLayout;
    form->setHorizontalSpacing(18);
    form->setVerticalSpacing(6);
    //: Rows of the cluster summary panel on the dashboard
    m_region = addRow(form, Tr::tr("Active region"));
    m_sessions = addRow(form, Tr::tr("Active sessions"));
    m_errors = addRow(form, Tr::tr("Error ratio"));
    m_memory = addRow(form, Tr::tr("Max memory / limit"));
    m_safety = addRow(form, Tr::tr("Safety violations"));
    m_deployments = addRow(form, Tr::tr("Deployments ready"));
    m_pods = addRow(form, Tr::tr("Pods running"));
    m_nodes = addRow(form, Tr::tr("Nodes ready"));

    auto *eventsTitle = new QLabel(Tr::tr("Recent events"), this);
    eventsTitle->setFont(titleFont);
    m_events = new QLabel(this);
    m_events->setTextFormat(Qt::RichText);
    m_events->setWordWrap(true);
    m_events->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    //: Shown in the recent events list before anything happened
    m_events->setText(Tr::tr("No events yet"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 10, 14, 10);
    layout->addWidget(title);
    layout->addLayout(form);
    layout->addSpacing(10);
    layout->addWidget(eventsTitle);
    layout->addWidget(m_events, 1);
}

QLabel *ClusterSummaryPanel::addRow(QFormLayout *form, const QString &name)
{
    auto *label = new QLabel(name, this);
    label->setStyleSheet(QStringLiteral("color: %1").arg(theme::muted().name(QColor::HexArgb)));
    auto *value = new QLabel(QStringLiteral("—"), this);
    QFont f = value->font();
    f.setPointSizeF(f.pointSizeF() * 1.2);
    f.setWeight(QFont::DemiBold);
    value->setFont(f);
    form->addRow(label, value);
    return value;
}

void ClusterSummaryPanel::appendEvents(const std::vector<sim::SimEvent> &events)
{
    constexpr std::size_t kShown = 7;
    m_recent.insert(m_recent.end(), events.begin(), events.end());
    if (m_recent.size() > kShown)
        m_recent.erase(m_recent.begin(), m_recent.end() - kShown);
    QStringList lines;
    for (auto it = m_recent.rbegin(); it != m_recent.rend(); ++it) {
        const bool alarming = it->kind == sim::SimEvent::Kind::Fault || !it->ok;
        const QColor color = alarming ? theme::p1() : theme::muted();
        const std::int64_t sec = it->timeMs / 1000;
        const QString when = QStringLiteral("%1:%2:%3")
                                 .arg(sec / 3600, 2, 10, QLatin1Char('0'))
                                 .arg((sec / 60) % 60, 2, 10, QLatin1Char('0'))
                                 .arg(sec % 60, 2, 10, QLatin1Char('0'));
        lines << QStringLiteral("<span style=\"color:%1\">T+%2</span>&nbsp; <span style=\"color:%3\">%4</span>")
                     .arg(theme::muted().name(), when,
                          alarming ? color.name() : palette().color(QPalette::WindowText).name(),
                          QString::fromStdString(it->title).toHtmlEscaped());
    }
    m_events->setText(lines.isEmpty() ? Tr::tr("No events yet") : lines.join(QStringLiteral("<br>")));
}

void ClusterSummaryPanel::showSnapshot(const backends::SnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    const QLocale locale;
    const auto &h = snapshot->health;
    const auto colored = [](QLabel *label, const QString &text, bool bad, const QColor &badColor) {
        label->setText(text);
        label->setStyleSheet(bad ? QStringLiteral("color: %1").arg(badColor.name()) : QString());
    };
    m_region->setText(h.activeRegion.empty() ? QStringLiteral("—")
                                             : QString::fromStdString(h.activeRegion));
    m_sessions->setText(locale.toString(h.activeSessions));
    // Runbook P1: more than 5 % errors; memory above 90 % of the limit is P2.
    colored(m_errors, locale.toString(h.errorRatio * 100, 'f', 2) + QStringLiteral(" %"),
            h.errorRatio > 0.05, theme::p1());
    colored(m_memory, locale.toString(h.memoryUsageRatio * 100, 'f', 1) + QStringLiteral(" %"),
            h.memoryUsageRatio > 0.9, theme::p2());
    //: Safety violations per second
    colored(m_safety, Tr::tr("%1 /s").arg(locale.toString(h.safetyViolationsPerSec, 'f', 2)),
            h.safetyViolationsPerSec > 0, theme::p2());

    if (const auto &inv = snapshot->inventory) {
        int readyDeployments = 0;
        for (const auto &dep : inv->deployments)
            readyDeployments += dep.readyReplicas >= dep.replicas ? 1 : 0;
        int running = 0;
        for (const auto &pod : inv->pods)
            running += pod.phase == sim::PodPhase::Running ? 1 : 0;
        int readyNodes = 0;
        for (const auto &node : inv->nodes)
            readyNodes += node.ready ? 1 : 0;
        const auto ratio = [&locale](int a, std::size_t b) {
            return QStringLiteral("%1 / %2").arg(locale.toString(a), locale.toString(qulonglong(b)));
        };
        colored(m_deployments, ratio(readyDeployments, inv->deployments.size()),
                std::size_t(readyDeployments) < inv->deployments.size(), theme::p2());
        colored(m_pods, ratio(running, inv->pods.size()), std::size_t(running) < inv->pods.size(),
                theme::p2());
        colored(m_nodes, ratio(readyNodes, inv->nodes.size()),
                std::size_t(readyNodes) < inv->nodes.size(), theme::p2());
    }
}

} // namespace opsdeck::widgets
