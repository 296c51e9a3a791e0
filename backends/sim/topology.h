#pragma once
// The runbook's service dependency graph as a catalogue of services: names (deployment,
// app label, container, image, Prometheus job), replica counts per preset, and the
// capacity and latency figures the traffic model needs.
//   LB -> API gateway -> agent orchestrator -> {model server, virtual computer,
//   tool services, safety systems, state database, message queue}
#include "simulation.h"

#include <string>
#include <vector>

namespace opsdeck::sim {

// Index of each service in the catalogue (and in per-region runtime arrays).
enum ServiceId : int {
    kLoadBalancer,
    kApiGateway,
    kOrchestrator,
    kModelServer,
    kVirtualComputer,
    kBrowserTool,
    kCodeExecutor,
    kToolApiGateway,
    kSafetyFilter,
    kPermissionManager,
    kStateDb,
    kMessageQueue,
    kServiceCount
};

struct ServiceSpec {
    ServiceId id{};
    std::string deployment;      // also the runbook component and the Prometheus job
    std::string appLabel;        // app=...
    std::string container;
    std::string image;           // current image at start
    std::string previousImage;   // revision before it (empty: only one revision)
    std::string tier;            // "edge", "core", "inference", "sandbox", "tools", "safety", "data"
    int replicas = 1;            // per region, default preset
    int largeReplicas = 1;       // per region, large preset
    double perReplicaRps = 100;  // requests/s one ready replica serves at 100 % busy
    double workersPerReplica = 8;// parallel servers per replica (queueing model's c)
    double serviceSeconds = 0.01;// mean service time per visit without queueing
    double visitsPerTask = 1;    // calls per agent request
    double timeoutSeconds = 10;  // calls waiting longer fail
    double cpuRequestCores = 1;
    double memoryLimitBytes = 2e9;
    double baseMemoryRatio = 0.45; // resident memory / limit when healthy
    int port = 8080;
    bool gpu = false;            // one pod per 8-GPU node
    bool optional = false;       // a failing tool degrades a task rather than failing it
    double readySeconds = 5;     // container start to readiness (model server: weights)
};

const std::vector<ServiceSpec> &serviceCatalogue();
const ServiceSpec &serviceSpec(ServiceId id);
// By deployment name or app label ("agent-orchestrator" or "orchestrator"); -1 if none.
int findService(const std::string &name);

struct RegionSpec {
    std::string name;
    bool primary = false;
    double trafficWeight = 0;
    int cpuNodes = 0;
    int gpuNodes = 0;
};

std::vector<RegionSpec> regionsFor(Preset preset);

inline constexpr const char *kNamespace = "chatgpt-agent";
inline constexpr const char *kCanaryNamespace = "chatgpt-agent-canary";
inline constexpr const char *kTiers[4] = {"free", "plus", "pro", "enterprise"};
inline constexpr double kTierShare[4] = {0.55, 0.25, 0.12, 0.08};

} // namespace opsdeck::sim
