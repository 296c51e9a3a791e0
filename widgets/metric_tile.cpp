#include "metric_tile.h"

#include "../models/health_history_model.h"
#include "metric_chart.h"
#include "theme.h"
#include "widgets_tr.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

namespace opsdeck::widgets {

namespace {
QString cssColor(const QColor &c)
{
    return c.name(QColor::HexArgb);
}
} // namespace

MetricTile::MetricTile(models::HealthMetric metric, models::HealthHistoryModel *history,
                       QWidget *parent)
    : QFrame(parent)
    , m_metric(metric)
    , m_history(history)
{
    const auto &info = models::healthMetricInfo(metric);
    setObjectName(QStringLiteral("metricTile"));
    setFrameShape(QFrame::NoFrame);
    setAutoFillBackground(true);
    setMinimumSize(300, 220);

    m_title = new QLabel(info.title, this);
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_title->setToolTip(QString::fromLatin1(info.runbookName));

    m_badge = new QLabel(models::severityName(info.severity), this);
    //: Tooltip of the P1/P2 badge on a dashboard tile
    m_badge->setToolTip(info.severity == models::Severity::P1
                            ? Tr::tr("Breach raises a P1 alert: immediate response")
                            : Tr::tr("Breach raises a P2 alert: response within 1 hour"));
    m_badge->setAlignment(Qt::AlignCenter);
    m_badge->setStyleSheet(QStringLiteral("QLabel { background: %1; color: #111; border-radius: 4px;"
                                          " padding: 1px 8px; font-weight: bold; }")
                               .arg(cssColor(theme::severity(info.severity))));

    m_value = new QLabel(this);
    QFont valueFont = font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * 2.6);
    valueFont.setWeight(QFont::Bold);
    m_value->setFont(valueFont);

    m_state = new QLabel(this);
    QFont stateFont = font();
    stateFont.setWeight(QFont::Bold);
    m_state->setFont(stateFont);

    //: Threshold of a health metric, e.g. "threshold > 10,000 /min"
    m_threshold = new QLabel(Tr::tr("threshold %1").arg(models::formatThreshold(metric)), this);
    m_threshold->setStyleSheet(QStringLiteral("color: %1").arg(cssColor(theme::muted())));

    m_chart = new MetricChart(this);
    m_chart->setThreshold(info.threshold * info.displayScale,
                          info.breach == models::Breach::Above ? MetricChart::BadSide::Above
                                                               : MetricChart::BadSide::Below,
                          theme::severity(info.severity));
    if (info.displayScale == 100 && info.breach == models::Breach::Below)
        m_chart->setValueCeiling(100); // a success ratio cannot pass 100 %

    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_badge);
    auto *valueRow = new QHBoxLayout;
    valueRow->addWidget(m_value, 0, Qt::AlignBottom);
    valueRow->addStretch(1);
    auto *side = new QVBoxLayout;
    side->addStretch(1);
    side->addWidget(m_state, 0, Qt::AlignRight);
    side->addWidget(m_threshold, 0, Qt::AlignRight);
    valueRow->addLayout(side);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 10, 14, 8);
    layout->setSpacing(2);
    layout->addLayout(header);
    layout->addLayout(valueRow);
    layout->addWidget(m_chart, 1);

    if (m_history) {
        connect(m_history, &QAbstractItemModel::rowsInserted, this, &MetricTile::refresh);
        connect(m_history, &QAbstractItemModel::modelReset, this, &MetricTile::refresh);
    }
    refresh();
}

void MetricTile::setWindowMs(qint64 windowMs)
{
    m_windowMs = std::max<qint64>(60 * 1000, windowMs);
    refresh();
}

QString MetricTile::valueText() const
{
    return m_value->text();
}

void MetricTile::refresh()
{
    if (!m_history || m_history->isEmpty()) {
        m_value->setText(models::formatHealthValue(m_metric, qQNaN()));
        m_chart->setPoints({}, 0, m_windowMs);
        applyState(false, false);
        return;
    }
    const double value = models::healthValue(m_history->latest(), m_metric);
    m_value->setText(models::formatHealthValue(m_metric, value));

    const std::int64_t to = m_history->latestTimeMs();
    const std::int64_t from = to - m_windowMs;
    QList<QPointF> points = m_history->points(m_metric, from, to);
    const std::int64_t offset = m_history->epochOffsetMs();
    for (QPointF &p : points)
        p.setX(p.x() + double(offset));
    m_chart->setPoints(points, from + offset, to + offset);
    applyState(models::isBreach(m_metric, value), true);
}

void MetricTile::applyState(bool breached, bool hasData)
{
    m_breached = breached;
    const int state = !hasData ? 0 : breached ? 2 : 1;
    if (state == m_appliedState)
        return;
    m_appliedState = state;
    const auto &info = models::healthMetricInfo(m_metric);
    const QColor stateColor = !hasData ? theme::muted()
                              : breached ? theme::severity(info.severity)
                                         : theme::ok();
    m_value->setStyleSheet(QStringLiteral("color: %1").arg(cssColor(stateColor)));
    m_state->setStyleSheet(QStringLiteral("color: %1").arg(cssColor(stateColor)));
    //: State of a health metric on its tile
    m_state->setText(!hasData ? Tr::tr("NO DATA") : breached ? Tr::tr("BREACH") : Tr::tr("OK"));
    m_chart->setLineColor(breached ? stateColor : theme::ok().lighter(110));
    // The tile's edge carries the state too, readable from across the room.
    setStyleSheet(QStringLiteral("#metricTile { background: %1; border-radius: 6px;"
                                 " border-top: 4px solid %2; }")
                      .arg(cssColor(theme::panel()), cssColor(stateColor)));
    setProperty("breached", breached);
}

} // namespace opsdeck::widgets
