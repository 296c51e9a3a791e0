// IncidentSession over a step-mode SimulatedBackend: every action audited and on the
// open incidents' timelines, alert firing / acknowledged / resolved on the linked
// incidents, acknowledgements ending with their alert, the procedure ticking itself,
// stakeholder deadlines on simulated time, database problems with their ways forward,
// and alert state carried across a restart through the database.
#include "incident_test_support.h"
#include "session_test_support.h"

#include "models/audit_log.h"
#include "models/incident_session.h"
#include "models/response_plan.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

using namespace opsdeck;
using namespace opsdeck::models;
using namespace opsdeck::models::testing;

namespace {
constexpr std::int64_t kMinuteMs = 60'000;

int countKind(const std::vector<TimelineEntry> &entries, TimelineKind kind)
{
    return int(std::count_if(entries.begin(), entries.end(), [&](const auto &e) { return e.kind == kind; }));
}
} // namespace

class TstIncidentSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }

    void recordsActionsAlertsAndAcknowledgements()
    {
        IncidentSession session;
        session.setUser(QStringLiteral("alice"));
        QVERIFY(session.open(m_dir.filePath(QStringLiteral("walk.sqlite"))).ok());
        backends::SimulatedBackend backend(stepOptions());
        session.attach(&backend);
        backend.step(2 * kMinuteMs);
        backend.injectFault({sim::FaultKind::BadDeploy, "agent-orchestrator", {}});
        const auto alert = stepUntilFiring(backend);
        QVERIFY2(alert, "no P1 alert within 20 minutes of a bad deploy");

        QSignalSpy declared(&session, &IncidentSession::incidentDeclared);
        NewIncident incident{"Errors after deploy", 1, "alice",
                             telemetry::alerting::fingerprintToString(alert->alert.fingerprint), 0};
        session.declareIncident(incident, {QStringLiteral("agent-orchestrator")});
        session.waitForWrites();
        QCOMPARE(declared.count(), 1);
        const int64_t id = declared.first().first().toLongLong();
        QCOMPARE(session.incident(id)->createdAtMs, backend.latestSnapshot()->epochMs); // simulated clock
        QCOMPARE(session.links(id).size(), size_t(2)); // the alert and the service

        // An action, whoever asked: audited and on the timeline.
        sim::ActionSpec rollback;
        rollback.kind = sim::ActionKind::Rollback;
        rollback.target = "agent-orchestrator";
        rollback.actor = "bob";
        const auto applied = await(backend.apply(rollback));
        QVERIFY(applied.ok());
        session.waitForWrites();
        const auto audit = session.auditRecords();
        QCOMPARE(audit.size(), size_t(1));
        QCOMPARE(audit.front().actor, std::string("bob"));
        QCOMPARE(audit.front().action, std::string("rollback"));
        QVERIFY(!audit.front().kubectl.empty());
        auto timeline = session.timeline(id);
        QCOMPARE(countKind(timeline, TimelineKind::Action), 1);
        const auto procedure = responseProcedure(1);
        const auto rollbackStep = std::find_if(procedure.begin(), procedure.end(),
                                               [](const auto &s) { return s.id == "rollback"; });
        QVERIFY(stepDoneAtMs(*rollbackStep, *session.incident(id), timeline).has_value());
        QVERIFY(!stepDoneAtMs(procedure.front(), *session.incident(id), timeline)); // not acknowledged

        // Acknowledge: the incident and its alert (first-class, with who and comment).
        session.acknowledge(id, QStringLiteral("rolling back"));
        session.waitForWrites();
        QVERIFY(session.incident(id)->acknowledgedAtMs);
        QVERIFY(stepDoneAtMs(procedure.front(), *session.incident(id), session.timeline(id)));
        const QString fp = QString::fromStdString(incident.sourceFingerprint);
        auto acks = session.alertAcknowledgements(fp);
        QCOMPARE(acks.size(), size_t(1));
        QCOMPARE(acks.front().who, std::string("alice"));
        QCOMPARE(acks.front().comment, std::string("rolling back"));
        QVERIFY(!acks.front().endedAtMs);

        // The rollback heals the service: the alert resolves and its acknowledgement ends.
        for (int i = 0; i < 60 && !session.alertAcknowledgements(fp).front().endedAtMs; ++i) {
            backend.step(30'000);
            session.waitForWrites();
        }
        acks = session.alertAcknowledgements(fp);
        QVERIFY2(acks.front().endedAtMs, "the alert did not resolve within 30 minutes of the rollback");
        timeline = session.timeline(id);
        // Its resolution is on the timeline (other alerts of the linked service may be too).
        QVERIFY(std::any_of(timeline.begin(), timeline.end(), [&](const TimelineEntry &e) {
            return e.kind == TimelineKind::AlertResolved
                   && e.payloadJson.find(incident.sourceFingerprint) != std::string::npos;
        }));
        QVERIFY(countKind(timeline, TimelineKind::Acknowledged) >= 2); // incident + alert
        // A closed incident gets no more action entries; the audit log still does.
        session.setState(id, IncidentState::Resolved);
        session.waitForWrites();
        sim::ActionSpec scale;
        scale.kind = sim::ActionKind::Scale;
        scale.target = "agent-orchestrator";
        scale.params = {{"replicas", "12"}};
        QVERIFY(await(backend.apply(scale)).ok());
        session.waitForWrites();
        QCOMPARE(session.auditRecords().size(), size_t(2));
        QCOMPARE(countKind(session.timeline(id), TimelineKind::Action), 1);
    }

    void stakeholderDeadlinesRunOnSimulatedTime()
    {
        IncidentSession session;
        QVERIFY(session.open(m_dir.filePath(QStringLiteral("matrix.sqlite"))).ok());
        backends::SimulatedBackend backend(stepOptions());
        session.attach(&backend);
        backend.step(kMinuteMs);
        session.declareIncident({"Outage", 1, "alice", "", 0});
        session.waitForWrites();
        const Incident incident = session.incidents().front();
        auto checklist = [&] {
            return stakeholderChecklist(incident.severity, incident.createdAtMs,
                                        session.stakeholderNotices(incident.id),
                                        session.statusUpdates(incident.id), session.nowMs());
        };
        QCOMPARE(checklist()[size_t(Stakeholder::Product)].state, DutyState::Due);
        session.notifyStakeholder(incident.id, Stakeholder::Engineering);
        backend.step(6 * kMinuteMs);
        session.waitForWrites();
        auto duties = checklist();
        QCOMPARE(duties[size_t(Stakeholder::Engineering)].state, DutyState::Done);
        QCOMPARE(duties[size_t(Stakeholder::Product)].state, DutyState::Overdue);  // 5 min
        QCOMPARE(duties[size_t(Stakeholder::Leadership)].state, DutyState::Due);   // 15 min
        QCOMPARE(duties[size_t(Stakeholder::Users)].state, DutyState::Overdue);    // status page
        session.postStatusUpdate({0, incident.id, "Outage", "Investigating", "all users", 0, "looking", 0});
        session.notifyStakeholder(incident.id, Stakeholder::Product);
        session.waitForWrites();
        duties = checklist();
        QCOMPARE(duties[size_t(Stakeholder::Product)].state, DutyState::Done);
        QCOMPARE(duties[size_t(Stakeholder::Users)].state, DutyState::Done);
        // The notice is on the timeline, too.
        QCOMPARE(countKind(session.timeline(incident.id), TimelineKind::Note), 2);
        const auto due = nextStatusUpdateDueMs(1, incident.createdAtMs, session.statusUpdates(incident.id));
        QCOMPARE(*due, session.statusUpdates(incident.id).back().stampedAtMs + 15 * kMinuteMs);
    }

    void corruptDatabaseOffersBackupOrFreshStart()
    {
        const QString path = m_dir.filePath(QStringLiteral("corrupt.sqlite"));
        {
            IncidentSession first;
            QVERIFY(first.open(path).ok());
            first.declareIncident({"Kept in the backup", 2, "alice", "", 1000});
            first.waitForWrites();
        }
        {
            // The backup is made at open, so a second open backs up the declared incident.
            IncidentSession second;
            QVERIFY(second.open(path).ok());
            second.waitForWrites();
        }
        QFile::remove(path + QStringLiteral("-wal"));
        QFile::remove(path + QStringLiteral("-shm"));
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(QByteArray(8192, 'x'));
        }
        IncidentSession session;
        QSignalSpy errors(&session, &IncidentSession::errorOccurred);
        const DatabaseProblem problem = session.open(path);
        QCOMPARE(problem.failure, OpenFailure::Corrupt);
        QVERIFY(problem.message.contains(path));
        QVERIFY(!problem.explanation.isEmpty());
        QCOMPARE(problem.offers.front(), DatabaseRecovery::RestoreBackup);
        QVERIFY(problem.offers.contains(DatabaseRecovery::StartFresh));
        QVERIFY(!session.isOpen());
        const DatabaseProblem restored = session.recover(DatabaseRecovery::RestoreBackup);
        QVERIFY2(restored.ok(), qPrintable(restored.message));
        QCOMPARE(session.incidents().size(), size_t(1));
        QCOMPARE(session.incidents().front().title, std::string("Kept in the backup"));
        // The damaged file was moved aside, not deleted.
        const QStringList aside = QDir(m_dir.path()).entryList({QStringLiteral("corrupt.sqlite.*")});
        QVERIFY2(std::any_of(aside.begin(), aside.end(),
                             [](const QString &n) { return n.contains(QLatin1String("replaced-by-backup")); }),
                 qPrintable(aside.join(QLatin1Char(' '))));
        QCOMPARE(errors.count(), 0);
    }

    void lockedDatabaseOpensReadOnly()
    {
        const QString path = m_dir.filePath(QStringLiteral("locked.sqlite"));
        {
            IncidentSession first;
            QVERIFY(first.open(path).ok());
            first.declareIncident({"Visible read-only", 3, "alice", "", 1000});
            first.waitForWrites();
        }
        auto other = rawConnection(path.toStdString());
        QVERIFY(other->exec("PRAGMA busy_timeout = 0; BEGIN EXCLUSIVE").ok());
        IncidentSession session;
        const DatabaseProblem problem = session.open(path);
        QCOMPARE(problem.failure, OpenFailure::Locked);
        QCOMPARE(problem.offers, QList<DatabaseRecovery>{DatabaseRecovery::OpenReadOnly});
        other->exec("ROLLBACK");
        // The commander chose read-only: what is there is shown, changes are refused with
        // a message rather than lost silently.
        QVERIFY(session.recover(DatabaseRecovery::OpenReadOnly).ok());
        QVERIFY(session.isReadOnly());
        QCOMPARE(session.incidents().size(), size_t(1));
        QSignalSpy errors(&session, &IncidentSession::errorOccurred);
        session.addNote(session.incidents().front().id, QStringLiteral("refused"));
        QCOMPARE(errors.count(), 1);
        QVERIFY(errors.first().first().toString().contains(QLatin1String("read-only")));
    }

    void alertStateSurvivesARestartThroughTheDatabase()
    {
        const QString path = m_dir.filePath(QStringLiteral("alerts.sqlite"));
        const sim::FaultSpec fault{sim::FaultKind::BadDeploy, "agent-orchestrator", {}};
        std::optional<telemetry::alerting::QueuedAlert> firing;
        std::int64_t restartAt = 0;
        {
            IncidentSession session;
            QVERIFY(session.open(path).ok());
            backends::SimulatedBackend backend(stepOptions());
            session.attach(&backend);
            backend.step(2 * kMinuteMs);
            backend.injectFault(fault);
            firing = stepUntilFiring(backend);
            QVERIFY(firing);
            QVERIFY(await(backend.acknowledge(firing->alert.fingerprint, QStringLiteral("carol"),
                                              QStringLiteral("watching"))).ok());
            session.waitForWrites();
            QVERIFY(session.saveAlertState());
            restartAt = backend.nowMs();
        }
        IncidentSession session;
        QVERIFY(session.open(path).ok());
        auto options = stepOptions();
        options.rulesStartAtMs = restartAt;
        backends::SimulatedBackend backend(options);
        backend.step(2 * kMinuteMs);
        backend.injectFault(fault);
        backend.step(restartAt - 2 * kMinuteMs);
        session.attach(&backend);
        QVERIFY(session.restoreAlertState());
        backend.step(30'000);
        const auto &alerts = *backend.latestSnapshot()->alerts;
        const auto it = std::find_if(alerts.begin(), alerts.end(), [&](const auto &a) {
            return a.alert.fingerprint == firing->alert.fingerprint;
        });
        QVERIFY2(it != alerts.end(), "the restored alert is not firing in the queue");
        QVERIFY(!it->resolved);
        QCOMPARE(it->alert.startsAtMs, firing->alert.startsAtMs);
        QVERIFY(it->ack);
        QCOMPARE(it->ack->by, std::string("carol"));
        QCOMPARE(it->ack->comment, std::string("watching"));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TstIncidentSession)
#include "tst_incident_session.moc"
