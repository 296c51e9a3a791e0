#pragma once
// The incidents as a table, newest last. setIncidents() resets; upsertIncident() merges
// one changed or new incident in place (dataChanged / beginInsertRows) so the view keeps
// its selection while incidents evolve.
#include "models/incident_records.h"

#include <QAbstractTableModel>

#include <vector>

namespace opsdeck::models {

class IncidentListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { IdColumn, SeverityColumn, TitleColumn, StateColumn, CommanderColumn,
                   CreatedColumn, AgeColumn, DeadlineColumn, NUM_COLUMNS };
    enum Roles {
        IncidentIdRole = Qt::UserRole, // qint64, any column
        SeverityRole,                  // int 1..4
        StateRole,                     // int, an IncidentState
        SortRole,                      // raw value per column
        // qint64 ms left to the runbook's response deadline (negative: overdue); null
        // once acknowledged or closed. Needs setNowMs().
        CountdownRole,
        OverdueRole,                   // bool: unacknowledged past its deadline
    };

    explicit IncidentListModel(QObject *parent = nullptr);
    ~IncidentListModel() override = default;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    void setIncidents(std::vector<Incident> incidents);
    void upsertIncident(const Incident &incident);
    int rowOf(int64_t incidentId) const; // -1 when absent
    // The clock the Age and Deadline columns count on (simulated when simulating);
    // they change with it (dataChanged on those two columns only).
    void setNowMs(int64_t nowMs);
    int64_t nowMs() const { return m_nowMs; }

private:
    std::optional<int64_t> countdownMs(const Incident &incident) const;

    std::vector<Incident> m_incidents;
    int64_t m_nowMs = 0;
};

} // namespace opsdeck::models
