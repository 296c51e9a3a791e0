// The P2 performance investigation (models/diagnosis.h): the pure evaluation of one query
// answer, and the whole run over a SimulatedBackend in step mode: a quiet cluster is
// within tolerance; DB pool exhaustion and a memory leak are found, with the action that
// fixes them, and applying that action clears the finding. Simulated time only.
#include "backends/simulated/simulated_backend.h"
#include "models/diagnosis.h"

#include <QTest>

#include <optional>

#include <QCoro/QCoroTask>

using namespace opsdeck;
using models::DiagnosisArea;
using models::Finding;

namespace {
constexpr std::int64_t kMinuteMs = 60'000;

backends::SimulatedBackendOptions stepOptions()
{
    backends::SimulatedBackendOptions o;
    o.config.seed = 3;
    o.threaded = false;
    return o;
}

// The afternoon peak (the simulated clock starts at 14:00 UTC): enough load for a slowed
// state DB to run out of connections.
backends::SimulatedBackendOptions busyOptions()
{
    backends::SimulatedBackendOptions o = stepOptions();
    o.config.startEpochMs += 14 * 60 * kMinuteMs;
    return o;
}

models::DiagnosisReport diagnose(backends::SimulatedBackend &backend)
{
    const auto snap = backend.latestSnapshot();
    return QCoro::waitFor(models::runDiagnosis(&backend, snap->epochMs, snap->inventory));
}

const Finding *worst(const models::DiagnosisReport &report, DiagnosisArea area)
{
    const Finding *out = nullptr;
    for (const auto &f : report.findings)
        if (f.check.area == area && (!out || (f.breached && !out->breached)))
            out = &f;
    return out;
}

QByteArray describe(const models::DiagnosisReport &report)
{
    QStringList lines;
    for (const auto &f : report.findings)
        lines << QStringLiteral("%1 [%2] %3 %4 %5").arg(f.check.title, f.subject, f.valueText(), f.thresholdText(),
                                                        f.breached ? QStringLiteral("BREACH") : f.error);
    return lines.join(QLatin1Char('\n')).toUtf8();
}

bool apply(backends::SimulatedBackend &backend, const sim::ActionSpec &spec, std::string *message)
{
    QObject context;
    std::optional<Result<sim::ActionResult>> result;
    QCoro::connect(backend.apply(spec), &context, [&result](const Result<sim::ActionResult> &r) { result = r; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 2000)) {
        *message = "apply() never answered";
        return false;
    }
    *message = *result ? (*result)->message : result->error();
    return *result && (*result)->ok;
}

telemetry::promql::InstantSample sample(double value, std::initializer_list<std::pair<std::string, std::string>> labels)
{
    telemetry::promql::InstantSample s;
    for (const auto &[k, v] : labels)
        s.metric.set(k, v);
    s.value = value;
    return s;
}
} // namespace

class TestDiagnosis : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void evaluationPicksTheWorstSeriesAndSizesThePool()
    {
        const auto checks = models::diagnosisChecks();
        QCOMPARE(checks.front().area, DiagnosisArea::Database); // the root cause is looked at first
        telemetry::promql::Value v;
        v.type = telemetry::promql::ValueType::Vector;
        v.vector = {sample(0.5, {{"region", "us-west-2"}}), sample(1.0, {{"region", "us-east-1"}})};
        const Finding f = models::evaluateCheck(checks.front(), v, nullptr, 50.0);
        QVERIFY(f.measured && f.breached);
        QCOMPARE(f.value, 1.0);
        QCOMPARE(f.region, QStringLiteral("us-east-1"));
        QVERIFY(f.action);
        QCOMPARE(f.action->kind, sim::ActionKind::IncreaseDbPool);
        QCOMPARE(f.action->params.at("size"), std::string("125"));
        QCOMPARE(f.action->params.at("region"), std::string("us-east-1"));
        QCOMPARE(f.valueText(), QStringLiteral("100 %"));
        QCOMPARE(f.thresholdText(), QStringLiteral("> 90 %"));

        v.vector = {sample(0.4, {{"region", "us-east-1"}})};
        const Finding ok = models::evaluateCheck(checks.front(), v, nullptr, 50.0);
        QVERIFY(ok.measured && !ok.breached && !ok.action);

        v.vector.clear();
        const Finding none = models::evaluateCheck(checks.front(), v, nullptr);
        QVERIFY(!none.measured && !none.breached);
        QVERIFY(none.recommendation.contains(QLatin1String("No data")));

        v.type = telemetry::promql::ValueType::Matrix;
        const Finding wrong = models::evaluateCheck(checks.front(), v, nullptr);
        QVERIFY(!wrong.error.isEmpty());
    }

    void quietClusterIsWithinTolerance()
    {
        backends::SimulatedBackend backend(stepOptions());
        backend.step(10 * kMinuteMs);
        const auto report = diagnose(backend);
        QCOMPARE(report.findings.size(), models::diagnosisChecks().size());
        for (const auto &f : report.findings)
            QVERIFY2(f.measured && f.error.isEmpty(), describe(report).constData());
        QVERIFY2(report.breachedCount() == 0, describe(report).constData());
        QVERIFY(report.primary() == nullptr);
    }

    void findsDbPoolExhaustionAndIncreasingThePoolClearsIt()
    {
        backends::SimulatedBackend backend(busyOptions());
        backend.step(3 * kMinuteMs);
        QVERIFY(backend.injectFault(sim::FaultSpec{sim::FaultKind::DbPoolExhaustion, {}, {}}));
        backend.step(5 * kMinuteMs);
        const auto report = diagnose(backend);
        const Finding *primary = report.primary();
        QVERIFY2(primary, describe(report).constData());
        QCOMPARE(primary->check.area, DiagnosisArea::Database);
        QVERIFY(primary->action && primary->action->kind == sim::ActionKind::IncreaseDbPool);
        QVERIFY(primary->action->params.count("size"));
        QVERIFY(primary->recommendation.contains(QLatin1String("pool")));
        std::string message;
        QVERIFY2(apply(backend, *primary->action, &message), message.c_str());
        backend.step(5 * kMinuteMs);
        const auto after = diagnose(backend);
        const Finding *db = worst(after, DiagnosisArea::Database);
        QVERIFY2(db && !db->breached, describe(after).constData());
    }

    void findsTheMemoryLeakAndARestartFreesIt()
    {
        backends::SimulatedBackend backend(stepOptions());
        backend.step(3 * kMinuteMs);
        QVERIFY(backend.injectFault(sim::FaultSpec{sim::FaultKind::MemoryLeak, "agent-orchestrator", {{"rate", "0.05"}}}));
        backend.step(9 * kMinuteMs + kMinuteMs / 2); // 45 % + 9.5 × 5 % ≈ 92 %, OOMKill near 100 %
        const auto report = diagnose(backend);
        const Finding *memory = worst(report, DiagnosisArea::Memory);
        QVERIFY2(memory && memory->breached, describe(report).constData());
        QVERIFY(memory->subject.startsWith(QLatin1String("agent-orchestrator")));
        QVERIFY(memory->action);
        QCOMPARE(memory->action->kind, sim::ActionKind::Restart);
        QCOMPARE(memory->action->target, std::string("agent-orchestrator"));
        std::string message;
        QVERIFY2(apply(backend, *memory->action, &message), message.c_str());
        backend.step(3 * kMinuteMs);
        const auto after = diagnose(backend);
        const Finding *again = worst(after, DiagnosisArea::Memory);
        QVERIFY2(again && !again->breached, describe(after).constData());
    }
};

QTEST_MAIN(TestDiagnosis)
#include "tst_diagnosis.moc"
