// Forward migrations from every earlier schema version: build the database exactly as
// version k left it (migrations 1..k, the historical DDL kept in code), fill it with
// version-k data using version-k SQL, open it with the current code, check the data.
#include "incident_test_support.h"
#include "models/audit_log.h"

using namespace opsdeck::models;
using namespace opsdeck::models::testing;

class TstConsoleDatabaseMigrations : public QObject {
    Q_OBJECT
private slots:
    void fromEveryEarlierVersion_data();
    void fromEveryEarlierVersion();
    void currentVersionIsStable();

private:
    QTemporaryDir m_dir;
};

void TstConsoleDatabaseMigrations::fromEveryEarlierVersion_data()
{
    QTest::addColumn<int>("version");
    for (int k = 0; k < ConsoleDatabase::kSchemaVersion; ++k)
        QTest::addRow("v%d", k) << k;
}

void TstConsoleDatabaseMigrations::fromEveryEarlierVersion()
{
    QFETCH(int, version);
    const std::string path = (m_dir.path() + QStringLiteral("/v%1.sqlite").arg(version)).toStdString();
    {
        auto raw = rawConnection(path);
        QVERIFY(ConsoleDatabase::migrate(*raw, version).ok());
        QCOMPARE(ConsoleDatabase::schemaVersion(*raw), version);
        if (version >= 1) {
            QVERIFY(raw->exec(R"sql(
                INSERT INTO incidents (id, title, severity, state, created_at_ms, commander,
                                       source_fingerprint)
                    VALUES (1, 'Orchestrator down', 1, 'monitoring', 1000, 'alice', 'fp-1');
                INSERT INTO incident_roles VALUES (1, 'scribe', 'gina');
                INSERT INTO timeline (incident_id, time_ms, kind, actor, text, payload)
                    VALUES (1, 1000, 'alert_firing', 'rules', 'HighErrorRate firing',
                            '{"fingerprint":"fp-1"}'),
                           (1, 4000, 'alert_resolved', 'rules', 'HighErrorRate resolved',
                            '{"fingerprint":"fp-1"}');
                INSERT INTO acknowledgements (fingerprint, who, comment, at_ms)
                    VALUES ('fp-1', 'alice', 'on it', 1500), ('fp-2', 'bob', '', 1600);
                INSERT INTO audit_log (at_ms, actor, action, target, kubectl, result)
                    VALUES (2000, 'alice', 'rollback', 'deployment/agent-orchestrator',
                            'kubectl rollout undo deployment/agent-orchestrator', 'ok');
                INSERT INTO settings VALUES ('theme', 'dark');
            )sql").ok());
        }
        if (version >= 2) {
            // v2 wrote ended_at itself; the v1 backfill must not run over it.
            QVERIFY(raw->exec(R"sql(
                UPDATE acknowledgements SET ended_at_ms = 3000 WHERE fingerprint = 'fp-1';
                INSERT INTO status_updates (incident_id, issue, status, impact, started_at_ms,
                                            text, stamped_at_ms)
                    VALUES (1, 'Errors', 'Identified', 'all users', 1000, 'rolling back', 2500);
            )sql").ok());
        }
    }

    OpenResult opened = ConsoleDatabase::open(path);
    QVERIFY2(opened.ok(), opened.message.c_str());
    QCOMPARE(opened.schemaVersionFound, version);
    QCOMPARE(ConsoleDatabase::schemaVersion(*opened.connection), ConsoleDatabase::kSchemaVersion);
    IncidentStore store(*opened.connection);
    AuditLog audit(*opened.connection);

    if (version >= 1) {
        auto incident = store.incident(1);
        QVERIFY(incident.ok());
        QCOMPARE(incident->title, std::string("Orchestrator down"));
        QCOMPARE(incident->state, IncidentState::Monitoring);
        QCOMPARE(incident->scribes, std::vector<std::string>{"gina"});
        QCOMPARE(store.timeline(1)->size(), size_t(2));
        const auto acks = store.acknowledgements("fp-1");
        QCOMPARE(acks->size(), size_t(1));
        // v1 data: backfilled from the alert_resolved entry; v2 data: kept as written.
        QCOMPARE(acks->front().endedAtMs.value_or(-1), int64_t(version == 1 ? 4000 : 3000));
        QVERIFY(!store.acknowledgements("fp-2")->front().endedAtMs); // never resolved
        QCOMPARE(audit.records()->size(), size_t(1));
        QCOMPARE(store.setting("theme").value_or(""), std::string("dark"));
        QCOMPARE(store.statusUpdates(1)->size(), size_t(version >= 2 ? 1 : 0));
        // v4 links every incident to the alert it was declared from.
        const auto links = store.links(1);
        QVERIFY(links.ok());
        QCOMPARE(links->size(), size_t(1));
        QCOMPARE(links->front().value, std::string("fp-1"));
        QCOMPARE(links->front().kind, IncidentLinkKind::Alert);
    }
    // What the newer versions added works on the migrated file.
    QVERIFY(audit.append({0, 9000, "bob", "note", "-", "{}", "", "ok"}).ok());
    QVERIFY(!opened.connection->exec("DELETE FROM audit_log").ok()); // trigger present
    QVERIFY(!opened.connection->exec("UPDATE audit_log SET actor = 'x'").ok());
    QVERIFY(store.saveAlertStates({{"fp-1", "{}", true, 1000, 2000, ""}}).ok());
    QCOMPARE(store.restoreAlertStates()->size(), size_t(1));
    const int64_t fresh = declare(store, "after migration", 2, "bob");
    QVERIFY(store.addStatusUpdate({0, fresh, "I", "Investigating", "", 0, "t", 1}, "bob").ok());
    QVERIFY(store.acknowledgeAlert("fp-9", "bob", "", 10).ok());
    QVERIFY(store.endAcknowledgements("fp-9", 20).ok());
    QVERIFY(store.addLink({fresh, IncidentLinkKind::Service, "model-server"}).ok());
    QVERIFY(store.notifyStakeholder(fresh, Stakeholder::Product, "bob", 30).ok());
    QCOMPARE(store.stakeholderNotices(fresh)->size(), size_t(1));
    const auto followUp = store.addFollowUp({0, fresh, "add a canary alert", "bob", false, 40});
    QVERIFY(followUp.ok());
    QVERIFY(store.setFollowUpDone(*followUp, true).ok());
    QVERIFY(store.followUps(fresh)->front().done);
}

void TstConsoleDatabaseMigrations::currentVersionIsStable()
{
    const std::string path = (m_dir.path() + "/current.sqlite").toStdString();
    {
        auto db = openOrFail(path);
        QVERIFY(db);
        IncidentStore store(*db);
        declare(store);
    }
    OpenResult reopened = ConsoleDatabase::open(path);
    QVERIFY(reopened.ok());
    QCOMPARE(reopened.schemaVersionFound, ConsoleDatabase::kSchemaVersion);
    QCOMPARE(IncidentStore(*reopened.connection).incidents()->size(), size_t(1));
    QCOMPARE(reopened.connection->queryInt("PRAGMA foreign_keys").value(), int64_t(1));
    QCOMPARE(reopened.connection->queryInt("PRAGMA synchronous").value(), int64_t(2)); // FULL
    Statement mode(*reopened.connection, "PRAGMA journal_mode");
    QCOMPARE(mode.step(), SQLITE_ROW);
    QCOMPARE(mode.columnText(0), std::string("wal"));
}

QTEST_GUILESS_MAIN(TstConsoleDatabaseMigrations)
#include "tst_console_database_migrations.moc"
