// IncidentStore, schema v4 additions: links (which alerts and services an incident is
// about), stakeholder notices and postmortem follow-ups.
#include "models/incident_store.h"

#include <sqlite3.h>

namespace opsdeck::models {

Status IncidentStore::addLink(const IncidentLink &link)
{
    if (link.value.empty())
        return Error{"incident " + std::to_string(link.incidentId) + ": an empty "
                     + incidentLinkKindName(link.kind) + " link"};
    Incident scratch;
    if (Status found = requireIncident(link.incidentId, &scratch); !found.ok())
        return found;
    Statement insert(m_db, "INSERT OR IGNORE INTO incident_links (incident_id, kind, value) "
                           "VALUES (?, ?, ?)");
    insert.bind(1, link.incidentId).bind(2, incidentLinkKindName(link.kind)).bind(3, link.value);
    return insert.run();
}

Result<std::vector<IncidentLink>> IncidentStore::links(int64_t incidentId)
{
    Statement rows(m_db, "SELECT kind, value FROM incident_links WHERE incident_id = ? "
                         "ORDER BY kind, value");
    if (!rows.prepared())
        return Error{rows.prepareError()};
    rows.bind(1, incidentId);
    std::vector<IncidentLink> out;
    int rc;
    while ((rc = rows.step()) == SQLITE_ROW) {
        IncidentLink &link = out.emplace_back();
        link.incidentId = incidentId;
        link.kind = rows.columnText(0) == "service" ? IncidentLinkKind::Service
                                                   : IncidentLinkKind::Alert;
        link.value = rows.columnText(1);
    }
    if (rc != SQLITE_DONE)
        return Error{"reading links of incident " + std::to_string(incidentId) + ": "
                     + m_db.lastError()};
    return out;
}

Result<int64_t> IncidentStore::notifyStakeholder(int64_t incidentId, Stakeholder stakeholder,
                                                 const std::string &who, int64_t atMs)
{
    if (who.empty())
        return Error{"incident " + std::to_string(incidentId) + ": a stakeholder notice needs "
                     "the name of who gave it"};
    Incident scratch;
    if (Status found = requireIncident(incidentId, &scratch); !found.ok())
        return Error{found.error()};
    Transaction transaction(m_db);
    if (!transaction.began().ok())
        return Error{transaction.began().error()};
    Statement insert(m_db, "INSERT INTO stakeholder_notices (incident_id, stakeholder, who, at_ms) "
                           "VALUES (?, ?, ?, ?)");
    insert.bind(1, incidentId).bind(2, stakeholderName(stakeholder)).bind(3, who).bind(4, atMs);
    if (Status done = insert.run(); !done.ok())
        return Error{done.error()};
    const int64_t id = sqlite3_last_insert_rowid(m_db.handle());
    const std::string name = stakeholderName(stakeholder);
    TimelineEntry entry{0, incidentId, atMs, TimelineKind::Note, who,
                        "Notified " + name + " (stakeholder matrix)",
                        "{\"stakeholder\":\"" + name + "\"}", {}};
    if (auto inserted = insertTimeline(entry); !inserted.ok())
        return Error{inserted.error()};
    if (Status committed = transaction.commit(); !committed.ok())
        return Error{committed.error()};
    return id;
}

Result<std::vector<StakeholderNotice>> IncidentStore::stakeholderNotices(int64_t incidentId)
{
    Statement rows(m_db, "SELECT id, stakeholder, who, at_ms FROM stakeholder_notices "
                         "WHERE incident_id = ? ORDER BY id");
    if (!rows.prepared())
        return Error{rows.prepareError()};
    rows.bind(1, incidentId);
    std::vector<StakeholderNotice> out;
    int rc;
    while ((rc = rows.step()) == SQLITE_ROW) {
        const auto stakeholder = stakeholderFromName(rows.columnText(1));
        if (!stakeholder)
            continue; // the CHECK constraint makes this unreachable
        out.push_back({rows.columnInt(0), incidentId, *stakeholder, rows.columnText(2),
                       rows.columnInt(3)});
    }
    if (rc != SQLITE_DONE)
        return Error{"reading stakeholder notices: " + m_db.lastError()};
    return out;
}

Result<int64_t> IncidentStore::addFollowUp(const FollowUp &followUp)
{
    if (followUp.text.empty())
        return Error{"incident " + std::to_string(followUp.incidentId) + ": an empty follow-up"};
    Incident scratch;
    if (Status found = requireIncident(followUp.incidentId, &scratch); !found.ok())
        return Error{found.error()};
    Statement insert(m_db, "INSERT INTO follow_ups (incident_id, text, owner, done, created_at_ms) "
                           "VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, followUp.incidentId).bind(2, followUp.text).bind(3, followUp.owner);
    insert.bind(4, int64_t(followUp.done ? 1 : 0)).bind(5, followUp.createdAtMs);
    if (Status done = insert.run(); !done.ok())
        return Error{done.error()};
    return sqlite3_last_insert_rowid(m_db.handle());
}

Status IncidentStore::setFollowUpDone(int64_t followUpId, bool done)
{
    Statement update(m_db, "UPDATE follow_ups SET done = ? WHERE id = ?");
    update.bind(1, int64_t(done ? 1 : 0)).bind(2, followUpId);
    if (Status ran = update.run(); !ran.ok())
        return ran;
    if (sqlite3_changes(m_db.handle()) == 0)
        return Error{"follow-up " + std::to_string(followUpId) + " does not exist"};
    return success();
}

Result<std::vector<FollowUp>> IncidentStore::followUps(int64_t incidentId)
{
    Statement rows(m_db, "SELECT id, text, owner, done, created_at_ms FROM follow_ups "
                         "WHERE incident_id = ? ORDER BY id");
    if (!rows.prepared())
        return Error{rows.prepareError()};
    rows.bind(1, incidentId);
    std::vector<FollowUp> out;
    int rc;
    while ((rc = rows.step()) == SQLITE_ROW)
        out.push_back({rows.columnInt(0), incidentId, rows.columnText(1), rows.columnText(2),
                       rows.columnInt(3) != 0, rows.columnInt(4)});
    if (rc != SQLITE_DONE)
        return Error{"reading follow-ups: " + m_db.lastError()};
    return out;
}

} // namespace opsdeck::models
