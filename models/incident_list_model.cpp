#include "models/incident_list_model.h"

#include <QDateTime>

namespace opsdeck::models {

IncidentListModel::IncidentListModel(QObject *parent) : QAbstractTableModel(parent) {}

int IncidentListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_incidents.size());
}

int IncidentListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant IncidentListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Incident &i = m_incidents[size_t(index.row())];
    switch (role) {
    case IncidentIdRole: return qint64(i.id);
    case SeverityRole: return i.severity;
    case StateRole: return int(i.state);
    case Qt::DisplayRole:
    case SortRole:
        switch (Columns(index.column())) {
        case IdColumn: return qint64(i.id);
        case SeverityColumn:
            return role == SortRole ? QVariant(i.severity) : QVariant(QStringLiteral("P%1").arg(i.severity));
        case TitleColumn: return QString::fromStdString(i.title);
        case StateColumn:
            return role == SortRole ? QVariant(int(i.state))
                                    : QVariant(QString::fromLatin1(incidentStateName(i.state)));
        case CommanderColumn: return QString::fromStdString(i.commander);
        case CreatedColumn:
            return role == SortRole ? QVariant(qint64(i.createdAtMs))
                                    : QVariant(QDateTime::fromMSecsSinceEpoch(i.createdAtMs, Qt::UTC)
                                                   .toString(Qt::ISODate));
        case NUM_COLUMNS: break;
        }
        return {};
    default: return {};
    }
}

QVariant IncidentListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Columns(section)) {
    case IdColumn: return tr("#");
    case SeverityColumn: return tr("Severity");
    case TitleColumn: return tr("Title");
    case StateColumn: return tr("State");
    case CommanderColumn: return tr("Commander");
    case CreatedColumn: return tr("Declared");
    case NUM_COLUMNS: break;
    }
    return {};
}

void IncidentListModel::setIncidents(std::vector<Incident> incidents)
{
    beginResetModel();
    m_incidents = std::move(incidents);
    endResetModel();
}

int IncidentListModel::rowOf(int64_t incidentId) const
{
    for (size_t row = 0; row < m_incidents.size(); ++row)
        if (m_incidents[row].id == incidentId)
            return int(row);
    return -1;
}

void IncidentListModel::upsertIncident(const Incident &incident)
{
    const int row = rowOf(incident.id);
    if (row >= 0) {
        m_incidents[size_t(row)] = incident;
        emit dataChanged(index(row, 0), index(row, NUM_COLUMNS - 1));
        return;
    }
    const int last = int(m_incidents.size());
    beginInsertRows({}, last, last);
    m_incidents.push_back(incident);
    endInsertRows();
}

} // namespace opsdeck::models
