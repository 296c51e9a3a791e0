// SimulatedBackend in deterministic step mode (and one threaded run): snapshots, history
// samples, clock state, PromQL over the scraped metrics, actions, faults, determinism.
#include "backends/simulated/simulated_backend.h"
#include "models/cluster_status.h"

#include <QCoro/QCoroTask>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace opsdeck;
using backends::SimulatedBackend;
using backends::SimulatedBackendOptions;
using backends::SimSpeed;

namespace {
SimulatedBackendOptions stepOptions(std::uint64_t seed = 7)
{
    SimulatedBackendOptions o;
    o.config.seed = seed;
    o.threaded = false;
    return o;
}

// Runs a task to completion on this thread's event loop, with a watchdog.
template <typename T>
T await(QCoro::Task<T> task)
{
    std::optional<T> out;
    QEventLoop loop;
    QCoro::connect(std::move(task), &loop, [&](T value) {
        out.emplace(std::move(value));
        loop.quit();
    });
    if (!out) {
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!out)
        qFatal("task did not finish within 30 s");
    return std::move(*out);
}
} // namespace

class TestSimulatedBackend : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void speedsParseAsOnTheCommandLine()
    {
        QCOMPARE(*backends::speedFromName("600"), SimSpeed::X600);
        QCOMPARE(*backends::speedFromName("60x"), SimSpeed::X60);
        QCOMPARE(*backends::speedFromName("max"), SimSpeed::Max);
        const auto bad = backends::speedFromName("7");
        QVERIFY(!bad);
        QVERIFY(QString::fromStdString(bad.error()).contains(QLatin1String("1, 10, 60, 600, max")));
        QVERIFY(std::isinf(backends::speedFactor(SimSpeed::Max)));
    }

    void publishesAnInitialSnapshot()
    {
        SimulatedBackend backend(stepOptions());
        QVERIFY(backend.latestSnapshot());
        QCOMPARE(backend.nowMs(), std::int64_t(0));
        QCOMPARE(backend.connectionState(), backends::ConnectionState::Simulation);
        QVERIFY(backend.statusFacts().contains(QStringLiteral("seed 7")));
        QVERIFY(backend.latestSnapshot()->inventory);
        QVERIFY(!backend.latestSnapshot()->inventory->deployments.empty());
    }

    void stepAdvancesAndCarriesEverySample()
    {
        SimulatedBackend backend(stepOptions());
        QSignalSpy published(&backend, &backends::ClusterBackend::snapshotPublished);
        backend.step(10 * 60 * 1000);
        QCOMPARE(published.count(), 1);
        const auto snap = backend.latestSnapshot();
        QCOMPARE(snap->timeMs, std::int64_t(600000));
        QCOMPARE(snap->epochMs, backend.options().config.startEpochMs + 600000);
        // One health sample every 5 simulated seconds, none lost to the publish rate.
        QCOMPARE(snap->healthSincePrevious.size(), std::size_t(120));
        QCOMPARE(snap->healthSincePrevious.back().timeMs, std::int64_t(600000));
        QVERIFY(snap->health.requestRatePerMin > 0);
    }

    void sameSeedSameNumbers()
    {
        SimulatedBackend a(stepOptions(42)), b(stepOptions(42)), c(stepOptions(43));
        a.step(900000);
        b.step(900000);
        c.step(900000);
        QCOMPARE(a.latestSnapshot()->health.requestRatePerMin, b.latestSnapshot()->health.requestRatePerMin);
        QCOMPARE(a.latestSnapshot()->health.modelInferenceP99Sec,
                 b.latestSnapshot()->health.modelInferenceP99Sec);
        QVERIFY(a.latestSnapshot()->health.requestRatePerMin
                != c.latestSnapshot()->health.requestRatePerMin);
    }

    void clockStateChangesAndSignals()
    {
        SimulatedBackend backend(stepOptions());
        models::ClusterStatus status(&backend);
        QSignalSpy clock(&backend, &backends::ClusterBackend::clockChanged);
        QSignalSpy statusChanged(&status, &models::ClusterStatus::changed);
        QVERIFY(backend.supportsClockControl());
        QVERIFY(!backend.isPaused());
        QVERIFY(backend.setPaused(true));
        QVERIFY(backend.isPaused());
        QVERIFY(backend.setSpeed(SimSpeed::X600));
        QCOMPARE(backend.speed(), SimSpeed::X600);
        QVERIFY(backend.setSpeed(SimSpeed::X600)); // unchanged: no signal
        QCOMPARE(clock.count(), 2);
        QCOMPARE(statusChanged.count(), 2);
        QCOMPARE(status.speedText(), QStringLiteral("600×"));
        QCOMPARE(status.connectionText(), QStringLiteral("SIMULATION"));

        backend.step(3600 * 1000 + 61 * 1000);
        QCOMPARE(status.clockText(), QStringLiteral("2025-07-20 01:01:01 UTC"));
        QCOMPARE(status.elapsedText(), QStringLiteral("T+01:01:01"));
        QCOMPARE(models::ClusterStatus::formatElapsed((26 * 3600 + 5) * 1000LL),
                 QStringLiteral("T+1d 02:00:05"));
    }

    void promqlOverScrapedMetrics()
    {
        SimulatedBackend backend(stepOptions());
        backend.step(5 * 60 * 1000);
        const auto nowEpoch = backend.latestSnapshot()->epochMs;
        auto value = await(backend.queryInstant(QStringLiteral("sum(rate(agent_requests_total[1m]))"),
                                                nowEpoch));
        QVERIFY2(value.ok(), value.ok() ? "" : value.error().c_str());
        QCOMPARE(value->type, telemetry::promql::ValueType::Vector);
        QCOMPARE(value->vector.size(), std::size_t(1));
        QVERIFY(value->vector.front().value > 0);

        auto range = await(backend.queryRange(QStringLiteral("up"), nowEpoch - 60000, nowEpoch, 15000));
        QVERIFY2(range.ok(), range.ok() ? "" : range.error().c_str());
        QVERIFY(!range->matrix.empty());
        QCOMPARE(range->matrix.front().points.size(), std::size_t(5));

        auto bad = await(backend.queryInstant(QStringLiteral("sum(rate(x[1m])"), nowEpoch));
        QVERIFY(!bad.ok());
        QVERIFY(!bad.error().empty());
        auto badStep = await(backend.queryRange(QStringLiteral("up"), nowEpoch, nowEpoch, 0));
        QVERIFY(!badStep.ok());
    }

    void actionsReportTheirResult()
    {
        SimulatedBackend backend(stepOptions());
        backend.step(60000);
        QSignalSpy completed(&backend, &backends::ClusterBackend::actionCompleted);
        sim::ActionSpec scale;
        scale.kind = sim::ActionKind::Scale;
        scale.target = "agent-orchestrator";
        scale.params["replicas"] = "40";
        auto result = await(backend.apply(scale));
        QVERIFY(result.ok());
        QVERIFY2(result->ok, result->message.c_str());
        QVERIFY(!result->kubectl.empty());
        QCOMPARE(completed.count(), 1);
        backend.step(1000);
        int desired = 0;
        for (const auto &dep : backend.latestSnapshot()->inventory->deployments)
            if (dep.name == "agent-orchestrator")
                desired = std::max(desired, dep.replicas);
        QCOMPARE(desired, 40);

        auto events = await(backend.events(0));
        QVERIFY(events.ok());
        QVERIFY(!events->empty());
    }

    void scheduledActionsAreReportedLikeAppliedOnes()
    {
        // A drill script's actions (--action) must reach the audit log and timelines as
        // the ones clicked do: the backend reports them as actionCompleted.
        auto options = stepOptions();
        sim::ActionSpec scale;
        scale.kind = sim::ActionKind::Scale;
        scale.target = "model-server";
        scale.params["replicas"] = "7";
        options.actions.push_back(sim::TimedAction{90'000, scale});
        SimulatedBackend backend(options);
        QSignalSpy completed(&backend, &backends::ClusterBackend::actionCompleted);
        backend.step(60'000);
        QCOMPARE(completed.count(), 0); // not due yet
        backend.step(60'000);
        QCOMPARE(completed.count(), 1);
        const auto spec = completed.at(0).at(0).value<sim::ActionSpec>();
        const auto result = completed.at(0).at(1).value<sim::ActionResult>();
        QCOMPARE(spec.kind, sim::ActionKind::Scale);
        QCOMPARE(spec.target, std::string("model-server"));
        QVERIFY2(result.ok, result.message.c_str());
        QVERIFY(!result.kubectl.empty());
        backend.step(60'000);
        QCOMPARE(completed.count(), 1); // reported once
    }

    void trafficSurgeRaisesRequestRate()
    {
        SimulatedBackend calm(stepOptions()), surged(stepOptions());
        calm.step(15 * 60 * 1000);
        surged.step(15 * 60 * 1000);
        QVERIFY(surged.injectFault(sim::FaultSpec{sim::FaultKind::TrafficSurge, {}, {}}));
        calm.step(15 * 60 * 1000);
        surged.step(15 * 60 * 1000);
        QVERIFY(surged.latestSnapshot()->health.requestRatePerMin
                > 1.5 * calm.latestSnapshot()->health.requestRatePerMin);
    }

    void threadedRunAdvancesOnItsOwn()
    {
        SimulatedBackendOptions o = stepOptions();
        o.threaded = true;
        o.speed = SimSpeed::Max;
        SimulatedBackend backend(o);
        QSignalSpy published(&backend, &backends::ClusterBackend::snapshotPublished);
        // Wait (event loop, watchdog) until the worker has moved time forward by itself.
        QTRY_VERIFY_WITH_TIMEOUT(backend.nowMs() >= 10000, 30000);
        QVERIFY(published.count() >= 1);
        QVERIFY(backend.setPaused(true));
        // A blocking step still works while the worker thread runs.
        const auto before = backend.nowMs();
        backend.step(5000);
        QVERIFY(backend.nowMs() >= before + 5000);
    }

    // A console restart must not turn a firing alert back into a pending one: export the
    // evaluator's state, build a new backend whose evaluator starts at the restart time
    // (no memory, as a restarted Prometheus), import, and the alert fires at once with its
    // original activeAt and acknowledgement. The control backend without the import shows
    // what would happen otherwise: pending again, activeAt at the restart.
    void alertStateSurvivesARestart()
    {
        constexpr std::int64_t kMinuteMs = 60'000;
        const sim::FaultSpec fault{sim::FaultKind::BadDeploy, "agent-orchestrator", {}};
        SimulatedBackend before(stepOptions(11));
        before.step(2 * kMinuteMs);
        QVERIFY(before.injectFault(fault));
        std::optional<backends::RuleAlertState> firing;
        for (int i = 0; i < 40 && !firing; ++i) {
            before.step(30'000);
            for (const auto &state : before.exportAlertState())
                if (state.firing)
                    firing = state;
        }
        QVERIFY2(firing, "no alert fired within 20 minutes of a bad deploy");
        const auto fp = telemetry::alerting::fingerprintOf(firing->labels);
        const auto acked = await(before.acknowledge(fp, QStringLiteral("alice"),
                                                    QStringLiteral("on it")));
        QVERIFY2(acked, acked ? "" : acked.error().c_str());
        const std::int64_t restartAt = before.nowMs();
        const auto saved = before.exportAlertState();
        const auto savedFiring = std::find_if(saved.begin(), saved.end(), [&](const auto &s) {
            return s.labels == firing->labels;
        });
        QVERIFY(savedFiring != saved.end());
        QCOMPARE(savedFiring->acknowledgedBy, std::string("alice"));

        auto restarted = [&](bool restore) {
            auto options = stepOptions(11);
            options.rulesStartAtMs = restartAt;
            auto backend = std::make_unique<SimulatedBackend>(options);
            backend->step(2 * kMinuteMs);
            backend->injectFault(fault);
            backend->step(restartAt - 2 * kMinuteMs);
            if (restore)
                backend->importAlertState(saved);
            backend->step(30'000); // two rule evaluations after the restart
            return backend;
        };
        auto after = restarted(true);
        const auto resumed = after->exportAlertState();
        auto it = std::find_if(resumed.begin(), resumed.end(),
                               [&](const auto &s) { return s.labels == firing->labels; });
        QVERIFY(it != resumed.end());
        QVERIFY(it->firing);
        QCOMPARE(it->activeAtMs, firing->activeAtMs);
        QCOMPARE(it->firedAtMs, firing->firedAtMs);
        const auto queued = std::find_if(after->latestSnapshot()->alerts->begin(),
                                         after->latestSnapshot()->alerts->end(),
                                         [&](const auto &q) { return q.alert.fingerprint == fp; });
        QVERIFY(queued != after->latestSnapshot()->alerts->end());
        QVERIFY(!queued->resolved);
        QCOMPARE(queued->alert.startsAtMs, *firing->firedAtMs);
        QVERIFY(queued->ack);
        QCOMPARE(queued->ack->by, std::string("alice"));

        auto control = restarted(false);
        const auto fresh = control->exportAlertState();
        it = std::find_if(fresh.begin(), fresh.end(),
                          [&](const auto &s) { return s.labels == firing->labels; });
        QVERIFY(it != fresh.end());
        QVERIFY(!it->firing);
        QVERIFY(it->activeAtMs > firing->activeAtMs);
    }
};

QTEST_GUILESS_MAIN(TestSimulatedBackend)
#include "tst_simulated_backend.moc"
