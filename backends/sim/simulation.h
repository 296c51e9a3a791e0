#pragma once
// The simulated cluster: the runbook's platform, deterministic and fast. Plain C++20,
// no Qt. One owner drives it (advance); everyone else reads copies (snapshot, scrape).
#include "inventory.h"

#include "../telemetry/metric_family.h"
#include "../telemetry/result.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace opsdeck::sim {

enum class Preset { Default, Large };

struct SimConfig {
    std::uint64_t seed = 1;
    Preset preset = Preset::Default;
    double modelParamsBillions = 70;  // dense model served by model-server, BF16 weights
    // Simulated wall clock at t=0: 2025-07-20T00:00:00Z, the runbook's example day.
    std::int64_t startEpochMs = 1752969600000;
};

enum class FaultKind {
    BadDeploy,          // bad-deploy: new revision whose pods fail requests
    ModelServerCrash,   // model-server-crash: up{job="model-server"} == 0
    VcPoolExhaustion,   // vc-pool-exhaustion: virtual computer pool runs out
    DbPoolExhaustion,   // db-pool-exhaustion: state DB connection pool exhausted
    MemoryLeak,         // memory-leak: memory creeps to the limit (HighMemoryUsage), OOMKills
    GpuFailure,         // gpu-failure: GPUs on a node fail (XID errors), capacity drops
    RegionFailure,      // region-failure: a region goes dark
    PromptInjection,    // prompt-injection: safety violations wave
    DataCorruption,     // data-corruption: state DB corrupt, errors until restore
    TrafficSurge,       // traffic-surge: demand multiplies
};

enum class ActionKind {
    Rollback,           // rollback: kubectl rollout undo (to the previous ReplicaSet)
    Scale,              // scale: kubectl scale --replicas=N
    SetImage,           // set-image: kubectl set image (new revision)
    Canary,             // canary: canary deployment at N % of traffic
    ProgressiveRollout, // progressive-rollout: 5/25/50/100 with health checks, auto rollback
    Failover,           // failover: route traffic to the secondary region
    SafetyMode,         // safety-mode: enable_safety_mode.sh (stricter filters, shed load)
    CircuitBreaker,     // circuit-breaker: open breakers towards failing dependencies
    DeleteFailedPods,   // delete-failed-pods: kubectl delete pods --field-selector status.phase=Failed
    Restart,            // restart: kubectl rollout restart
    RotateCredentials,  // rotate-credentials
    Backup,             // backup: state DB backup
    Restore,            // restore: state DB restore from the latest clean backup
    IsolateResources,   // isolate: isolate affected resources (security procedure)
    UpdatePromptFilters,// update-prompt-filters
    IncreaseDbPool,     // increase-db-pool: the P2 diagnosis' "increase connection pool size"
};

struct FaultSpec {
    FaultKind kind{};
    std::string target;                // empty: the runbook's usual target
    std::map<std::string, std::string> params;
};

struct ActionSpec {
    ActionKind kind{};
    std::string target;                // deployment or component; empty: usual target
    std::map<std::string, std::string> params; // e.g. replicas=100, image=..., percent=5
    std::string actor = "operator";    // who asked
};

struct ActionResult {
    bool ok = false;
    std::string message;               // what happened, or why not
    std::string kubectl;               // the equivalent kubectl / API command
};

// Something that happened, for timelines, markers and the summary.
struct SimEvent {
    enum class Kind { Fault, Action, Rollout, Scaling, Kube };
    Kind kind = Kind::Kube;
    std::int64_t timeMs = 0;           // simulated ms since start
    std::string title;                 // "Fault bad-deploy on agent-orchestrator"
    std::string detail;
    bool ok = true;
};

struct ServiceStatus {
    std::string component;   // "agent-orchestrator", "model-server", ...
    std::string region;
    int desired = 0;
    int ready = 0;
    double requestsPerSec = 0;
    double errorRatio = 0;   // 0..1
    double latencyP99Sec = 0;
    double utilization = 0;  // 0..1, offered load over capacity (may exceed 1)
};

// The runbook's system-health numbers, aggregated over the serving regions.
struct HealthSnapshot {
    std::int64_t timeMs = 0;                 // simulated ms since start
    double requestRatePerMin = 0;            // agent_request_rate (threshold 10000/min, P2)
    double successRate = 1;                  // agent_success_rate (below 0.95: P1)
    double avgTaskLatencySec = 0;            // average_task_latency (above 30 s: P2)
    double virtualComputerUtilization = 0;   // 0..1 (above 0.8: P2)
    double modelInferenceP99Sec = 0;         // model_inference_latency_p99 (above 2 s: P1)
    double errorRatio = 0;                   // errors / requests
    double memoryUsageRatio = 0;             // max over pods of usage / limit (above 0.9: P2)
    double safetyViolationsPerSec = 0;
    int activeSessions = 0;
    std::string activeRegion;                // region taking (most) traffic
    std::vector<ServiceStatus> services;
};

class Simulation {
public:
    explicit Simulation(const SimConfig &config);
    ~Simulation();
    Simulation(const Simulation &) = delete;
    Simulation &operator=(const Simulation &) = delete;

    const SimConfig &config() const;
    std::int64_t nowMs() const;            // simulated ms since start
    std::int64_t epochMs() const { return config().startEpochMs + nowMs(); }

    // Steps simulated time forward by ms (internally in 1 s ticks), firing scheduled
    // faults and actions at their times.
    void advance(std::int64_t ms);

    void injectFault(const FaultSpec &fault);
    void clearFault(FaultKind kind);       // instructor's "heal"
    ActionResult apply(const ActionSpec &action);
    // kubectl delete pod: removes one pod (its ReplicaSet replaces it at the next tick).
    // Defined in kube_pods.cpp for the Kubernetes API server; ok=false if no such pod.
    ActionResult deletePod(const std::string &region, const std::string &ns, const std::string &name,
                           const std::string &actor);
    void scheduleFault(std::int64_t atMs, const FaultSpec &fault);
    void scheduleAction(std::int64_t atMs, const ActionSpec &action);
    // Scheduled actions that ran since the last call, with their results, oldest first:
    // so an owner can record a drill script's actions like the ones it applied itself.
    std::vector<std::pair<ActionSpec, ActionResult>> takeScheduledActionResults();

    HealthSnapshot health() const;
    const Inventory &inventory() const;
    const std::vector<SimEvent> &events() const;

    // One scrape of every metric at the current time, samples without timestamps,
    // families in a stable order (byte-identical for the same seed and inputs).
    telemetry::Scrape scrape() const;

    // Kubernetes events (ScalingReplicaSet, Killing, BackOff, OOMKilled, ...), oldest
    // first; the oldest are dropped beyond a few thousand.
    const std::vector<KubeEvent> &kubeEvents() const;
    // State DB backups taken so far (automatic every 15 min, and manual), oldest first.
    struct BackupInfo {
        std::string id;
        std::int64_t timeMs = 0; // simulated ms since start
        bool clean = true;       // taken before any data corruption began
    };
    std::vector<BackupInfo> backups() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// Names as used on the command line ("bad-deploy", "rollback", ...), both ways.
const char *faultName(FaultKind kind);
const char *actionName(ActionKind kind);
Result<FaultKind> faultFromName(const std::string &name);
Result<ActionKind> actionFromName(const std::string &name);
std::vector<FaultKind> allFaults();
std::vector<ActionKind> allActions();

} // namespace opsdeck::sim
