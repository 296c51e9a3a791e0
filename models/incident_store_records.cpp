// IncidentStore: the timeline, acknowledgements, status-page updates, settings and
// persisted alert state (the lifecycle half is incident_store.cpp).
#include "models/incident_store.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <sqlite3.h>

namespace opsdeck::models {

Result<int64_t> IncidentStore::insertTimeline(const TimelineEntry &entry)
{
    if (entry.actor.empty())
        return Error{"timeline entry for incident " + std::to_string(entry.incidentId)
                     + ": no actor"};
    Statement insert(m_db, "INSERT INTO timeline (incident_id, time_ms, kind, actor, text, "
                           "payload, attachment) VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, entry.incidentId).bind(2, entry.timeMs).bind(3, timelineKindName(entry.kind));
    insert.bind(4, entry.actor).bind(5, entry.text);
    insert.bind(6, entry.payloadJson.empty() ? std::string("{}") : entry.payloadJson);
    insert.bindBlob(7, entry.attachment);
    if (Status done = insert.run(); !done.ok()) {
        if ((m_db.lastErrorCode() & 0xff) == SQLITE_CONSTRAINT)
            return Error{"timeline entry: incident " + std::to_string(entry.incidentId)
                         + " does not exist (" + done.error() + ")"};
        return Error{done.error()};
    }
    return sqlite3_last_insert_rowid(m_db.handle());
}

Result<int64_t> IncidentStore::appendTimeline(const TimelineEntry &entry)
{
    Transaction transaction(m_db);
    if (!transaction.began().ok())
        return Error{transaction.began().error()};
    auto id = insertTimeline(entry);
    if (!id.ok())
        return id;
    if (Status committed = transaction.commit(); !committed.ok())
        return Error{committed.error()};
    return id;
}

Result<std::vector<int64_t>> IncidentStore::appendTimelineBatch(const std::vector<TimelineEntry> &entries)
{
    Transaction transaction(m_db);
    if (!transaction.began().ok())
        return Error{transaction.began().error()};
    std::vector<int64_t> ids;
    ids.reserve(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
        auto id = insertTimeline(entries[i]);
        if (!id.ok())
            return Error{"batch entry " + std::to_string(i) + ": " + id.error()
                         + " (nothing of the batch was written)"};
        ids.push_back(*id);
    }
    if (Status committed = transaction.commit(); !committed.ok())
        return Error{committed.error()};
    return ids;
}

Result<std::vector<TimelineEntry>> IncidentStore::timeline(int64_t incidentId, int64_t afterId)
{
    Statement rows(m_db, "SELECT id, time_ms, kind, actor, text, payload, attachment FROM timeline "
                         "WHERE incident_id = ? AND id > ? ORDER BY id");
    if (!rows.prepared())
        return Error{rows.prepareError()};
    rows.bind(1, incidentId).bind(2, afterId);
    std::vector<TimelineEntry> out;
    if (afterId == 0) {
        auto count = m_db.queryInt("SELECT count(*) FROM timeline WHERE incident_id = "
                                   + std::to_string(incidentId));
        if (count.ok())
            out.reserve(size_t(*count));
    }
    int rc;
    while ((rc = rows.step()) == SQLITE_ROW) {
        TimelineEntry &entry = out.emplace_back();
        entry.id = rows.columnInt(0);
        entry.incidentId = incidentId;
        entry.timeMs = rows.columnInt(1);
        entry.kind = timelineKindFromName(rows.columnText(2)).value_or(TimelineKind::Note);
        entry.actor = rows.columnText(3);
        entry.text = rows.columnText(4);
        entry.payloadJson = rows.columnText(5);
        entry.attachment = rows.columnBlob(6);
    }
    if (rc != SQLITE_DONE)
        return Error{m_db.path() + ": reading the timeline of incident "
                     + std::to_string(incidentId) + ": " + m_db.lastError()};
    return out;
}

Result<int64_t> IncidentStore::acknowledgeAlert(const std::string &fingerprint, const std::string &who,
                                                const std::string &comment, int64_t atMs)
{
    if (fingerprint.empty() || who.empty())
        return Error{"acknowledgement: needs an alert fingerprint and who acknowledged"};
    Statement insert(m_db, "INSERT INTO acknowledgements (fingerprint, who, comment, at_ms) "
                           "VALUES (?, ?, ?, ?)");
    insert.bind(1, fingerprint).bind(2, who).bind(3, comment).bind(4, atMs);
    if (Status done = insert.run(); !done.ok())
        return Error{done.error()};
    return sqlite3_last_insert_rowid(m_db.handle());
}

Status IncidentStore::endAcknowledgements(const std::string &fingerprint, int64_t resolvedAtMs)
{
    Statement update(m_db, "UPDATE acknowledgements SET ended_at_ms = ? "
                           "WHERE fingerprint = ? AND ended_at_ms IS NULL");
    update.bind(1, resolvedAtMs).bind(2, fingerprint);
    return update.run();
}

Result<std::vector<Acknowledgement>> IncidentStore::acknowledgements(const std::string &fingerprint)
{
    Statement rows(m_db, "SELECT id, fingerprint, who, comment, at_ms, ended_at_ms "
                         "FROM acknowledgements WHERE fingerprint = ? ORDER BY id");
    if (!rows.prepared())
        return Error{rows.prepareError()};
    rows.bind(1, fingerprint);
    std::vector<Acknowledgement> out;
    while (rows.step() == SQLITE_ROW) {
        Acknowledgement ack{rows.columnInt(0), rows.columnText(1), rows.columnText(2),
                            rows.columnText(3), rows.columnInt(4), std::nullopt};
        if (!rows.columnIsNull(5))
            ack.endedAtMs = rows.columnInt(5);
        out.push_back(std::move(ack));
    }
    return out;
}

Result<int64_t> IncidentStore::addStatusUpdate(const StatusUpdate &update, const std::string &actor)
{
    if (update.issue.empty() || update.status.empty() || update.text.empty())
        return Error{"status update for incident " + std::to_string(update.incidentId)
                     + ": Issue, Status and the update text are required"};
    Transaction transaction(m_db);
    if (!transaction.began().ok())
        return Error{transaction.began().error()};
    Statement insert(m_db, "INSERT INTO status_updates (incident_id, issue, status, impact, "
                           "started_at_ms, text, stamped_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, update.incidentId).bind(2, update.issue).bind(3, update.status);
    insert.bind(4, update.impact).bind(5, update.startedAtMs).bind(6, update.text);
    insert.bind(7, update.stampedAtMs);
    if (Status done = insert.run(); !done.ok())
        return Error{"status update: incident " + std::to_string(update.incidentId) + ": "
                     + done.error()};
    const int64_t id = sqlite3_last_insert_rowid(m_db.handle());
    const QJsonObject payload{{"statusUpdateId", qint64(id)},
                              {"issue", QString::fromStdString(update.issue)},
                              {"status", QString::fromStdString(update.status)},
                              {"impact", QString::fromStdString(update.impact)},
                              {"startedAtMs", qint64(update.startedAtMs)}};
    TimelineEntry entry{0, update.incidentId, update.stampedAtMs, TimelineKind::StatusUpdate,
                        actor, update.text,
                        QJsonDocument(payload).toJson(QJsonDocument::Compact).toStdString(), {}};
    if (auto inserted = insertTimeline(entry); !inserted.ok())
        return Error{inserted.error()};
    if (Status committed = transaction.commit(); !committed.ok())
        return Error{committed.error()};
    return id;
}

Result<std::vector<StatusUpdate>> IncidentStore::statusUpdates(int64_t incidentId)
{
    Statement rows(m_db, "SELECT id, issue, status, impact, started_at_ms, text, stamped_at_ms "
                         "FROM status_updates WHERE incident_id = ? ORDER BY id");
    if (!rows.prepared())
        return Error{rows.prepareError()};
    rows.bind(1, incidentId);
    std::vector<StatusUpdate> out;
    while (rows.step() == SQLITE_ROW)
        out.push_back({rows.columnInt(0), incidentId, rows.columnText(1), rows.columnText(2),
                       rows.columnText(3), rows.columnInt(4), rows.columnText(5),
                       rows.columnInt(6)});
    return out;
}

Status IncidentStore::setSetting(const std::string &key, const std::string &value)
{
    if (key.empty())
        return Error{"setting: empty key"};
    Statement upsert(m_db, "INSERT INTO settings (key, value) VALUES (?, ?) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    upsert.bind(1, key).bind(2, value);
    return upsert.run();
}

std::optional<std::string> IncidentStore::setting(const std::string &key)
{
    Statement row(m_db, "SELECT value FROM settings WHERE key = ?");
    row.bind(1, key);
    if (row.step() != SQLITE_ROW)
        return std::nullopt;
    return row.columnText(0);
}

Status IncidentStore::saveAlertStates(const std::vector<PersistedAlert> &alerts)
{
    Transaction transaction(m_db);
    if (!transaction.began().ok())
        return transaction.began();
    if (Status cleared = m_db.exec("DELETE FROM alert_state"); !cleared.ok())
        return cleared;
    Statement insert(m_db, "INSERT INTO alert_state (fingerprint, labels, state, active_at_ms, "
                           "fired_at_ms, acknowledged_by) VALUES (?, ?, ?, ?, ?, ?)");
    for (const PersistedAlert &alert : alerts) {
        if (alert.firing && !alert.firedAtMs)
            return Error{"alert " + alert.fingerprint + ": firing without a firedAt time"};
        insert.reset();
        insert.bind(1, alert.fingerprint).bind(2, alert.labelsJson.empty() ? "{}" : alert.labelsJson);
        insert.bind(3, alert.firing ? "firing" : "pending").bind(4, alert.activeAtMs);
        insert.bindOptional(5, alert.firedAtMs.value_or(0), alert.firedAtMs.has_value());
        if (alert.acknowledgedBy.empty())
            insert.bindNull(6);
        else
            insert.bind(6, alert.acknowledgedBy);
        if (Status done = insert.run(); !done.ok())
            return Error{"alert " + alert.fingerprint + ": " + done.error()};
    }
    return transaction.commit();
}

Result<std::vector<PersistedAlert>> IncidentStore::restoreAlertStates()
{
    Statement rows(m_db, "SELECT fingerprint, labels, state, active_at_ms, fired_at_ms, "
                         "ifnull(acknowledged_by, '') FROM alert_state ORDER BY fingerprint");
    if (!rows.prepared())
        return Error{rows.prepareError()};
    std::vector<PersistedAlert> out;
    while (rows.step() == SQLITE_ROW) {
        PersistedAlert alert{rows.columnText(0), rows.columnText(1),
                             rows.columnText(2) == "firing", rows.columnInt(3), std::nullopt,
                             rows.columnText(5)};
        if (!rows.columnIsNull(4))
            alert.firedAtMs = rows.columnInt(4);
        out.push_back(std::move(alert));
    }
    return out;
}

} // namespace opsdeck::models
