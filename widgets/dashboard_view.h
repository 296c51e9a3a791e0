#pragma once
// The system-health dashboard: the runbook's five metrics as tiles, plus the cluster
// summary, in a grid. Wiring only: data comes from HealthHistoryModel and snapshots.
#include "../backends/cluster_backend.h"
#include "../models/health_metric.h"

#include <QWidget>

#include <array>

namespace opsdeck::models {
class HealthHistoryModel;
}

namespace opsdeck::widgets {

class ClusterSummaryPanel;
class MetricTile;

class DashboardView : public QWidget {
    Q_OBJECT
public:
    DashboardView(models::HealthHistoryModel *history, QWidget *parent = nullptr);
    ~DashboardView() override = default;

    MetricTile *tile(models::HealthMetric metric) const;
    ClusterSummaryPanel *summary() const { return m_summary; }
    void setWindowMs(qint64 windowMs);

private:
    std::array<MetricTile *, models::kHealthMetricCount> m_tiles{};
    ClusterSummaryPanel *m_summary = nullptr;
};

} // namespace opsdeck::widgets
