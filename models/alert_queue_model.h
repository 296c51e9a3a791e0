#pragma once
// The console's alert queue as a table: one row per alert the AlertQueue holds
// (firing, or resolved within retention). Fed whole snapshots; merges them in place by
// fingerprint (rows removed, changed rows dataChanged, new rows appended) so the
// user's selection and scroll position survive every tick. Sort with a proxy on
// SortRole: rows stay in arrival order here.
#include "backends/telemetry/alerting/alert_queue.h"

#include <QAbstractTableModel>
#include <QColor>

#include <vector>

namespace opsdeck::models {

class AlertQueueModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QueuedAlert = telemetry::alerting::QueuedAlert;
    using Fingerprint = telemetry::alerting::Fingerprint;

    enum Columns {
        SeverityColumn,
        AlertColumn,          // alertname
        ServiceColumn,
        StateColumn,          // firing / silenced / inhibited / resolved
        SinceColumn,          // startsAt, UTC
        ValueColumn,
        SummaryColumn,
        DeadlineColumn,       // countdown to the response deadline
        AcknowledgedByColumn,
        NUM_COLUMNS
    };
    enum Roles {
        SortRole = Qt::UserRole, // raw value per column: severity rank, epoch ms, countdown ms...
        FingerprintRole,         // quint64, any column
        SeverityRole,            // int: 1..4 = P1..P4, 5 = unknown
        ResolvedRole,            // bool
        SuppressedRole,          // bool: silenced or inhibited
        DeadlineMsRole,          // qint64 epoch ms, or invalid without a deadline
    };

    explicit AlertQueueModel(QObject *parent = nullptr);
    ~AlertQueueModel() override = default;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Merge a snapshot taken at nowMs (epoch ms of simulated time).
    void setAlerts(const std::vector<QueuedAlert> &alerts, qint64 nowMs);
    void setQueue(const telemetry::alerting::AlertQueue &queue, qint64 nowMs)
    {
        setAlerts(queue.snapshot(nowMs), nowMs);
    }

    const QueuedAlert &alertAt(int row) const { return m_rows[size_t(row)]; }
    int rowOf(Fingerprint fp) const; // -1 when absent
    qint64 nowMs() const { return m_nowMs; }

    // "4m 12s", "1h 05m", "2d 3h": the largest two units.
    static QString formatDuration(qint64 ms);
    // The Deadline column's text: countdown, "OVERDUE 2m 10s", "met", "breached by 30m".
    static QString deadlineText(const QueuedAlert &alert);
    static QColor severityColor(telemetry::alerting::Severity severity);

private:
    QVariant displayData(const QueuedAlert &a, int column) const;
    QVariant sortData(const QueuedAlert &a, int column) const;
    QString toolTip(const QueuedAlert &a) const;

    std::vector<QueuedAlert> m_rows;
    qint64 m_nowMs = 0;
};

} // namespace opsdeck::models
