// Scenario argument parsing (backends/sim/scenario.cpp): durations, --fault, --action,
// presets, and the error messages a user sees for each kind of mistake.
#include "backends/sim/scenario.h"

#include <QtTest>

using namespace opsdeck;
using namespace opsdeck::sim;

class TestScenario : public QObject {
    Q_OBJECT
private slots:
    void parsesDurations_data();
    void parsesDurations();
    void rejectsBadDurations_data();
    void rejectsBadDurations();
    void formatsDurations_data();
    void formatsDurations();
    void formatParsesBack();
    void parsesFaults();
    void rejectsBadFaults_data();
    void rejectsBadFaults();
    void parsesActions();
    void imageWithColonAndAt();
    void rejectsBadActions_data();
    void rejectsBadActions();
    void parsesPresets();
};

void TestScenario::parsesDurations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("hours") << "6h" << qint64(6 * 3600'000);
    QTest::newRow("compound") << "2h10m" << qint64(2 * 3600'000 + 10 * 60'000);
    QTest::newRow("seconds") << "90s" << qint64(90'000);
    QTest::newRow("day") << "1d" << qint64(86'400'000);
    QTest::newRow("week") << "1w" << qint64(7 * 86'400'000LL);
    QTest::newRow("fraction") << "1.5h" << qint64(5'400'000);
    QTest::newRow("millis") << "500ms" << qint64(500);
    QTest::newRow("zero") << "0s" << qint64(0);
    QTest::newRow("all units") << "1w1d1h1m1s1ms"
                               << qint64(8 * 86'400'000LL + 3600'000 + 60'000 + 1000 + 1);
    QTest::newRow("minutes then ms") << "1m500ms" << qint64(60'500);
    QTest::newRow("fraction of a second") << "0.25s" << qint64(250);
    QTest::newRow("leading dot") << ".5m" << qint64(30'000);
}

void TestScenario::parsesDurations()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    const Result<std::int64_t> parsed = parseDurationMs(text.toStdString());
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().c_str());
    QCOMPARE(qint64(*parsed), ms);
}

void TestScenario::rejectsBadDurations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // a part of the message that must be there
    QTest::newRow("unknown unit") << "6x" << "\"6x\": unknown unit 'x' at position 2 (use ms, s, m, h, d, w)";
    QTest::newRow("no unit") << "90" << "missing unit after \"90\" at position 3";
    QTest::newRow("empty") << "" << "empty duration";
    QTest::newRow("negative") << "-5m" << "unexpected '-' at position 1";
    QTest::newRow("letters") << "h" << "unexpected 'h' at position 1: expected a number";
    QTest::newRow("out of order") << "10m2h" << "unit 'h' at position 5 comes after a smaller unit";
    QTest::newRow("repeated") << "1h1h" << "unit 'h' at position 4 repeats";
    QTest::newRow("sub-millisecond") << "0.5ms" << "not a whole number of milliseconds";
    QTest::newRow("dot without digits") << "1.h" << "expected a digit after '.' at position 3";
    QTest::newRow("overflow") << "99999999999999999999w" << "too large";
    QTest::newRow("trailing garbage") << "2h " << "unexpected ' ' at position 3";
    QTest::newRow("capital") << "2H" << "unknown unit 'H' at position 2";
}

void TestScenario::rejectsBadDurations()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const Result<std::int64_t> parsed = parseDurationMs(text.toStdString());
    QVERIFY(!parsed.ok());
    QVERIFY2(QString::fromStdString(parsed.error()).contains(expected),
             parsed.error().c_str());
}

void TestScenario::formatsDurations_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << qint64(0) << "0s";
    QTest::newRow("seconds") << qint64(45'000) << "45s";
    QTest::newRow("compound") << qint64(2 * 3600'000 + 10 * 60'000) << "2h10m";
    QTest::newRow("millis") << qint64(1500) << "1s500ms";
    QTest::newRow("day") << qint64(86'400'000) << "1d";
    QTest::newRow("week and hour") << qint64(7 * 86'400'000LL + 3600'000) << "1w1h";
    QTest::newRow("negative") << qint64(-90'000) << "-1m30s";
}

void TestScenario::formatsDurations()
{
    QFETCH(qint64, ms);
    QFETCH(QString, text);
    QCOMPARE(QString::fromStdString(formatDuration(ms)), text);
}

void TestScenario::formatParsesBack()
{
    for (std::int64_t ms : {1LL, 999LL, 1000LL, 61'001LL, 3'599'999LL, 90'061'001LL,
                            1'234'567'890'123LL}) {
        const Result<std::int64_t> back = parseDurationMs(formatDuration(ms));
        QVERIFY2(back.ok(), formatDuration(ms).c_str());
        QCOMPARE(*back, ms);
    }
}

void TestScenario::parsesFaults()
{
    Result<TimedFault> f = parseFaultArg("bad-deploy:agent-orchestrator@2h");
    QVERIFY2(f.ok(), f.ok() ? "" : f.error().c_str());
    QCOMPARE(f->atMs, 2 * 3600'000LL);
    QCOMPARE(f->spec.kind, FaultKind::BadDeploy);
    QCOMPARE(f->spec.target, std::string("agent-orchestrator"));
    QVERIFY(f->spec.params.empty());

    f = parseFaultArg("traffic-surge,factor=3@1h");
    QVERIFY(f.ok());
    QCOMPARE(f->spec.kind, FaultKind::TrafficSurge);
    QVERIFY(f->spec.target.empty());
    QCOMPARE(f->spec.params.at("factor"), std::string("3"));
    QCOMPARE(f->atMs, 3600'000LL);

    f = parseFaultArg("memory-leak:agent-orchestrator,rate=2,limit=0.95@30m");
    QVERIFY(f.ok());
    QCOMPARE(f->spec.params.size(), std::size_t(2));
    QCOMPARE(f->spec.params.at("limit"), std::string("0.95"));

    f = parseFaultArg("model-server-crash@0s");
    QVERIFY(f.ok());
    QCOMPARE(f->atMs, 0LL);
}

void TestScenario::rejectsBadFaults_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown kind") << "bad-deplo@2h" << "unknown fault 'bad-deplo' (valid: bad-deploy, model-server-crash";
    QTest::newRow("no time") << "bad-deploy" << "missing '@TIME'";
    QTest::newRow("empty time") << "bad-deploy@" << "missing time after '@' at position 11";
    QTest::newRow("bad time") << "bad-deploy@2x" << "unknown unit 'x' at position 2";
    QTest::newRow("empty target") << "bad-deploy:@2h" << "empty target after ':'";
    QTest::newRow("param without =") << "traffic-surge,factor@1h" << "has no '=' (expected key=value)";
    QTest::newRow("duplicate param") << "traffic-surge,factor=2,factor=3@1h" << "given twice";
    QTest::newRow("empty param") << "traffic-surge,@1h" << "empty parameter at position 15";
    QTest::newRow("no kind") << "@1h" << "missing kind";
    QTest::newRow("empty") << "" << "empty value";
}

void TestScenario::rejectsBadFaults()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const Result<TimedFault> f = parseFaultArg(text.toStdString());
    QVERIFY(!f.ok());
    QVERIFY2(QString::fromStdString(f.error()).contains(expected), f.error().c_str());
}

void TestScenario::parsesActions()
{
    Result<TimedAction> a = parseActionArg("rollback@2h10m");
    QVERIFY2(a.ok(), a.ok() ? "" : a.error().c_str());
    QCOMPARE(a->spec.kind, ActionKind::Rollback);
    QVERIFY(a->spec.target.empty());
    QCOMPARE(a->atMs, 2 * 3600'000LL + 10 * 60'000);

    a = parseActionArg("scale:virtual-computer=100@3h");
    QVERIFY(a.ok());
    QCOMPARE(a->spec.kind, ActionKind::Scale);
    QCOMPARE(a->spec.target, std::string("virtual-computer"));
    QCOMPARE(a->spec.params.at("replicas"), std::string("100"));

    a = parseActionArg("failover:agent-orchestrator=us-west-2@1h");
    QVERIFY(a.ok());
    QCOMPARE(a->spec.params.at("region"), std::string("us-west-2"));

    a = parseActionArg("restore:state-db=backup-0100@4h");
    QVERIFY(a.ok());
    QCOMPARE(a->spec.params.at("backup"), std::string("backup-0100"));

    a = parseActionArg("canary:agent-orchestrator=openai/chatgpt-agent:v2.15.0,percent=5@1h");
    QVERIFY(a.ok());
    QCOMPARE(a->spec.kind, ActionKind::Canary);
    QCOMPARE(a->spec.params.at("image"), std::string("openai/chatgpt-agent:v2.15.0"));
    QCOMPARE(a->spec.params.at("percent"), std::string("5"));

    a = parseActionArg("safety-mode,level=strict@90s");
    QVERIFY(a.ok());
    QCOMPARE(a->spec.params.at("level"), std::string("strict"));
    QCOMPARE(a->atMs, 90'000LL);
}

void TestScenario::imageWithColonAndAt()
{
    Result<TimedAction> a =
        parseActionArg("set-image:agent-orchestrator=openai/chatgpt-agent:v2.15.0@1h");
    QVERIFY2(a.ok(), a.ok() ? "" : a.error().c_str());
    QCOMPARE(a->spec.kind, ActionKind::SetImage);
    QCOMPARE(a->spec.target, std::string("agent-orchestrator"));
    QCOMPARE(a->spec.params.at("image"), std::string("openai/chatgpt-agent:v2.15.0"));
    QCOMPARE(a->atMs, 3600'000LL);

    // A digest-pinned image holds an '@' too: the time is after the last one.
    a = parseActionArg("set-image:agent-orchestrator=openai/chatgpt-agent@sha256:abc123@2h");
    QVERIFY2(a.ok(), a.ok() ? "" : a.error().c_str());
    QCOMPARE(a->spec.params.at("image"), std::string("openai/chatgpt-agent@sha256:abc123"));
    QCOMPARE(a->atMs, 2 * 3600'000LL);
}

void TestScenario::rejectsBadActions_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown kind") << "rollbak@2h" << "unknown action 'rollbak' (valid: rollback, scale";
    QTest::newRow("replicas not a number") << "scale:virtual-computer=lots@3h" << "replicas \"lots\" at position 24 is not a whole number";
    QTest::newRow("negative replicas") << "scale:virtual-computer=-1@3h" << "is not a whole number";
    QTest::newRow("value where none fits") << "rollback:agent-orchestrator=3@2h" << "action 'rollback' takes no value";
    QTest::newRow("value twice") << "scale:virtual-computer=5,replicas=6@1h" << "'replicas' given both";
    QTest::newRow("empty value") << "scale:virtual-computer=@1h" << "empty value after '='";
    QTest::newRow("value without target") << "scale=100@3h" << "needs a target before it";
    QTest::newRow("bad time") << "rollback@soon" << "expected a number";
    QTest::newRow("no time") << "rollback" << "missing '@TIME'";
}

void TestScenario::rejectsBadActions()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const Result<TimedAction> a = parseActionArg(text.toStdString());
    QVERIFY(!a.ok());
    QVERIFY2(QString::fromStdString(a.error()).contains(expected), a.error().c_str());
}

void TestScenario::parsesPresets()
{
    QCOMPARE(*presetFromName("default"), Preset::Default);
    QCOMPARE(*presetFromName("large"), Preset::Large);
    const Result<Preset> bad = presetFromName("huge");
    QVERIFY(!bad.ok());
    QVERIFY(QString::fromStdString(bad.error()).contains("unknown preset \"huge\" (valid: default, large)"));
}

QTEST_GUILESS_MAIN(TestScenario)
#include "tst_scenario.moc"
