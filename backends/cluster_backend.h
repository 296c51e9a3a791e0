#pragma once
// The one interface between the console and a cluster. Models and widgets see only this;
// the embedded simulation (SimulatedBackend) and a remote cluster implement it.
//
// Data is shaped as the simulator shapes it (Kubernetes-like inventory, runbook health
// numbers, PromQL values), because the simulator speaks the real wire formats: a remote
// implementation fills the same structs from the Kubernetes and Prometheus APIs.
//
// Anything that may touch a network is a coroutine returning Result<T>: a value or an
// error that says what failed and why, never a silent default.
#include "sim/inventory.h"
#include "sim/simulation.h"
#include "telemetry/alerting/alert_queue.h"
#include "telemetry/promql/promql.h"
#include "telemetry/result.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <QCoro/QCoroTask>

#include <cstdint>
#include <memory>
#include <vector>

namespace opsdeck::backends {

// Result<T> needs a value type; calls that only succeed or fail return Status.
struct Done {};
using Status = Result<Done>;

// Everything the UI shows about the cluster at one instant, immutable once published,
// so it can cross threads and be held by any number of views without copying.
struct ClusterSnapshot {
    std::int64_t timeMs = 0;   // simulated ms since start (remote: ms since attach)
    std::int64_t epochMs = 0;  // wall-clock instant the snapshot describes
    sim::HealthSnapshot health;
    std::shared_ptr<const sim::Inventory> inventory;
    // Health sampled at a fixed simulated interval since the previous snapshot, oldest
    // first, so charts keep every point even when the UI sees only ~10 snapshots/s of a
    // simulation running at 600x. The last element equals `health` when non-empty.
    std::vector<sim::HealthSnapshot> healthSincePrevious;
    std::size_t eventCount = 0; // total events so far; grows monotonically
    // Actions a script scheduled (drills, --action) that ran since the previous snapshot;
    // the backend reports each as actionCompleted too, like the ones asked through apply().
    std::vector<std::pair<sim::ActionSpec, sim::ActionResult>> scheduledActionsCompleted;
    // The alert queue as of epochMs (firing, and resolved within retention), severity
    // first. Shared and immutable: views hold it without copying. Null: no alerting.
    std::shared_ptr<const std::vector<telemetry::alerting::QueuedAlert>> alerts;
};
using SnapshotPtr = std::shared_ptr<const ClusterSnapshot>;

// Simulation speeds offered in the console; Max runs as fast as the machine allows.
enum class SimSpeed { X1, X10, X60, X600, Max };
double speedFactor(SimSpeed speed);        // 1, 10, 60, 600; Max: +infinity
const char *speedName(SimSpeed speed);     // "1", "10", "60", "600", "max" (CLI spelling)
Result<SimSpeed> speedFromName(std::string_view name);
std::vector<SimSpeed> allSpeeds();

enum class ConnectionState { Disconnected, Connecting, Connected, Simulation, Failed };

class ClusterBackend : public QObject {
    Q_OBJECT
public:
    explicit ClusterBackend(QObject *parent = nullptr) : QObject(parent) {}
    ~ClusterBackend() override = default;

    // "Simulation (seed 42, default)" / "prod-us-east-1": for banners and status bars.
    virtual QString displayName() const = 0;
    virtual ConnectionState connectionState() const = 0;
    // Short facts for a status bar, e.g. {"seed 42", "preset default"}.
    virtual QStringList statusFacts() const = 0;

    // The newest published snapshot (never null once snapshotPublished fired once;
    // may be null before). Cheap: a shared pointer copy.
    virtual SnapshotPtr latestSnapshot() const = 0;

    // --- Reads -------------------------------------------------------------------------
    virtual QCoro::Task<Result<sim::Inventory>> inventory() = 0;
    // PromQL text in, Prometheus-shaped value out (as /api/v1/query and /query_range).
    // Times are epoch milliseconds, as in Prometheus (the simulation's clock starts at
    // SimConfig::startEpochMs; ClusterSnapshot::epochMs says where it is now).
    virtual QCoro::Task<Result<telemetry::promql::Value>> queryInstant(QString promql,
                                                                        std::int64_t tMs) = 0;
    virtual QCoro::Task<Result<telemetry::promql::Value>>
    queryRange(QString promql, std::int64_t startMs, std::int64_t endMs, std::int64_t stepMs) = 0;
    // Events (faults, actions, rollouts, kube events) from index `from` on.
    virtual QCoro::Task<Result<std::vector<sim::SimEvent>>> events(std::size_t from) = 0;

    // --- Actions -----------------------------------------------------------------------
    // Scale, rollback, set image / canary step, failover, safety mode, restart failed
    // pods, rotate credentials, backup / restore: one entry point, one record per call.
    virtual QCoro::Task<Result<sim::ActionResult>> apply(sim::ActionSpec action) = 0;
    // Asked before the confirmation's Apply is enabled: empty when the current user may
    // carry out `action`, else the cluster's reason why not (a real cluster asks the API
    // server with a SelfSubjectAccessReview). The simulation allows everything.
    virtual QCoro::Task<Result<std::string>> whyNotAllowed(sim::ActionSpec action);

    // --- Alert queue -------------------------------------------------------------------
    // Acknowledge a firing alert (Alertmanager-style queue plus the console's ack).
    // Errors: unknown fingerprint, resolved, already acknowledged, no name given.
    virtual QCoro::Task<Status> acknowledge(telemetry::alerting::Fingerprint fingerprint,
                                            QString who, QString comment) = 0;
    // Create a silence from now for durationMs; returns the silence id.
    virtual QCoro::Task<Result<std::string>> silence(telemetry::alerting::Matchers matchers,
                                                     std::int64_t durationMs, QString who,
                                                     QString comment) = 0;

    // --- Instructor (simulation only; a real cluster answers with an error) -----------
    virtual Status injectFault(const sim::FaultSpec &fault) = 0;
    virtual Status clearFault(sim::FaultKind kind) = 0;

    // --- Clock (simulation only) ----------------------------------------------------
    virtual bool supportsClockControl() const = 0;
    virtual Status setPaused(bool paused) = 0;
    virtual Status setSpeed(SimSpeed speed) = 0;
    virtual bool isPaused() const = 0;
    virtual SimSpeed speed() const = 0;

Q_SIGNALS:
    void snapshotPublished(const opsdeck::backends::SnapshotPtr &snapshot);
    void connectionStateChanged(opsdeck::backends::ConnectionState state);
    void clockChanged(); // paused or speed changed
    // Every action's outcome, whoever asked: feeds audit log and timeline.
    void actionCompleted(const opsdeck::sim::ActionSpec &action,
                         const opsdeck::sim::ActionResult &result);
    void errorOccurred(const QString &message);
};

} // namespace opsdeck::backends

Q_DECLARE_METATYPE(opsdeck::backends::SnapshotPtr)
Q_DECLARE_METATYPE(opsdeck::sim::ActionSpec)
Q_DECLARE_METATYPE(opsdeck::sim::ActionResult)
Q_DECLARE_METATYPE(opsdeck::telemetry::alerting::QueuedAlert)
