// Store-level CRUD and lifecycle rules, the audit log's append-only guarantee, persisted
// alert state across a reopen, and the writer thread's ordering and commit promise.
#include "incident_test_support.h"
#include "models/audit_log.h"
#include "models/console_database_writer.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace opsdeck::models;
using namespace opsdeck::models::testing;

class TstIncidentStore : public QObject {
    Q_OBJECT
private slots:
    void init();
    void createValidatesInput();
    void lifecycleTransitions();
    void reopenIsTheOnlyWayBack();
    void commanderAlwaysExactlyOne();
    void rolesAreRecorded();
    void timelineSingleAndBatch();
    void acknowledgementsEndWhenAlertResolves();
    void statusUpdatesAreStampedAndOnTheTimeline();
    void settingsUpsert();
    void alertStateSurvivesRestart();
    void auditLogIsAppendOnly();
    void writerCommitsInOrderBeforeReporting();
    void writerMakesBackup();

private:
    QTemporaryDir m_dir;
    std::string m_path;
    int m_case = 0;
};

void TstIncidentStore::init()
{
    QVERIFY(m_dir.isValid());
    m_path = (m_dir.path() + QStringLiteral("/case%1.sqlite").arg(++m_case)).toStdString();
}

void TstIncidentStore::createValidatesInput()
{
    auto db = openOrFail(m_path);
    QVERIFY(db);
    IncidentStore store(*db);
    auto bad = store.createIncident({"Latency", 5, "alice", "", 0}, "alice");
    QVERIFY(!bad.ok());
    QVERIFY2(bad.error().find("P1..P4") != std::string::npos, bad.error().c_str());
    auto noCommander = store.createIncident({"Latency", 2, "", "", 0}, "alice");
    QVERIFY(!noCommander.ok());
    QVERIFY(noCommander.error().find("commander") != std::string::npos);
    QVERIFY(!store.createIncident({"", 2, "bob", "", 0}, "bob").ok());

    const int64_t id = declare(store);
    auto incident = store.incident(id);
    QVERIFY(incident.ok());
    QCOMPARE(incident->title, std::string("Model server crash"));
    QCOMPARE(incident->severity, 1);
    QCOMPARE(incident->state, IncidentState::Investigating);
    QCOMPARE(incident->commander, std::string("alice"));
    QCOMPARE(incident->sourceFingerprint, std::string("fp-1"));
    auto timeline = store.timeline(id);
    QVERIFY(timeline.ok());
    QCOMPARE(timeline->size(), size_t(1));
    QCOMPARE(timeline->front().kind, TimelineKind::StatusChange);
    QVERIFY(!store.incident(id + 100).ok());
    QCOMPARE(store.incidents()->size(), size_t(1));
}

void TstIncidentStore::lifecycleTransitions()
{
    auto db = openOrFail(m_path);
    IncidentStore store(*db);
    const int64_t id = declare(store);
    QVERIFY(store.acknowledgeIncident(id, "alice", 1100).ok());
    QVERIFY(!store.acknowledgeIncident(id, "bob", 1150).ok()); // once only
    QVERIFY(store.setState(id, IncidentState::Identified, "alice", 1200).ok());
    QVERIFY(!store.setState(id, IncidentState::Identified, "alice", 1250).ok());
    QVERIFY(store.setState(id, IncidentState::Monitoring, "alice", 1300).ok());
    QVERIFY(store.setState(id, IncidentState::Resolved, "alice", 1400).ok());
    auto incident = store.incident(id);
    QCOMPARE(incident->state, IncidentState::Resolved);
    QCOMPARE(incident->acknowledgedAtMs.value_or(-1), int64_t(1100));
    QCOMPARE(incident->mitigatedAtMs.value_or(-1), int64_t(1300));
    QCOMPARE(incident->resolvedAtMs.value_or(-1), int64_t(1400));

    auto timeline = store.timeline(id);
    std::vector<std::string> changes;
    for (const auto &e : *timeline)
        if (e.kind == TimelineKind::StatusChange)
            changes.push_back(QJsonDocument::fromJson(QByteArray::fromStdString(e.payloadJson))
                                  .object().value("to").toString().toStdString());
    QCOMPARE(changes, (std::vector<std::string>{"investigating", "identified", "monitoring",
                                                "resolved"}));
    QCOMPARE(std::count_if(timeline->begin(), timeline->end(),
                           [](const auto &e) { return e.kind == TimelineKind::Acknowledged; }),
             1);
}

void TstIncidentStore::reopenIsTheOnlyWayBack()
{
    auto db = openOrFail(m_path);
    IncidentStore store(*db);
    const int64_t id = declare(store);
    QVERIFY(!store.reopen(id, "bob", "regressed", 1100).ok()); // not resolved yet
    QVERIFY(store.setState(id, IncidentState::Resolved, "alice", 1200).ok());
    Status back = store.setState(id, IncidentState::Investigating, "bob", 1300);
    QVERIFY(!back.ok());
    QVERIFY2(back.error().find("reopen") != std::string::npos, back.error().c_str());
    QVERIFY(!store.reopen(id, "bob", "", 1300).ok()); // a reason is required
    QVERIFY(store.reopen(id, "bob", "error rate back above 5%", 1300).ok());
    auto incident = store.incident(id);
    QCOMPARE(incident->state, IncidentState::Investigating);
    QVERIFY(!incident->resolvedAtMs);
    QCOMPARE(store.timeline(id)->back().text.find("Reopened"), size_t(0));

    const int64_t other = declare(store, "Flaky UI", 4, "carol");
    QVERIFY(store.setState(other, IncidentState::Cancelled, "carol", 2000).ok());
    QVERIFY(!store.setState(other, IncidentState::Monitoring, "carol", 2100).ok());
}

void TstIncidentStore::commanderAlwaysExactlyOne()
{
    auto db = openOrFail(m_path);
    IncidentStore store(*db);
    const int64_t id = declare(store);
    QVERIFY(!store.handOverCommand(id, "", "alice", 1100).ok());
    QVERIFY(!store.handOverCommand(id, "alice", "alice", 1100).ok());
    QVERIFY(store.handOverCommand(id, "bob", "alice", 1200).ok());
    QCOMPARE(store.incident(id)->commander, std::string("bob"));
    const TimelineEntry last = store.timeline(id)->back();
    QCOMPARE(last.kind, TimelineKind::RoleChange);
    QCOMPARE(last.timeMs, int64_t(1200));
    const QJsonObject payload = QJsonDocument::fromJson(QByteArray::fromStdString(last.payloadJson)).object();
    QCOMPARE(payload.value("from").toString(), QStringLiteral("alice"));
    QCOMPARE(payload.value("to").toString(), QStringLiteral("bob"));
    // Even raw SQL cannot leave an incident without a commander.
    QVERIFY(!db->exec("UPDATE incidents SET commander = '' WHERE id = 1").ok());
    QVERIFY(!db->exec("UPDATE incidents SET commander = NULL WHERE id = 1").ok());
    QCOMPARE(store.incident(id)->commander, std::string("bob"));
}

void TstIncidentStore::rolesAreRecorded()
{
    auto db = openOrFail(m_path);
    IncidentStore store(*db);
    const int64_t id = declare(store);
    QVERIFY(store.assignRole(id, IncidentRole::Operator, "dave", "alice", 1100).ok());
    QVERIFY(store.assignRole(id, IncidentRole::Operator, "erin", "alice", 1110).ok());
    QVERIFY(store.assignRole(id, IncidentRole::Communications, "frank", "alice", 1120).ok());
    QVERIFY(store.assignRole(id, IncidentRole::Scribe, "gina", "alice", 1130).ok());
    Status twice = store.assignRole(id, IncidentRole::Operator, "dave", "alice", 1140);
    QVERIFY(!twice.ok());
    QVERIFY2(twice.error().find("already is operator") != std::string::npos, twice.error().c_str());
    QVERIFY(!store.assignRole(id + 9, IncidentRole::Operator, "dave", "alice", 1140).ok());
    QVERIFY(store.releaseRole(id, IncidentRole::Operator, "erin", "alice", 1150).ok());
    QVERIFY(!store.releaseRole(id, IncidentRole::Operator, "erin", "alice", 1160).ok());
    auto incident = store.incident(id);
    QCOMPARE(incident->operators, std::vector<std::string>{"dave"});
    QCOMPARE(incident->communications, std::vector<std::string>{"frank"});
    QCOMPARE(incident->scribes, std::vector<std::string>{"gina"});
    auto timeline = store.timeline(id);
    QCOMPARE(std::count_if(timeline->begin(), timeline->end(),
                           [](const auto &e) { return e.kind == TimelineKind::RoleChange; }),
             5);
}

void TstIncidentStore::timelineSingleAndBatch()
{
    auto db = openOrFail(m_path);
    IncidentStore store(*db);
    const int64_t id = declare(store);
    const std::string png("\x89PNG\r\n\x1a\n\0\1\2", 11);
    TimelineEntry snapshot{0, id, 1500, TimelineKind::MetricSnapshot, "alice", "p99 latency",
                           R"json({"query":"histogram_quantile(0.99, x)","from":1000,"to":1500})json", png};
    auto single = store.appendTimeline(snapshot);
    QVERIFY2(single.ok(), single.ok() ? "" : single.error().c_str());
    std::vector<TimelineEntry> batch;
    for (int i = 0; i < 10; ++i)
        batch.push_back({0, id, 1600 + i, TimelineKind::Action, "bob", "scale " + std::to_string(i),
                         R"({"kubectl":"kubectl scale deployment/x --replicas=3"})", {}});
    auto ids = store.appendTimelineBatch(batch);
    QVERIFY(ids.ok());
    QCOMPARE(ids->size(), size_t(10));
    QVERIFY(std::is_sorted(ids->begin(), ids->end()));
    // One bad entry (unknown incident) rejects the whole batch.
    batch.back().incidentId = 999;
    auto rejected = store.appendTimelineBatch(batch);
    QVERIFY(!rejected.ok());
    QVERIFY2(rejected.error().find("nothing of the batch") != std::string::npos, rejected.error().c_str());
    QVERIFY(!store.appendTimeline({0, id, 1, TimelineKind::Note, "", "no actor", "{}", {}}).ok());

    auto timeline = store.timeline(id);
    QCOMPARE(timeline->size(), size_t(1 + 1 + 10));
    QCOMPARE((*timeline)[1].attachment, png);
    QCOMPARE((*timeline)[1].kind, TimelineKind::MetricSnapshot);
    QCOMPARE(store.timeline(id, (*ids)[4])->size(), size_t(5)); // incremental read
}

void TstIncidentStore::acknowledgementsEndWhenAlertResolves()
{
    auto db = openOrFail(m_path);
    IncidentStore store(*db);
    QVERIFY(store.acknowledgeAlert("fp-7", "alice", "looking", 100).ok());
    QVERIFY(store.acknowledgeAlert("fp-8", "bob", "", 110).ok());
    QVERIFY(!store.acknowledgeAlert("", "bob", "", 110).ok());
    QVERIFY(store.endAcknowledgements("fp-7", 500).ok());
    auto acks = store.acknowledgements("fp-7");
    QCOMPARE(acks->size(), size_t(1));
    QCOMPARE(acks->front().who, std::string("alice"));
    QCOMPARE(acks->front().comment, std::string("looking"));
    QCOMPARE(acks->front().endedAtMs.value_or(-1), int64_t(500));
    QVERIFY(!store.acknowledgements("fp-8")->front().endedAtMs);
}

void TstIncidentStore::statusUpdatesAreStampedAndOnTheTimeline()
{
    auto db = openOrFail(m_path);
    IncidentStore store(*db);
    const int64_t id = declare(store);
    StatusUpdate update{0, id, "Elevated latency", "Investigating", "~15% of requests 2x latency",
                        1000, "Identified resource constraint", 2000};
    QVERIFY(store.addStatusUpdate(update, "frank").ok());
    update.text.clear();
    QVERIFY(!store.addStatusUpdate(update, "frank").ok());
    auto updates = store.statusUpdates(id);
    QCOMPARE(updates->size(), size_t(1));
    QCOMPARE(updates->front().impact, std::string("~15% of requests 2x latency"));
    QCOMPARE(updates->front().stampedAtMs, int64_t(2000));
    QCOMPARE(store.timeline(id)->back().kind, TimelineKind::StatusUpdate);
}

void TstIncidentStore::settingsUpsert()
{
    auto db = openOrFail(m_path);
    IncidentStore store(*db);
    QVERIFY(!store.setting("theme"));
    QVERIFY(store.setSetting("theme", "dark").ok());
    QVERIFY(store.setSetting("theme", "light").ok());
    QCOMPARE(store.setting("theme").value_or(""), std::string("light"));
}

void TstIncidentStore::alertStateSurvivesRestart()
{
    {
        auto db = openOrFail(m_path);
        IncidentStore store(*db);
        std::vector<PersistedAlert> alerts{
            {"fp-a", R"({"alertname":"HighErrorRate"})", true, 1000, 61000, "alice"},
            {"fp-b", R"({"alertname":"HighLatency"})", false, 5000, std::nullopt, ""}};
        QVERIFY(store.saveAlertStates(alerts).ok());
        alerts.push_back({"fp-c", "{}", true, 1, std::nullopt, ""}); // firing without firedAt
        QVERIFY(!store.saveAlertStates(alerts).ok());
    }
    auto db = openOrFail(m_path); // "restart"
    IncidentStore store(*db);
    auto restored = store.restoreAlertStates();
    QVERIFY(restored.ok());
    QCOMPARE(restored->size(), size_t(2)); // the rejected save left the good one intact
    QVERIFY((*restored)[0].firing);
    QCOMPARE((*restored)[0].activeAtMs, int64_t(1000));
    QCOMPARE((*restored)[0].firedAtMs.value_or(-1), int64_t(61000));
    QCOMPARE((*restored)[0].acknowledgedBy, std::string("alice"));
    QVERIFY(!(*restored)[1].firing);
    QVERIFY(!(*restored)[1].firedAtMs);
    QVERIFY(store.saveAlertStates({}).ok());
    QVERIFY(store.restoreAlertStates()->empty());
}

void TstIncidentStore::auditLogIsAppendOnly()
{
    auto db = openOrFail(m_path);
    AuditLog audit(*db);
    AuditRecord record{0, 1000, "alice", "scale", "deployment/agent-orchestrator",
                       R"({"replicas":10})",
                       "kubectl scale deployment/agent-orchestrator --replicas=10 -n chatgpt-agent",
                       "ok"};
    QVERIFY(audit.append(record).ok());
    QVERIFY(audit.append(record).ok());
    QVERIFY(!audit.append({0, 1, "", "", "", "{}", "", ""}).ok());
    Status update = db->exec("UPDATE audit_log SET result = 'forged' WHERE id = 1");
    QVERIFY(!update.ok());
    QVERIFY2(update.error().find("append-only") != std::string::npos, update.error().c_str());
    Status remove = db->exec("DELETE FROM audit_log WHERE id = 1");
    QVERIFY(!remove.ok());
    QVERIFY(remove.error().find("append-only") != std::string::npos);
    auto records = audit.records();
    QCOMPARE(records->size(), size_t(2));
    QCOMPARE(records->front().result, std::string("ok"));
    QCOMPARE(records->front().kubectl, record.kubectl);
    QCOMPARE(audit.records(1)->size(), size_t(1));
}

void TstIncidentStore::writerCommitsInOrderBeforeReporting()
{
    auto opened = ConsoleDatabase::open(m_path);
    QVERIFY(opened.ok());
    int64_t id = 0;
    {
        IncidentStore setup(*opened.connection);
        id = declare(setup);
    }
    auto reader = openOrFail(m_path, {.readOnly = true});
    QVERIFY(reader);
    IncidentStore readStore(*reader);
    ConsoleDatabaseWriter writer(std::move(opened.connection));
    std::vector<std::future<opsdeck::Result<int64_t>>> futures;
    for (int i = 0; i < 50; ++i)
        futures.push_back(writer.appendTimeline({0, id, i, TimelineKind::Note, "w",
                                                 "n" + std::to_string(i), "{}", {}}));
    int64_t previous = 0;
    for (auto &future : futures) {
        auto committed = future.get();
        QVERIFY(committed.ok());
        QVERIFY(*committed > previous);
        previous = *committed;
        // Reported means committed: another connection already sees it.
        QCOMPARE(readStore.timeline(id, *committed - 1)->front().id, *committed);
    }
    auto bad = writer.appendTimeline({0, 4242, 1, TimelineKind::Note, "w", "x", "{}", {}}).get();
    QVERIFY(!bad.ok());
    auto audited = writer.appendAudit({0, 5, "w", "rollback", "deployment/x", "{}", "kubectl rollout undo deployment/x", "ok"}).get();
    QVERIFY(audited.ok());
    QCOMPARE(readStore.timeline(id)->size(), size_t(51));
}

void TstIncidentStore::writerMakesBackup()
{
    auto opened = ConsoleDatabase::open(m_path);
    QVERIFY(opened.ok());
    IncidentStore setup(*opened.connection);
    const int64_t id = declare(setup);
    ConsoleDatabaseWriter writer(std::move(opened.connection));
    Status backedUp = writer.writeBackup().get();
    QVERIFY2(backedUp.ok(), backedUp.ok() ? "" : backedUp.error().c_str());
    auto backup = openOrFail(ConsoleDatabase::backupPathFor(m_path), {.readOnly = true});
    QVERIFY(backup);
    IncidentStore fromBackup(*backup);
    QCOMPARE(fromBackup.incident(id)->title, std::string("Model server crash"));
}

QTEST_GUILESS_MAIN(TstIncidentStore)
#include "tst_incident_store.moc"
