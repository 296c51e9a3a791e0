#include "topology.h"

namespace opsdeck::sim {

namespace {
std::vector<ServiceSpec> buildCatalogue()
{
    std::vector<ServiceSpec> v(kServiceCount);
    auto set = [&](ServiceId id, ServiceSpec s) {
        s.id = id;
        v[id] = std::move(s);
    };
    // Capacities are per ready replica; the default preset peaks near 7,000 requests/min
    // (117/s). The services the runbook scales by hand (orchestrator, virtual computers,
    // model servers) sit at 45-65 % at the daily peak; the rest have headroom for a 3×
    // surge, as if their own autoscalers had provisioned it.
    set(kLoadBalancer, {.deployment = "load-balancer", .appLabel = "load-balancer", .container = "envoy",
                        .image = "envoyproxy/envoy:v1.30.2", .previousImage = "envoyproxy/envoy:v1.30.1",
                        .tier = "edge", .replicas = 3, .largeReplicas = 90, .perReplicaRps = 200,
                        .workersPerReplica = 64, .serviceSeconds = 0.002, .visitsPerTask = 1,
                        .timeoutSeconds = 15, .cpuRequestCores = 2, .memoryLimitBytes = 1e9, .port = 9901,
                        .readySeconds = 3});
    set(kApiGateway, {.deployment = "api-gateway", .appLabel = "api-gateway", .container = "gateway",
                      .image = "kong/kong-gateway:3.6.1", .previousImage = "kong/kong-gateway:3.6.0",
                      .tier = "edge", .replicas = 4, .largeReplicas = 120, .perReplicaRps = 150,
                      .workersPerReplica = 32, .serviceSeconds = 0.008, .visitsPerTask = 1,
                      .timeoutSeconds = 15, .cpuRequestCores = 2, .memoryLimitBytes = 2e9, .port = 8100,
                      .readySeconds = 4});
    // The runbook's HPA target is 1000 requests/min per pod; a pod saturates near 1500/min.
    set(kOrchestrator, {.deployment = "agent-orchestrator", .appLabel = "orchestrator",
                        .container = "orchestrator", .image = "openai/chatgpt-agent:v2.14.0",
                        .previousImage = "openai/chatgpt-agent:v2.13.2", .tier = "core", .replicas = 10,
                        .largeReplicas = 300, .perReplicaRps = 25, .workersPerReplica = 16,
                        .serviceSeconds = 0.15, .visitsPerTask = 1, .timeoutSeconds = 60,
                        .cpuRequestCores = 4, .memoryLimitBytes = 8e9, .baseMemoryRatio = 0.5,
                        .port = 8080, .readySeconds = 8});
    set(kModelServer, {.deployment = "model-server", .appLabel = "model-server", .container = "vllm",
                       .image = "vllm/vllm-openai:v0.6.3", .previousImage = "vllm/vllm-openai:v0.6.2",
                       .tier = "inference", .replicas = 5, .largeReplicas = 340, .perReplicaRps = 0,
                       .workersPerReplica = 1, .serviceSeconds = 0, .visitsPerTask = 1,
                       .timeoutSeconds = 30, .cpuRequestCores = 32, .memoryLimitBytes = 400e9,
                       .baseMemoryRatio = 0.4, .port = 8000, .gpu = true, .readySeconds = 0});
    // Sandboxes: capacity is sessions, not requests (see virtual computer pool).
    set(kVirtualComputer, {.deployment = "virtual-computer", .appLabel = "virtual-computer",
                           .container = "sandbox", .image = "openai/agent-sandbox:v1.8.3",
                           .previousImage = "openai/agent-sandbox:v1.8.2", .tier = "sandbox", .replicas = 30,
                           .largeReplicas = 1500, .perReplicaRps = 0, .workersPerReplica = 40,
                           .serviceSeconds = 0, .visitsPerTask = 0.5, .timeoutSeconds = 30,
                           .cpuRequestCores = 8, .memoryLimitBytes = 16e9, .baseMemoryRatio = 0.35,
                           .port = 9100, .readySeconds = 12});
    set(kBrowserTool, {.deployment = "browser-tool", .appLabel = "browser-tool", .container = "browser",
                       .image = "openai/browser-tool:v3.2.0", .previousImage = "", .tier = "tools", .replicas = 14,
                       .largeReplicas = 420, .perReplicaRps = 10, .workersPerReplica = 16,
                       .serviceSeconds = 1.2, .visitsPerTask = 0.35, .timeoutSeconds = 30,
                       .cpuRequestCores = 4, .memoryLimitBytes = 8e9, .port = 9200, .optional = true,
                       .readySeconds = 10});
    set(kCodeExecutor, {.deployment = "code-executor", .appLabel = "code-executor", .container = "executor",
                        .image = "openai/code-executor:v2.4.1", .previousImage = "", .tier = "tools", .replicas = 8,
                        .largeReplicas = 240, .perReplicaRps = 14, .workersPerReplica = 16,
                        .serviceSeconds = 0.8, .visitsPerTask = 0.3, .timeoutSeconds = 30,
                        .cpuRequestCores = 4, .memoryLimitBytes = 8e9, .port = 9300, .optional = true,
                        .readySeconds = 6});
    set(kToolApiGateway, {.deployment = "tool-api-gateway", .appLabel = "tool-api-gateway",
                          .container = "gateway", .image = "openai/tool-api-gateway:v1.5.0", .previousImage = "", .tier = "tools",
                          .replicas = 4, .largeReplicas = 120, .perReplicaRps = 50, .workersPerReplica = 24,
                          .serviceSeconds = 0.35, .visitsPerTask = 0.5, .timeoutSeconds = 20,
                          .cpuRequestCores = 2, .memoryLimitBytes = 2e9, .port = 9400, .optional = true,
                          .readySeconds = 4});
    set(kSafetyFilter, {.deployment = "safety-filter", .appLabel = "safety-filter", .container = "filter",
                        .image = "openai/safety-filter:v4.1.0", .previousImage = "openai/safety-filter:v4.0.3",
                        .tier = "safety", .replicas = 10, .largeReplicas = 300, .perReplicaRps = 100,
                        .workersPerReplica = 16, .serviceSeconds = 0.04, .visitsPerTask = 2,
                        .timeoutSeconds = 10, .cpuRequestCores = 2, .memoryLimitBytes = 4e9, .port = 9500,
                        .readySeconds = 6});
    set(kPermissionManager, {.deployment = "permission-manager", .appLabel = "permission-manager",
                             .container = "permissions", .image = "openai/permission-manager:v1.9.2", .previousImage = "",
                             .tier = "safety", .replicas = 3, .largeReplicas = 90, .perReplicaRps = 200,
                             .workersPerReplica = 16, .serviceSeconds = 0.01, .visitsPerTask = 1,
                             .timeoutSeconds = 10, .cpuRequestCores = 1, .memoryLimitBytes = 1e9, .port = 9600,
                             .readySeconds = 3});
    // Capacity of the state DB is its connection pool (see the DB pool model).
    set(kStateDb, {.deployment = "state-db", .appLabel = "state-db", .container = "postgres",
                   .image = "postgres:16.3", .previousImage = "", .tier = "data", .replicas = 3, .largeReplicas = 9,
                   .perReplicaRps = 0, .workersPerReplica = 1, .serviceSeconds = 0.02, .visitsPerTask = 5,
                   .timeoutSeconds = 5, .cpuRequestCores = 16, .memoryLimitBytes = 64e9,
                   .baseMemoryRatio = 0.6, .port = 9187, .readySeconds = 20});
    set(kMessageQueue, {.deployment = "message-queue", .appLabel = "message-queue", .container = "broker",
                        .image = "rabbitmq:3.13.3", .previousImage = "", .tier = "data", .replicas = 3, .largeReplicas = 9,
                        .perReplicaRps = 400, .workersPerReplica = 8, .serviceSeconds = 0.003,
                        .visitsPerTask = 2, .timeoutSeconds = 10, .cpuRequestCores = 4,
                        .memoryLimitBytes = 8e9, .port = 15692, .readySeconds = 15});
    return v;
}
} // namespace

const std::vector<ServiceSpec> &serviceCatalogue()
{
    static const std::vector<ServiceSpec> catalogue = buildCatalogue();
    return catalogue;
}

const ServiceSpec &serviceSpec(ServiceId id) { return serviceCatalogue()[id]; }

int findService(const std::string &name)
{
    for (const auto &s : serviceCatalogue())
        if (s.deployment == name || s.appLabel == name)
            return s.id;
    return -1;
}

std::vector<RegionSpec> regionsFor(Preset preset)
{
    if (preset == Preset::Large) {
        // Active-active over three regions; ~3,400 pods per region.
        return {{"us-east-1", true, 0.5, 120, 360},
                {"us-west-2", false, 0.3, 120, 360},
                {"eu-west-1", false, 0.2, 120, 360}};
    }
    // Active-passive: the secondary is a warm standby that takes traffic on failover.
    return {{"us-east-1", true, 1.0, 12, 24}, {"us-west-2", false, 0.0, 12, 12}};
}

} // namespace opsdeck::sim
