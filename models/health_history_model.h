#pragma once
// Recent history of the runbook's system-health numbers, one row per sample (oldest
// first), fed by the backend's snapshots. A bounded ring: the oldest rows fall off the
// top as new ones arrive. Charts and tiles read from here, never from the backend.
#include "../backends/cluster_backend.h"
#include "health_metric.h"

#include <QAbstractTableModel>
#include <QPointF>

#include <deque>
#include <vector>

namespace opsdeck::models {

class HealthHistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns {
        TimeColumn,               // simulated time since start
        RequestRateColumn,        // one column per HealthMetric, in its order
        SuccessRateColumn,
        AverageTaskLatencyColumn,
        VcUtilizationColumn,
        InferenceLatencyP99Column,
        NUM_COLUMNS
    };
    enum Roles {
        ValueRole = Qt::UserRole, // double: raw value in snapshot units (time: ms)
        BreachRole,               // bool: value is on the bad side of its threshold
        TimeMsRole,               // qint64: the row's simulated time, any column
    };

    // 4 h of 5 s samples by default: enough for the longest chart window.
    explicit HealthHistoryModel(int capacity = 2880, QObject *parent = nullptr);
    ~HealthHistoryModel() override = default;

    static int columnFor(HealthMetric metric) { return int(metric) + 1; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    int capacity() const { return m_capacity; }
    bool isEmpty() const { return m_rows.empty(); }
    // Newest sample; only valid when !isEmpty().
    const sim::HealthSnapshot &latest() const { return m_rows.back(); }
    std::int64_t latestTimeMs() const { return m_rows.empty() ? 0 : m_rows.back().timeMs; }
    // Epoch ms of simulated time zero, learned from snapshots (for clock-time axes).
    std::int64_t epochOffsetMs() const { return m_epochOffsetMs; }

    // Appends samples (ascending time; ones not newer than the latest row are skipped),
    // in one insert, then trims the oldest rows beyond capacity.
    void append(const std::vector<sim::HealthSnapshot> &samples);
    void clear();

    // Points (x = simulated ms, y = value in display units) of one metric with time in
    // [fromMs, toMs], at most maxPoints: long windows are thinned by keeping, per bucket,
    // the worst value, so a short breach never disappears from the chart.
    QList<QPointF> points(HealthMetric metric, std::int64_t fromMs, std::int64_t toMs,
                          int maxPoints = 720) const;

public Q_SLOTS:
    void onSnapshot(const opsdeck::backends::SnapshotPtr &snapshot);

private:
    std::deque<sim::HealthSnapshot> m_rows;
    int m_capacity;
    std::int64_t m_epochOffsetMs = 0;
};

} // namespace opsdeck::models
