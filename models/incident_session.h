#pragma once
// The console's incident work in one object: it owns the console database (a writer
// thread for every write, a read-only connection for the UI's reads) and watches a
// ClusterBackend, so the timeline builds itself:
//   - every action (ClusterBackend::actionCompleted) goes to the audit log and onto the
//     timeline of every open incident;
//   - alerts firing / resolving / acknowledged (the diff of ClusterSnapshot::alerts
//     between snapshots) go onto the timelines of the open incidents linked to that alert
//     or to its service; a resolution ends the alert's acknowledgements;
//   - people's commands (declare, state, roles, notes, snapshots, status updates,
//     stakeholder notices, follow-ups, the procedure's checks) are written by the writer
//     thread and come back as incidentChanged / timelineChanged.
// Times are the backend's clock (ClusterSnapshot::epochMs: simulated time when
// simulating), or the wall clock before any snapshot.
//
// Opening: open() says what went wrong and which ways forward exist (DatabaseProblem);
// recover() takes the chosen one. Nothing is ever deleted: bad files are moved aside.
#include "backends/cluster_backend.h"
#include "models/console_database.h"
#include "models/incident_records.h"

#include <QImage>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <functional>
#include <map>
#include <memory>
#include <set>

namespace opsdeck::models {

class AuditLog;
class ConsoleDatabaseWriter;
class IncidentStore;

enum class DatabaseRecovery {
    OpenReadOnly,  // look at what is there, change nothing (e.g. another OpsDeck holds it)
    RestoreBackup, // move the bad file aside, copy the automatic backup into place
    StartFresh,    // move the bad file aside, start an empty database
};

struct DatabaseProblem {
    OpenFailure failure = OpenFailure::None; // None: opened fine
    QString path;
    QString message;                 // what SQLite said, with the file name
    QString explanation;             // one sentence for people: what it means
    QList<DatabaseRecovery> offers;  // what the dialog should offer, best first
    QString backupPath;              // empty when there is no backup to restore
    bool ok() const { return failure == OpenFailure::None; }
};
QString recoveryLabel(DatabaseRecovery recovery); // button text

class IncidentSession : public QObject {
    Q_OBJECT
public:
    explicit IncidentSession(QObject *parent = nullptr);
    ~IncidentSession() override; // drains queued writes

    // QStandardPaths::AppDataLocation/opsdeck.sqlite.
    static QString defaultDatabasePath();

    // Opens (creating if needed) the database at `path`. On failure nothing is open and
    // the problem says which recover() choices make sense.
    DatabaseProblem open(const QString &path = defaultDatabasePath());
    DatabaseProblem recover(DatabaseRecovery choice);
    bool isOpen() const { return m_read != nullptr; }
    bool isReadOnly() const { return isOpen() && !m_writer; }
    QString databasePath() const { return m_path; }

    // Watches the backend (actions, alerts); null detaches.
    void attach(backends::ClusterBackend *backend);
    backends::ClusterBackend *backend() const { return m_backend; }

    // Who is at the keyboard: the actor of every command (default: the login name).
    QString user() const { return m_user; }
    void setUser(const QString &user);
    // Now on the backend's clock (simulated when simulating), epoch ms.
    qint64 nowMs() const;

    // --- Reads (UI thread, read-only connection, see everything committed) -------------
    std::vector<Incident> incidents() const;              // cached, id order
    std::optional<Incident> incident(int64_t id) const;   // cached
    std::vector<TimelineEntry> timeline(int64_t id, int64_t afterEntryId = 0) const;
    std::vector<StatusUpdate> statusUpdates(int64_t id) const;
    std::vector<StakeholderNotice> stakeholderNotices(int64_t id) const;
    std::vector<FollowUp> followUps(int64_t id) const;
    std::vector<IncidentLink> links(int64_t id) const;
    std::vector<AuditRecord> auditRecords(int64_t afterId = 0, int limit = 1000) const;
    std::vector<Acknowledgement> alertAcknowledgements(const QString &fingerprint) const;
    // Open incidents linked to the alert (fingerprint) or to its service labels.
    std::vector<int64_t> incidentsForAlert(const telemetry::alerting::QueuedAlert &alert) const;

    // --- Commands (queued to the writer thread; errors arrive as errorOccurred) --------
    // `services` become links, so alerts of those services reach the timeline.
    void declareIncident(const NewIncident &incident, const QStringList &services = {});
    void setState(int64_t id, IncidentState state);
    void reopen(int64_t id, const QString &reason);
    // Acknowledges the incident and its source alert (queue + acknowledgements table).
    void acknowledge(int64_t id, const QString &comment = {});
    void handOverCommand(int64_t id, const QString &newCommander);
    void assignRole(int64_t id, IncidentRole role, const QString &person);
    void releaseRole(int64_t id, IncidentRole role, const QString &person);
    void linkService(int64_t id, const QString &service);
    void addNote(int64_t id, const QString &text);
    // A chart image with its query and time range, as a metric_snapshot entry.
    void pinMetricSnapshot(int64_t id, const QImage &chart, const QString &query,
                           qint64 startMs, qint64 endMs);
    void postStatusUpdate(const StatusUpdate &update);
    void notifyStakeholder(int64_t id, Stakeholder stakeholder);
    void addFollowUp(int64_t id, const QString &text, const QString &owner);
    void setFollowUpDone(int64_t followUpId, int64_t incidentId, bool done);
    // The procedure's read-only checks, findings written on the timeline from the latest
    // snapshot's inventory: step ids "check_health", "check_deployments",
    // "check_resources", "check_database".
    void recordCheck(int64_t id, const QString &stepId);

    // Alert-rule state across restarts (SimulatedBackend only; others: no-op + false).
    bool saveAlertState();
    bool restoreAlertState();

    // Blocks until every queued write committed and its notifications were delivered:
    // tests and shutdown only (the UI never needs it).
    void waitForWrites();

Q_SIGNALS:
    void incidentsChanged();                  // the list (a declaration, any change)
    void incidentChanged(qint64 incidentId);  // one incident or anything hanging off it
    void incidentDeclared(qint64 incidentId);
    void timelineChanged(qint64 incidentId);
    void auditAppended();
    void errorOccurred(const QString &message);

private:
    using WriteJob = std::function<Result<int64_t>(IncidentStore &, AuditLog &)>;
    // Runs `job` on the writer; back on this thread refreshes `incidentId` (or the id
    // the job returned when incidentId is 0) and reports errors prefixed with `what`.
    void write(const QString &what, int64_t incidentId, WriteJob job, bool declared = false);
    void afterWrite(const QString &what, int64_t incidentId, const Result<int64_t> &result,
                    bool declared);
    void reloadIncidents();
    bool requireWritable(const QString &what);
    void closeDatabase();
    DatabaseProblem adopt(OpenResult opened, bool readOnly);

    void onActionCompleted(const sim::ActionSpec &action, const sim::ActionResult &result);
    void onSnapshot(const backends::SnapshotPtr &snapshot);
    std::vector<int64_t> openIncidentIds() const;
    // AlertFiring entries (incident id 0) for the alerts firing now that match a new
    // incident's source alert or services.
    std::vector<TimelineEntry> alreadyFiring(const std::string &fingerprint,
                                             const std::vector<std::string> &services) const;

    QString m_path;
    QString m_user;
    std::unique_ptr<ConsoleDatabaseWriter> m_writer;
    std::unique_ptr<DatabaseConnection> m_read;
    std::unique_ptr<IncidentStore> m_readStore;
    std::map<int64_t, Incident> m_incidents;
    std::map<int64_t, std::vector<IncidentLink>> m_links;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0); // guards posted callbacks

    QPointer<backends::ClusterBackend> m_backend;
    QMetaObject::Connection m_actionConnection, m_snapshotConnection;
    // Alert states as of the previous snapshot: fingerprint -> (resolved, acked by).
    struct SeenAlert { bool resolved = false; std::string ackBy; };
    std::map<telemetry::alerting::Fingerprint, SeenAlert> m_seenAlerts;
    bool m_haveSeenAlerts = false;
};

} // namespace opsdeck::models
