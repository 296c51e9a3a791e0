#pragma once
// Private state of the Simulation. The pieces live in separate sources:
//   cluster.cpp   regions, nodes, deployments and their initial history
//   rollout.cpp   Deployment/ReplicaSet controllers (revisions, rolling updates)
//   pods.cpp      pod lifecycle timers, crashes, OOM kills, memory model
//   traffic.cpp   demand, queueing per service, errors and latency, per-tick counters
//   inference.cpp GPU inference fluid model (continuous batching, KV cache)
//   faults.cpp    fault injection;  actions.cpp  operator actions
//   exporter.cpp  scrape(): every metric family;  simulation.cpp  the public API
#include "histogram.h"
#include "hpa.h"
#include "rng.h"
#include "roofline.h"
#include "simulation.h"
#include "topology.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace opsdeck::sim {

enum class PodStage { Scheduling, Creating, Starting, Ready, CrashBackoff, Failed, Gone };

struct PodRt {
    std::uint64_t id = 0;
    int rs = -1;
    int dep = -1;
    int node = -1;
    int region = 0;
    PodStage stage = PodStage::Scheduling;
    std::uint64_t gen = 0;              // bumps on every change; stale timers are ignored
    std::int64_t containerStartMs = 0;  // memory and counters restart here
    std::int64_t lastCrashMs = -1;
    int backoffLevel = 0;
    bool poisoned = false;              // model-server-crash: crashes until replaced
    bool warnedUnschedulable = false;
    std::string ip;
    std::vector<double> vllmBase;       // per-ready-pod accumulators at last (re)start
    // label sets built by the first scrape that needs them (names and IPs never change)
    mutable telemetry::Labels upLabels, containerLabels, vllmLabels;
    mutable std::vector<telemetry::Labels> vllmBucketLabels[3];
};

struct RsRt {
    int dep = -1;
    int ready = 0;
    int active = 0;                     // pods not Failed/Gone
    double failRate = 0;                // share of requests a pod of this template fails
    bool leaky = false;                 // memory leak in this image
};

struct DepRt {
    int service = 0;
    int region = 0;
    bool canary = false;
    int currentRs = -1;
    std::vector<int> rs;                // all ReplicaSets, oldest first
    std::string restartedAt;            // template annotation from rollout restart
};

struct NodeRt {
    int region = 0;
    int pods = 0;
    bool gpuBusy = false;
    int xid = 0;                        // last XID error (dcgm-exporter reports it as a gauge)
    bool failed = false;
    mutable std::vector<telemetry::Labels> gpuLabels; // dcgm-exporter labels per GPU
};

struct TimerEntry {
    std::int64_t atMs;
    std::uint64_t seq;
    std::uint64_t podId;
    std::uint64_t gen;
    bool operator>(const TimerEntry &o) const { return atMs != o.atMs ? atMs > o.atMs : seq > o.seq; }
};

// What one service did in the last tick, and its counters since start.
struct ServiceRt {
    int dep = -1;                       // main deployment
    double arrivalsPerSec = 0;
    double capacityPerSec = 0;
    double utilization = 0;
    double latencySec = 0;              // mean per visit
    double p99Sec = 0;
    double errorProb = 0;
    double requestsTotal = 0;
    double errorsTotal = 0;
    Histogram latency{Histogram::httpBuckets()};
    double cpuCoresUsed = 0;
};

// Fluid model of the region's model-server pods (all pods share the load evenly).
struct InferenceRt {
    double waiting = 0;                 // queued requests (KV cache full)
    double running = 0;                 // sequences in the batch
    double kvUsage = 0;                 // 0..1
    double gpuUtil = 0;                 // 0..1
    double ttftSec = 0, itlSec = 0, e2eSec = 0;
    double rejectedFrac = 0;
    double powerWatts = 0;
    // per-pod histogram observations pooled over a few ticks (count, count × mean)
    double pendingCount[3] = {}, pendingWeighted[3] = {};
    int pendingTicks = 0;
    // Per-ready-pod cumulative accumulators (histograms flattened, then counters), so
    // a pod's counter is acc - pod.vllmBase: O(1) per tick, monotone per pod.
    std::vector<double> perPodAcc;
};

struct RegionRt {
    std::string name;
    bool primary = false;
    bool healthy = true;
    std::vector<int> cpuNodes, gpuNodes;
    std::size_t cpuCursor = 0;
    double weight = 0;                  // effective DNS share now
    double weightFrom = 0, weightTo = 0;
    std::int64_t weightChangeMs = -1;
    std::array<ServiceRt, kServiceCount> svc;
    int canaryDep = -1;
    double canaryShare = 0;             // share of orchestrator traffic to the canary
    // agent_* counters: [namespace main/canary][tier], errors also by reason
    double requests[2][4] = {};
    double errors[2][4][3] = {};
    std::array<Histogram, 2> taskDuration{Histogram(Histogram::taskBuckets()), Histogram(Histogram::taskBuckets())};
    Histogram inferenceLatency{Histogram::inferenceBuckets()};
    std::array<Histogram, 3> externalLatency{Histogram(Histogram::externalBuckets()),
                                             Histogram(Histogram::externalBuckets()),
                                             Histogram(Histogram::externalBuckets())};
    double safetyViolations[3] = {};    // prompt_injection, policy, data_exfiltration
    double safetyBlocked = 0;
    double sessions[4] = {};            // agent_active_sessions by tier
    double vcSessions = 0, vcCapacity = 0;
    double dbPoolMax = 40, dbInUse = 0, dbWaitSec = 0, dbWaitTotal = 0;
    double mqDepth = 0;
    InferenceRt inference;
    HpaController hpa{10, 100};
    std::int64_t nextHpaMs = 15000;
    // smoothed (about one minute) figures for health()
    double rpsSmooth = 0, errorSmooth = 0, taskLatencySmooth = 0, inferP99Smooth = 0;
    double canaryErrorSmooth = 0, canaryP99Smooth = 0;
    double safetyViolationsSmooth = 0;
};

struct FaultState {
    bool active = false;
    std::int64_t sinceMs = 0;
    FaultSpec spec;
    int region = 0;
};

struct Backup {
    std::string id;
    std::int64_t timeMs = 0;
    bool clean = true;
    bool manual = false;
};

struct ProgressiveRollout {
    bool active = false;
    int region = 0;
    std::string image;
    int stage = 0;                      // index into 5/25/50/100
    std::int64_t stageStartMs = 0;
    std::int64_t nextCheckMs = 0;
};

struct Simulation::Impl {
    SimConfig config;
    std::int64_t now = 0;
    Rng rng;
    Rng trafficRng;                     // separate stream: demand noise never shifts pod names
    Inventory inv;
    std::vector<PodRt> podRt;
    std::vector<RsRt> rsRt;
    std::vector<DepRt> depRt;
    std::vector<NodeRt> nodeRt;
    std::vector<RegionRt> regions;
    std::unordered_map<std::uint64_t, std::size_t> podIndex;
    std::priority_queue<TimerEntry, std::vector<TimerEntry>, std::greater<>> timers;
    std::uint64_t timerSeq = 0;
    std::uint64_t nextPodId = 1;
    bool needCompaction = false;
    std::set<int> dirtyDeployments;     // ordered: reconciled in index order
    std::vector<SimEvent> events;
    std::vector<KubeEvent> kubeEvents;
    std::multimap<std::int64_t, FaultSpec> scheduledFaults;
    std::multimap<std::int64_t, ActionSpec> scheduledActions;
    // Outcomes of scheduled actions, until the owner takes them (takeScheduledActionResults).
    std::vector<std::pair<ActionSpec, ActionResult>> scheduledResults;

    // model and hardware
    ModelShape model;
    InferenceHardware hw;

    // demand
    double peakRps = 0;
    double noise = 0;                   // AR(1) log-noise
    double burstFactor = 1;
    std::int64_t burstUntilMs = 0;
    std::int64_t nextBurstMs = 0;

    // faults and operator state
    std::array<FaultState, 10> faults;
    std::map<std::string, double> badImages;   // image -> share of requests failed
    std::set<std::string> leakyImages;
    double leakFractionPerMin = 0.025;
    bool safetyMode = false;
    bool circuitBreakers = false;
    bool filtersUpdated = false;
    bool isolated = false;
    std::int64_t filtersEffectiveMs = 0;
    std::vector<Backup> backups;
    std::int64_t nextBackupMs = 15 * 60000;
    std::int64_t restoreUntilMs = -1;
    ProgressiveRollout progressive;

    // --- simulation.cpp
    explicit Impl(const SimConfig &cfg);
    void tick();
    void recordEvent(SimEvent::Kind kind, std::string title, std::string detail, bool ok = true);
    void kubeEvent(const std::string &ns, bool warning, const std::string &reason,
                   const std::string &kind, const std::string &name, const std::string &message);
    FaultState &fault(FaultKind k) { return faults[static_cast<int>(k)]; }
    bool faultActive(FaultKind k) const { return faults[static_cast<int>(k)].active; }
    int regionIndex(const std::string &name) const; // -1 if unknown
    int activeRegion() const;           // region with the largest share

    // --- cluster.cpp
    void buildCluster();
    int createDeployment(int region, ServiceId service, bool canary, int replicas,
                         const std::string &canaryImage = {});
    int createReplicaSet(int dep, const PodTemplate &tpl, const std::string &changeCause);
    int findDeployment(int region, const std::string &ns, const std::string &name) const;
    void setTemplate(int dep, PodTemplate tpl, const std::string &changeCause);
    void setReplicas(int dep, int replicas);
    void reconcile(int dep);
    void scaleReplicaSet(int rs, int replicas);
    void createPod(int rs);
    void deletePod(std::size_t index, const std::string &why);
    void failPod(std::size_t index, const std::string &reason);
    void crashPod(std::size_t index, const std::string &reason);
    void schedule(std::size_t index, std::int64_t atMs);
    void processTimers();
    void onTimer(std::size_t index);
    void setStage(std::size_t index, PodStage stage);
    void compact();
    void refreshDeploymentStatus(int dep);
    std::string templateHash(const PodTemplate &tpl, int dep);
    void failNode(int node);
    double podMemoryBytes(std::size_t index) const;
    std::int64_t oomTimeMs(std::size_t index) const; // -1: never

    // --- traffic.cpp
    double demandPerSec();
    void stepRegion(RegionRt &r, int regionIdx, double tasksPerSec, double dt);
    void updateDns();
    void runHpa(RegionRt &r, int regionIdx);

    // --- inference.cpp
    void stepInference(RegionRt &r, double requestsPerSec, double dt);

    // --- faults.cpp / actions.cpp
    void inject(const FaultSpec &spec);
    void clear(FaultKind kind);
    ActionResult apply(const ActionSpec &spec);
    void stepOperations();               // backups, restore, progressive rollout
    void takeBackup(bool manual);
    void stepProgressiveRollout();
    void setCanary(int region, const std::string &image, double percent);
    void endCanary(int region);
    bool restoreClean = true;
};

// Inference request shape (per model call of an agent step): agent contexts are long
// (tool outputs, page contents) but mostly shared with the previous step, so the prefix
// cache serves most of the prompt; the KV cache still has to hold all of it.
inline constexpr double kPromptTokens = 8000;
inline constexpr double kPrefixCacheHit = 0.95;
inline constexpr double kOutputTokens = 48;

} // namespace opsdeck::sim
