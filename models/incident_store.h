#pragma once
// Incidents and everything hanging off them, on one connection, synchronously. The
// writer thread (ConsoleDatabaseWriter) owns a store over the write connection; readers
// make their own store over a read-only connection. Each mutating call is one
// transaction: the lifecycle change and its timeline entry commit together or not at all.
#include "models/console_database.h"
#include "models/incident_records.h"

namespace opsdeck::models {

class IncidentStore {
public:
    explicit IncidentStore(DatabaseConnection &db) : m_db(db) {}
    DatabaseConnection &connection() { return m_db; }

    // Incidents and their lifecycle. Rules: severity 1..4, a non-empty commander;
    // active states (investigating, identified, monitoring) move freely among themselves
    // and to resolved/cancelled; resolved and cancelled leave only through reopen().
    Result<int64_t> createIncident(const NewIncident &incident, const std::string &actor);
    Result<Incident> incident(int64_t id);
    Result<std::vector<Incident>> incidents();
    Status setState(int64_t id, IncidentState to, const std::string &actor, int64_t atMs);
    Status reopen(int64_t id, const std::string &actor, const std::string &reason, int64_t atMs);
    Status acknowledgeIncident(int64_t id, const std::string &actor, int64_t atMs);
    Status handOverCommand(int64_t id, const std::string &newCommander,
                           const std::string &actor, int64_t atMs);
    Status assignRole(int64_t id, IncidentRole role, const std::string &person,
                      const std::string &actor, int64_t atMs);
    Status releaseRole(int64_t id, IncidentRole role, const std::string &person,
                       const std::string &actor, int64_t atMs);

    // Timeline: single commit (one transaction per entry) or one transaction per batch.
    Result<int64_t> appendTimeline(const TimelineEntry &entry);
    Result<std::vector<int64_t>> appendTimelineBatch(const std::vector<TimelineEntry> &entries);
    Result<std::vector<TimelineEntry>> timeline(int64_t incidentId, int64_t afterId = 0);

    // Alert acknowledgements; ending one records when its alert resolved.
    Result<int64_t> acknowledgeAlert(const std::string &fingerprint, const std::string &who,
                                     const std::string &comment, int64_t atMs);
    Status endAcknowledgements(const std::string &fingerprint, int64_t resolvedAtMs);
    Result<std::vector<Acknowledgement>> acknowledgements(const std::string &fingerprint);

    // Status-page updates (Issue / Status / Impact / Started + text, stamped), each also
    // a status_update timeline entry.
    Result<int64_t> addStatusUpdate(const StatusUpdate &update, const std::string &actor);
    Result<std::vector<StatusUpdate>> statusUpdates(int64_t incidentId);

    // Links (schema v4): adding one that exists is not an error (nothing changes).
    Status addLink(const IncidentLink &link);
    Result<std::vector<IncidentLink>> links(int64_t incidentId);
    // Stakeholder notices, each with a note on the timeline in the same transaction.
    Result<int64_t> notifyStakeholder(int64_t incidentId, Stakeholder stakeholder,
                                      const std::string &who, int64_t atMs);
    Result<std::vector<StakeholderNotice>> stakeholderNotices(int64_t incidentId);
    // Postmortem follow-ups.
    Result<int64_t> addFollowUp(const FollowUp &followUp);
    Status setFollowUpDone(int64_t followUpId, bool done);
    Result<std::vector<FollowUp>> followUps(int64_t incidentId);

    Status setSetting(const std::string &key, const std::string &value);
    std::optional<std::string> setting(const std::string &key);

    // The alert evaluator's state: saving replaces the whole set in one transaction
    // (alerts that went away are gone), restoring returns it as saved.
    Status saveAlertStates(const std::vector<PersistedAlert> &alerts);
    Result<std::vector<PersistedAlert>> restoreAlertStates();

private:
    Result<int64_t> insertTimeline(const TimelineEntry &entry); // inside a transaction
    Status requireIncident(int64_t id, Incident *out);
    // Runs `change` and appends `entry` in one transaction.
    Status changeWithEntry(Statement &change, const TimelineEntry &entry);

    DatabaseConnection &m_db;
};

} // namespace opsdeck::models
