#pragma once
// One of the runbook's system-health metrics as a dashboard tile: title, P1/P2 badge,
// the current value big and coloured by state, the threshold, and a chart of the last
// window. Reads everything from HealthHistoryModel; refreshes once per model change.
#include "../models/health_metric.h"

#include <QFrame>

class QLabel;

namespace opsdeck::models {
class HealthHistoryModel;
}

namespace opsdeck::widgets {

class MetricChart;

class MetricTile : public QFrame {
    Q_OBJECT
public:
    MetricTile(models::HealthMetric metric, models::HealthHistoryModel *history,
               QWidget *parent = nullptr);
    ~MetricTile() override = default;

    models::HealthMetric metric() const { return m_metric; }
    void setWindowMs(qint64 windowMs);
    qint64 windowMs() const { return m_windowMs; }

    bool isBreached() const { return m_breached; }
    QString valueText() const;
    MetricChart *chart() const { return m_chart; }

public Q_SLOTS:
    void refresh();

private:
    void applyState(bool breached, bool hasData);

    models::HealthMetric m_metric;
    models::HealthHistoryModel *m_history;
    qint64 m_windowMs = 15 * 60 * 1000;
    bool m_breached = false;
    int m_appliedState = -1;   // restyling is costly: only when the state changes
    QLabel *m_title = nullptr;
    QLabel *m_badge = nullptr;
    QLabel *m_value = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_threshold = nullptr;
    MetricChart *m_chart = nullptr;
};

} // namespace opsdeck::widgets
