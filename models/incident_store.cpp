#include "models/incident_store.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <sqlite3.h>

namespace opsdeck::models {
namespace {

std::string json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString();
}
QString q(const std::string &s) { return QString::fromStdString(s); }

bool isActive(IncidentState state)
{
    return state != IncidentState::Resolved && state != IncidentState::Cancelled;
}

std::optional<int64_t> optionalColumn(Statement &row, int column)
{
    if (row.columnIsNull(column))
        return std::nullopt;
    return row.columnInt(column);
}

} // namespace

Result<int64_t> IncidentStore::createIncident(const NewIncident &incident, const std::string &actor)
{
    if (incident.title.empty())
        return Error{"incident: the title is empty"};
    if (incident.severity < 1 || incident.severity > 4)
        return Error{"incident \"" + incident.title + "\": severity must be P1..P4, got "
                     + std::to_string(incident.severity)};
    if (incident.commander.empty())
        return Error{"incident \"" + incident.title + "\": an incident needs a commander"};
    Transaction transaction(m_db);
    if (!transaction.began().ok())
        return Error{transaction.began().error()};
    Statement insert(m_db, "INSERT INTO incidents (title, severity, state, created_at_ms, "
                           "source_fingerprint, commander) VALUES (?, ?, 'investigating', ?, ?, ?)");
    insert.bind(1, incident.title).bind(2, incident.severity).bind(3, incident.createdAtMs);
    if (incident.sourceFingerprint.empty())
        insert.bindNull(4);
    else
        insert.bind(4, incident.sourceFingerprint);
    insert.bind(5, incident.commander);
    if (Status done = insert.run(); !done.ok())
        return Error{done.error()};
    const int64_t id = sqlite3_last_insert_rowid(m_db.handle());
    if (!incident.sourceFingerprint.empty()) {
        Statement link(m_db, "INSERT INTO incident_links (incident_id, kind, value) "
                             "VALUES (?, 'alert', ?)");
        link.bind(1, id).bind(2, incident.sourceFingerprint);
        if (Status linked = link.run(); !linked.ok())
            return Error{linked.error()};
    }
    TimelineEntry declared{0, id, incident.createdAtMs, TimelineKind::StatusChange, actor,
                           "Declared P" + std::to_string(incident.severity) + " incident \""
                               + incident.title + "\", commander " + incident.commander,
                           json({{"from", QJsonValue()}, {"to", "investigating"},
                                 {"commander", q(incident.commander)},
                                 {"sourceFingerprint", q(incident.sourceFingerprint)}}),
                           {}};
    if (auto entry = insertTimeline(declared); !entry.ok())
        return Error{entry.error()};
    if (Status committed = transaction.commit(); !committed.ok())
        return Error{committed.error()};
    return id;
}

Result<Incident> IncidentStore::incident(int64_t id)
{
    Incident out;
    if (Status found = requireIncident(id, &out); !found.ok())
        return Error{found.error()};
    return out;
}

Status IncidentStore::requireIncident(int64_t id, Incident *out)
{
    Statement row(m_db, "SELECT id, title, severity, state, created_at_ms, acknowledged_at_ms, "
                        "mitigated_at_ms, resolved_at_ms, ifnull(source_fingerprint, ''), "
                        "commander FROM incidents WHERE id = ?");
    row.bind(1, id);
    const int rc = row.step();
    if (rc == SQLITE_DONE)
        return Error{"incident " + std::to_string(id) + " does not exist"};
    if (rc != SQLITE_ROW)
        return Error{m_db.path() + ": reading incident " + std::to_string(id) + ": " + m_db.lastError()};
    out->id = row.columnInt(0);
    out->title = row.columnText(1);
    out->severity = int(row.columnInt(2));
    out->state = incidentStateFromName(row.columnText(3)).value_or(IncidentState::Investigating);
    out->createdAtMs = row.columnInt(4);
    out->acknowledgedAtMs = optionalColumn(row, 5);
    out->mitigatedAtMs = optionalColumn(row, 6);
    out->resolvedAtMs = optionalColumn(row, 7);
    out->sourceFingerprint = row.columnText(8);
    out->commander = row.columnText(9);
    Statement roles(m_db, "SELECT role, person FROM incident_roles WHERE incident_id = ? "
                          "ORDER BY rowid");
    roles.bind(1, id);
    while (roles.step() == SQLITE_ROW) {
        const std::string role = roles.columnText(0);
        auto &list = role == "operator" ? out->operators
                     : role == "communications" ? out->communications : out->scribes;
        list.push_back(roles.columnText(1));
    }
    return success();
}

Result<std::vector<Incident>> IncidentStore::incidents()
{
    std::vector<int64_t> ids;
    {
        Statement list(m_db, "SELECT id FROM incidents ORDER BY id");
        if (!list.prepared())
            return Error{list.prepareError()};
        while (list.step() == SQLITE_ROW)
            ids.push_back(list.columnInt(0));
    }
    std::vector<Incident> out(ids.size());
    for (size_t i = 0; i < ids.size(); ++i)
        if (Status read = requireIncident(ids[i], &out[i]); !read.ok())
            return Error{read.error()};
    return out;
}

Status IncidentStore::changeWithEntry(Statement &change, const TimelineEntry &entry)
{
    Transaction transaction(m_db);
    if (!transaction.began().ok())
        return transaction.began();
    if (Status done = change.run(); !done.ok())
        return done;
    if (auto inserted = insertTimeline(entry); !inserted.ok())
        return Error{inserted.error()};
    return transaction.commit();
}

Status IncidentStore::setState(int64_t id, IncidentState to, const std::string &actor, int64_t atMs)
{
    Incident current;
    if (Status found = requireIncident(id, &current); !found.ok())
        return found;
    const std::string from = incidentStateName(current.state);
    if (current.state == to)
        return Error{"incident " + std::to_string(id) + " is already " + from};
    if (!isActive(current.state))
        return Error{"incident " + std::to_string(id) + " is " + from + ": reopen it before "
                     "moving it to " + incidentStateName(to)};
    // mitigated_at is the first time the incident reached monitoring (or was resolved
    // straight away); resolved_at is set on resolution.
    Statement change(m_db, "UPDATE incidents SET state = ?1, "
                           "mitigated_at_ms = CASE WHEN ?1 IN ('monitoring','resolved') "
                           "  THEN ifnull(mitigated_at_ms, ?2) ELSE mitigated_at_ms END, "
                           "resolved_at_ms = CASE WHEN ?1 = 'resolved' THEN ?2 ELSE resolved_at_ms END "
                           "WHERE id = ?3");
    change.bind(1, incidentStateName(to)).bind(2, atMs).bind(3, id);
    TimelineEntry entry{0, id, atMs, TimelineKind::StatusChange, actor,
                        "Status " + from + " -> " + incidentStateName(to),
                        json({{"from", q(from)}, {"to", incidentStateName(to)}}), {}};
    return changeWithEntry(change, entry);
}

Status IncidentStore::reopen(int64_t id, const std::string &actor, const std::string &reason,
                             int64_t atMs)
{
    Incident current;
    if (Status found = requireIncident(id, &current); !found.ok())
        return found;
    if (isActive(current.state))
        return Error{"incident " + std::to_string(id) + " is " + incidentStateName(current.state)
                     + ", not resolved or cancelled: nothing to reopen"};
    if (reason.empty())
        return Error{"incident " + std::to_string(id) + ": reopening needs a reason"};
    Statement change(m_db, "UPDATE incidents SET state = 'investigating', resolved_at_ms = NULL "
                           "WHERE id = ?");
    change.bind(1, id);
    const std::string from = incidentStateName(current.state);
    TimelineEntry entry{0, id, atMs, TimelineKind::StatusChange, actor,
                        "Reopened (" + from + " -> investigating): " + reason,
                        json({{"from", q(from)}, {"to", "investigating"}, {"reopen", true},
                              {"reason", q(reason)}}),
                        {}};
    return changeWithEntry(change, entry);
}

Status IncidentStore::acknowledgeIncident(int64_t id, const std::string &actor, int64_t atMs)
{
    Incident current;
    if (Status found = requireIncident(id, &current); !found.ok())
        return found;
    if (current.acknowledgedAtMs)
        return Error{"incident " + std::to_string(id) + " is already acknowledged"};
    Statement change(m_db, "UPDATE incidents SET acknowledged_at_ms = ? WHERE id = ?");
    change.bind(1, atMs).bind(2, id);
    TimelineEntry entry{0, id, atMs, TimelineKind::Acknowledged, actor,
                        "Acknowledged by " + actor, "{}", {}};
    return changeWithEntry(change, entry);
}

Status IncidentStore::handOverCommand(int64_t id, const std::string &newCommander,
                                      const std::string &actor, int64_t atMs)
{
    Incident current;
    if (Status found = requireIncident(id, &current); !found.ok())
        return found;
    if (newCommander.empty())
        return Error{"incident " + std::to_string(id) + ": command cannot be handed to nobody"};
    if (newCommander == current.commander)
        return Error{"incident " + std::to_string(id) + ": " + newCommander
                     + " is already the commander"};
    Statement change(m_db, "UPDATE incidents SET commander = ? WHERE id = ?");
    change.bind(1, newCommander).bind(2, id);
    TimelineEntry entry{0, id, atMs, TimelineKind::RoleChange, actor,
                        "Command handed over from " + current.commander + " to " + newCommander,
                        json({{"role", "commander"}, {"from", q(current.commander)},
                              {"to", q(newCommander)}}),
                        {}};
    return changeWithEntry(change, entry);
}

Status IncidentStore::assignRole(int64_t id, IncidentRole role, const std::string &person,
                                 const std::string &actor, int64_t atMs)
{
    Incident current;
    if (Status found = requireIncident(id, &current); !found.ok())
        return found;
    if (person.empty())
        return Error{"incident " + std::to_string(id) + ": role needs a person"};
    Statement change(m_db, "INSERT INTO incident_roles (incident_id, role, person) VALUES (?, ?, ?)");
    change.bind(1, id).bind(2, incidentRoleName(role)).bind(3, person);
    TimelineEntry entry{0, id, atMs, TimelineKind::RoleChange, actor,
                        person + " joined as " + incidentRoleName(role),
                        json({{"role", incidentRoleName(role)}, {"assigned", q(person)}}), {}};
    Status status = changeWithEntry(change, entry);
    // The rollback has already reset the error code, so look at the message.
    if (!status.ok() && status.error().find("UNIQUE") != std::string::npos)
        return Error{"incident " + std::to_string(id) + ": " + person + " already is "
                     + incidentRoleName(role)};
    return status;
}

Status IncidentStore::releaseRole(int64_t id, IncidentRole role, const std::string &person,
                                  const std::string &actor, int64_t atMs)
{
    Statement change(m_db, "DELETE FROM incident_roles WHERE incident_id = ? AND role = ? "
                           "AND person = ?");
    change.bind(1, id).bind(2, incidentRoleName(role)).bind(3, person);
    TimelineEntry entry{0, id, atMs, TimelineKind::RoleChange, actor,
                        person + " left " + incidentRoleName(role),
                        json({{"role", incidentRoleName(role)}, {"released", q(person)}}), {}};
    Transaction transaction(m_db);
    if (!transaction.began().ok())
        return transaction.began();
    if (Status done = change.run(); !done.ok())
        return done;
    if (sqlite3_changes(m_db.handle()) == 0)
        return Error{"incident " + std::to_string(id) + ": " + person + " is not "
                     + incidentRoleName(role)};
    if (auto inserted = insertTimeline(entry); !inserted.ok())
        return Error{inserted.error()};
    return transaction.commit();
}

} // namespace opsdeck::models
