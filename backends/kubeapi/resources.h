#pragma once
// The resources the simulated API server serves, and the discovery documents that
// advertise them (aggregated discovery v2, which kubectl 1.32 asks for first, and the
// legacy /api, /apis, /api/v1, /apis/<group>/<version> lists for older clients).
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace opsdeck::kubeapi {

enum class Res { Pods, Deployments, ReplicaSets, Nodes, Namespaces, Events, ConfigMaps, PersistentVolumes };
inline constexpr int kResourceCount = 8;

struct ResourceInfo {
    Res id;
    std::string group;    // "" for core
    std::string version;  // "v1"
    std::string plural;   // "deployments"
    std::string singular; // "deployment"
    std::string kind;     // "Deployment"
    bool namespaced = true;
    std::vector<std::string> shortNames;
    std::vector<std::string> categories;
    std::vector<std::string> fieldSelectors; // besides metadata.name / metadata.namespace
    std::vector<std::string> subresources;   // "scale", "status", "log"
    bool readOnly = false;                   // verbs get/list/watch only
    std::string apiVersion() const { return group.empty() ? version : group + "/" + version; }
};

const std::vector<ResourceInfo> &servedResources();
const ResourceInfo &resourceInfo(Res id);
const ResourceInfo *findResource(const std::string &group, const std::string &version, const std::string &plural);

// Content-Type kubectl needs to read the aggregated body (it picks the decoder from the
// media type parameters, not from the body's kind).
inline constexpr const char *kAggregatedDiscoveryContentType =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

nlohmann::json aggregatedCoreDiscovery();   // GET /api (aggregated)
nlohmann::json aggregatedGroupsDiscovery(); // GET /apis (aggregated)
nlohmann::json legacyApiVersions();         // GET /api
nlohmann::json legacyApiGroupList();        // GET /apis
// GET /api/v1 or /apis/<group>/<version>; null when the group-version is not served.
nlohmann::json legacyResourceList(const std::string &group, const std::string &version);
nlohmann::json versionInfo();               // GET /version

} // namespace opsdeck::kubeapi
