#pragma once
// Kubernetes-shaped inventory of the simulated cluster, named as the runbook names
// things (namespace chatgpt-agent, deployment agent-orchestrator, label app=orchestrator).
// Plain data: the simulator owns and mutates it; everyone else reads copies.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace opsdeck::sim {

using StringMap = std::map<std::string, std::string>;

struct Container {
    std::string name;  // e.g. "orchestrator"
    std::string image; // e.g. "openai/chatgpt-agent:v2.14.0"
    double cpuRequestCores = 1;
    double memoryLimitBytes = 0;
};

struct PodTemplate {
    StringMap labels; // includes app=...
    std::vector<Container> containers;
};

struct ReplicaSet {
    std::string name;       // "<deployment>-<pod-template-hash>"
    std::string ns;
    std::string deployment;
    std::string podTemplateHash;
    int revision = 0;       // annotation deployment.kubernetes.io/revision
    std::string changeCause; // annotation kubernetes.io/change-cause, when known
    PodTemplate podTemplate;
    int replicas = 0;
    int readyReplicas = 0;
    std::int64_t createdMs = 0;
    std::string uid;
    std::string region;     // region of its deployment (names repeat across regions)
};

struct Deployment {
    std::string name;       // "agent-orchestrator"
    std::string ns;         // "chatgpt-agent"
    std::string component;  // runbook component id, e.g. "agent-orchestrator"
    std::string region;     // region whose cluster runs it
    StringMap labels;
    PodTemplate podTemplate;
    int replicas = 0;            // desired (spec.replicas)
    int updatedReplicas = 0;
    int readyReplicas = 0;
    int availableReplicas = 0;
    int revision = 0;            // current revision
    std::int64_t generation = 1;
    std::int64_t observedGeneration = 1;
    bool rolloutInProgress = false;
    std::int64_t createdMs = 0;
    std::string uid;
};

enum class PodPhase { Pending, Running, Succeeded, Failed };

struct Pod {
    std::string name;
    std::string ns;
    std::string deployment;
    std::string replicaSet;
    std::string nodeName;
    std::string region;
    StringMap labels;        // app=..., pod-template-hash=...
    std::vector<Container> containers;
    PodPhase phase = PodPhase::Pending;
    bool ready = false;
    int restarts = 0;
    std::string reason;      // e.g. "OOMKilled", "Error", "ContainerCreating"
    std::int64_t createdMs = 0;
    std::int64_t startedMs = 0;  // 0 until Running
    double cpuUsageCores = 0;
    double memoryUsageBytes = 0;
    std::string uid;
};

struct Node {
    std::string name;
    std::string region;
    std::string zone;
    StringMap labels;         // kubernetes.io/hostname, topology.kubernetes.io/region, ...
    int gpuCount = 0;         // nvidia.com/gpu capacity; 0 on CPU nodes
    std::string gpuModel;     // "NVIDIA-H200" on GPU nodes
    double cpuCores = 0;
    double memoryBytes = 0;
    bool ready = true;
    std::string uid;
};

struct Region {
    std::string name;         // "us-east-1" (primary), "us-west-2" (secondary), ...
    bool primary = false;
    bool healthy = true;
    double trafficWeight = 0; // share of traffic DNS routes here, 0..1
};

struct KubeEvent {
    std::int64_t timeMs = 0;
    std::string ns;
    std::string type;         // "Normal" or "Warning"
    std::string reason;       // "ScalingReplicaSet", "Killing", "BackOff", ...
    std::string objectKind;   // "Deployment", "Pod", ...
    std::string objectName;
    std::string message;
};

struct Inventory {
    std::vector<std::string> namespaces;
    std::vector<Deployment> deployments;
    std::vector<ReplicaSet> replicaSets;
    std::vector<Pod> pods;
    std::vector<Node> nodes;
    std::vector<Region> regions;
};

} // namespace opsdeck::sim
