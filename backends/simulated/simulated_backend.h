#pragma once
// ClusterBackend over the embedded, deterministic simulated cluster.
//
// Threaded mode (the console): a worker thread owns the simulation, advances simulated
// time at the chosen speed, and publishes immutable snapshots to this object's thread at
// most maxPublishHz times a second. The UI never waits on the engine; faults and actions
// are posted to the worker.
//
// Step mode (tests, --screenshot): no thread, no timer; step() advances simulated time
// synchronously and publishes one snapshot, so results depend on simulated time only.
#include "../cluster_backend.h"
#include "simulation_worker.h"

#include <QFuture>
#include <QPromise>
#include <QThread>

#include <memory>

namespace opsdeck::backends {

class SimulatedBackend : public ClusterBackend {
    Q_OBJECT
public:
    explicit SimulatedBackend(const SimulatedBackendOptions &options, QObject *parent = nullptr);
    ~SimulatedBackend() override;

    const SimulatedBackendOptions &options() const { return m_options; }
    bool isThreaded() const { return m_options.threaded; }
    // Simulated ms since start of the latest snapshot.
    std::int64_t nowMs() const;

    // Advances simulated time by `ms` (whole seconds) and publishes a snapshot before
    // returning. In threaded mode it blocks until the worker is done: tests and tools only.
    void step(std::int64_t ms);

    // Alert-rule state across a console restart (additive to ClusterBackend): export what
    // the evaluator holds (pending/firing since when, queue acknowledgements) before
    // exiting; import it into the next backend so a firing alert stays firing with its
    // original activeAt instead of waiting out its `for` again. Export blocks on the
    // worker in threaded mode (shutdown / tests only); import is queued in order before
    // any later step.
    std::vector<RuleAlertState> exportAlertState();
    void importAlertState(std::vector<RuleAlertState> states);

    QString displayName() const override;
    ConnectionState connectionState() const override { return ConnectionState::Simulation; }
    QStringList statusFacts() const override;
    SnapshotPtr latestSnapshot() const override { return m_latest; }

    QCoro::Task<Result<sim::Inventory>> inventory() override;
    QCoro::Task<Result<telemetry::promql::Value>> queryInstant(QString promql,
                                                                std::int64_t tMs) override;
    QCoro::Task<Result<telemetry::promql::Value>> queryRange(QString promql, std::int64_t startMs,
                                                              std::int64_t endMs,
                                                              std::int64_t stepMs) override;
    QCoro::Task<Result<std::vector<sim::SimEvent>>> events(std::size_t from) override;
    QCoro::Task<Result<sim::ActionResult>> apply(sim::ActionSpec action) override;

    QCoro::Task<Status> acknowledge(telemetry::alerting::Fingerprint fingerprint, QString who,
                                    QString comment) override;
    QCoro::Task<Result<std::string>> silence(telemetry::alerting::Matchers matchers,
                                             std::int64_t durationMs, QString who,
                                             QString comment) override;

    Status injectFault(const sim::FaultSpec &fault) override;
    Status clearFault(sim::FaultKind kind) override;

    bool supportsClockControl() const override { return true; }
    Status setPaused(bool paused) override;
    Status setSpeed(SimSpeed speed) override;
    bool isPaused() const override { return m_paused; }
    SimSpeed speed() const override { return m_speed; }

private:
    void onSnapshot(const SnapshotPtr &snapshot);

    // Runs fn(worker) on the worker's thread (directly in step mode) and hands the
    // result back as a future the caller can co_await.
    template <typename T, typename Fn>
    QFuture<T> runOnWorker(Fn fn)
    {
        auto promise = std::make_shared<QPromise<T>>();
        QFuture<T> future = promise->future();
        promise->start();
        SimulationWorker *worker = m_worker;
        auto job = std::make_shared<Fn>(std::move(fn));
        QMetaObject::invokeMethod(worker, [promise, job, worker]() {
            promise->addResult((*job)(*worker));
            promise->finish();
        });
        return future;
    }

    SimulatedBackendOptions m_options;
    SimulationWorker *m_worker = nullptr; // owned; lives on m_thread when threaded
    QThread *m_thread = nullptr;
    SnapshotPtr m_latest;
    bool m_paused = false;
    SimSpeed m_speed = SimSpeed::X1;
};

} // namespace opsdeck::backends
