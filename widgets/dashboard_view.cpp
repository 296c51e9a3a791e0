#include "dashboard_view.h"

#include "cluster_summary_panel.h"
#include "metric_tile.h"

#include <QGridLayout>

namespace opsdeck::widgets {

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

void DashboardView::setWindowMs(qint64 windowMs)
{
    for (MetricTile *tile : m_tiles)
        tile->setWindowMs(windowMs);
}

} // namespace opsdeck::widgets
