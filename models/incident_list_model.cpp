#include "models/incident_list_model.h"

#include "models/response_plan.h"

#include <QDateTime>

#include <cstdlib>
#include <limits>

namespace opsdeck::models {
namespace {
// "2h 05m", "4m 10s", "12s": an incident commander reads it from across the room.
QString shortDuration(int64_t ms)
{
    const int64_t s = std::llabs(ms) / 1000;
    if (s >= 86400)
        return QStringLiteral("%1d %2h").arg(s / 86400).arg((s % 86400) / 3600);
    if (s >= 3600)
        return QStringLiteral("%1h %2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    if (s >= 60)
        return QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1s").arg(s);
}

bool isClosed(const Incident &i)
{
    return i.state == IncidentState::Resolved || i.state == IncidentState::Cancelled;
}
} // namespace

std::optional<int64_t> IncidentListModel::countdownMs(const Incident &incident) const
{
    if (incident.acknowledgedAtMs || isClosed(incident))
        return std::nullopt;
    return responseDeadlineMs(incident.severity, incident.createdAtMs) - m_nowMs;
}

void IncidentListModel::setNowMs(int64_t nowMs)
{
    m_nowMs = nowMs;
    if (!m_incidents.empty())
        emit dataChanged(index(0, AgeColumn), index(rowCount() - 1, DeadlineColumn));
}

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
    case CountdownRole: {
        const auto left = countdownMs(i);
        return left ? QVariant(qint64(*left)) : QVariant();
    }
    case OverdueRole: {
        const auto left = countdownMs(i);
        return left && *left < 0;
    }
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
        case AgeColumn: {
            const int64_t end = i.resolvedAtMs.value_or(m_nowMs);
            return role == SortRole ? QVariant(qint64(end - i.createdAtMs))
                                    : QVariant(shortDuration(end - i.createdAtMs));
        }
        case DeadlineColumn: {
            const auto left = countdownMs(i);
            if (role == SortRole)
                return left ? QVariant(qint64(*left)) : QVariant(std::numeric_limits<qint64>::max());
            if (isClosed(i))
                return QString::fromLatin1(incidentStateName(i.state));
            if (!left)
                return tr("acknowledged");
            return *left < 0 ? tr("OVERDUE %1").arg(shortDuration(*left))
                             : tr("%1 left").arg(shortDuration(*left));
        }
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
    case AgeColumn: return tr("Age");
    case DeadlineColumn: return tr("Response");
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
