#include "service_map_model.h"

namespace opsdeck::widgets {

using map::MapNode;

ServiceMapModel::ServiceMapModel(QObject *parent) : QAbstractListModel(parent) {}

int ServiceMapModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_state.nodes.size());
}

QVariant ServiceMapModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MapNode &n = node(index.row());
    switch (role) {
    case Qt::DisplayRole: return n.title;
    case Qt::ToolTipRole: return n.reasons.join(QLatin1Char('\n'));
    case Qt::AccessibleTextRole:
        return QStringLiteral("%1: %2, %3/%4").arg(n.title, map::healthLabel(n.health)).arg(n.ready).arg(n.desired);
    case ComponentIdRole: return n.id;
    case GroupRole: return n.group;
    case HealthRole: return int(n.health);
    case HealthLabelRole: return map::healthLabel(n.health);
    case ReadyRole: return n.ready;
    case DesiredRole: return n.desired;
    case RequestRateRole: return n.requestsPerSec;
    case ErrorRatioRole: return n.errorRatio;
    case LatencyP99Role: return n.latencyP99Sec;
    case UtilizationRole: return n.utilization;
    case ReasonsRole: return n.reasons;
    case AlertCountRole: return int(n.alerts.size());
    default: return {};
    }
}

QHash<int, QByteArray> ServiceMapModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(ComponentIdRole, "componentId");
    names.insert(GroupRole, "group");
    names.insert(HealthRole, "health");
    names.insert(HealthLabelRole, "healthLabel");
    names.insert(ReadyRole, "ready");
    names.insert(DesiredRole, "desired");
    names.insert(RequestRateRole, "requestRate");
    names.insert(ErrorRatioRole, "errorRatio");
    names.insert(LatencyP99Role, "latencyP99");
    names.insert(UtilizationRole, "utilization");
    names.insert(ReasonsRole, "reasons");
    names.insert(AlertCountRole, "alertCount");
    return names;
}

int ServiceMapModel::rowOf(const QString &componentId) const
{
    for (std::size_t i = 0; i < m_state.nodes.size(); ++i)
        if (m_state.nodes[i].id == componentId)
            return int(i);
    return -1;
}

void ServiceMapModel::setSnapshot(const backends::ClusterSnapshot &snapshot)
{
    map::MapState next = map::buildMapState(snapshot);
    // The catalogue comes first in every state, so existing rows keep their ids; a new
    // component only ever appends. Should a cluster drop one, reset rather than guess.
    bool sameRows = next.nodes.size() >= m_state.nodes.size();
    for (std::size_t i = 0; sameRows && i < m_state.nodes.size(); ++i)
        sameRows = next.nodes[i].id == m_state.nodes[i].id;
    if (!sameRows) {
        beginResetModel();
        m_state = std::move(next);
        endResetModel();
        Q_EMIT stateChanged();
        return;
    }
    const int oldRows = int(m_state.nodes.size());
    const int newRows = int(next.nodes.size());
    if (newRows > oldRows) {
        beginInsertRows({}, oldRows, newRows - 1);
        m_state = std::move(next);
        endInsertRows();
    } else {
        m_state = std::move(next);
    }
    if (oldRows > 0)
        Q_EMIT dataChanged(index(0), index(oldRows - 1));
    Q_EMIT stateChanged();
}

} // namespace opsdeck::widgets
