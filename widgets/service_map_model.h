#pragma once
// The service map's nodes as an item model: one row per runbook component, updated in
// place from each ClusterSnapshot (rows only ever get appended, when a cluster reports a
// component the catalogue does not know). The map view paints from it; other views
// (a list for screen readers, tests) can use the roles.
#include "map_health.h"

#include <QAbstractListModel>

namespace opsdeck::widgets {

class ServiceMapModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        ComponentIdRole = Qt::UserRole + 1, // QString "agent-orchestrator"
        GroupRole,          // QString "TOOL SERVICES"
        HealthRole,         // int, map::Health
        HealthLabelRole,    // QString "P1", "OK"
        ReadyRole,          // int, over the regions taking traffic
        DesiredRole,        // int
        RequestRateRole,    // double, requests/s
        ErrorRatioRole,     // double, 0..1
        LatencyP99Role,     // double, seconds
        UtilizationRole,    // double, 0..1 (may exceed 1)
        ReasonsRole,        // QStringList, worst first
        AlertCountRole,     // int, firing alerts attributed to the component
    };

    explicit ServiceMapModel(QObject *parent = nullptr);
    ~ServiceMapModel() override = default;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setSnapshot(const backends::ClusterSnapshot &snapshot);

    const map::MapState &state() const { return m_state; }
    const map::MapNode &node(int row) const { return m_state.nodes[std::size_t(row)]; }
    int rowOf(const QString &componentId) const; // -1 when unknown

Q_SIGNALS:
    // Regions or cluster-wide alerts changed (they are not rows); nodes signal dataChanged.
    void stateChanged();

private:
    map::MapState m_state;
};

} // namespace opsdeck::widgets
