#pragma once
// The simulated cluster's inventory as Kubernetes API objects (JSON), the shape a real
// API server returns, with the fields kubectl reads: ownerReferences and revision
// annotations (rollout history/undo), generation/observedGeneration and the replica
// counts (rollout status), spec.containers (logs, set image), status (get, describe).
//
// One server serves every region of the simulation. The primary region's objects keep
// the runbook's namespaces (chatgpt-agent, so the runbook's commands work verbatim);
// other regions' objects live in "<namespace>-<region>" (chatgpt-agent-us-west-2),
// every object carries the label topology.kubernetes.io/region.
#include "backends/sim/inventory.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace opsdeck::kubeapi {

inline constexpr const char *kRegionLabel = "topology.kubernetes.io/region";
inline constexpr const char *kRestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

class RegionNamespaces {
public:
    explicit RegionNamespaces(std::string primaryRegion = {}) : m_primary(std::move(primaryRegion)) {}
    std::string toKube(const std::string &ns, const std::string &region) const;
    // Kubernetes namespace -> (region, simulator namespace); region empty when the name
    // ends in no known region (then it is the primary's).
    std::pair<std::string, std::string> fromKube(const std::string &kubeNs,
                                                 const std::vector<std::string> &regions) const;
    const std::string &primary() const { return m_primary; }

private:
    std::string m_primary;
};

// Things the inventory does not carry that the API layer keeps itself.
struct DeploymentExtras {
    std::map<std::string, std::string> annotations;         // kubectl annotate
    std::map<std::string, std::string> templateAnnotations; // rollout restart's restartedAt
};

struct ObjectContext {
    std::int64_t startEpochMs = 0; // simulated t=0 as epoch ms
    std::int64_t nowMs = 0;        // simulated ms since start
    RegionNamespaces naming;
};

nlohmann::json deploymentJson(const sim::Deployment &d, const std::vector<const sim::ReplicaSet *> &replicaSets,
                              const DeploymentExtras &extras, const ObjectContext &ctx);
nlohmann::json replicaSetJson(const sim::ReplicaSet &rs, const sim::Deployment *owner, const ObjectContext &ctx);
nlohmann::json podJson(const sim::Pod &pod, const std::string &rsUid, const ObjectContext &ctx);
nlohmann::json nodeJson(const sim::Node &node, int pods, const ObjectContext &ctx);
nlohmann::json namespaceJson(const std::string &name, const std::string &region, const ObjectContext &ctx);
nlohmann::json eventJson(const sim::KubeEvent &ev, const std::string &kubeNs, const std::string &name,
                         const std::string &involvedUid, const ObjectContext &ctx);

// The template part of a pod template, as kubectl's undo sends it back.
nlohmann::json podTemplateJson(const sim::PodTemplate &tpl, const std::map<std::string, std::string> &annotations);

// Cheap change detector for pods (10,000 of them are checked every tick): hashes every
// field podJson() renders, so JSON is only rebuilt for pods that changed.
std::uint64_t podFingerprint(const sim::Pod &pod);

// Deterministic pseudo IPs from a uid: pods 10.x.y.z, nodes 172.16.y.z.
std::string podIp(const std::string &uid);
std::string nodeIp(const std::string &uid);

} // namespace opsdeck::kubeapi
