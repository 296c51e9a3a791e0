#include "resources.h"

namespace opsdeck::kubeapi {

using nlohmann::json;

namespace {

const std::vector<std::string> kAllVerbs = {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"};
const std::vector<std::string> kReadVerbs = {"get", "list", "watch"};

// Groups the API server serves besides its store-backed resources.
struct ExtraResource {
    std::string group, version, plural, singular, kind;
    bool namespaced;
    std::vector<std::string> verbs;
};
const std::vector<ExtraResource> &extraResources()
{
    static const std::vector<ExtraResource> extras = {
        {"metrics.k8s.io", "v1beta1", "pods", "", "PodMetrics", true, {"get", "list"}},
        {"metrics.k8s.io", "v1beta1", "nodes", "", "NodeMetrics", false, {"get", "list"}},
        {"authorization.k8s.io", "v1", "selfsubjectaccessreviews", "", "SelfSubjectAccessReview", false, {"create"}},
        // Istio's traffic split, which the runbook's canary procedure patches.
        {"networking.istio.io", "v1beta1", "virtualservices", "virtualservice", "VirtualService", true, {"get", "list", "patch"}},
    };
    return extras;
}

json verbsOf(const ResourceInfo &r) { return r.readOnly ? json(kReadVerbs) : json(kAllVerbs); }

json subresourceKind(const ResourceInfo &r, const std::string &sub)
{
    if (sub == "scale")
        return {{"group", "autoscaling"}, {"version", "v1"}, {"kind", "Scale"}};
    return {{"group", ""}, {"version", ""}, {"kind", r.kind}};
}

json aggregatedResource(const ResourceInfo &r)
{
    json j = {{"resource", r.plural},
              {"responseKind", {{"group", ""}, {"version", ""}, {"kind", r.kind}}},
              {"scope", r.namespaced ? "Namespaced" : "Cluster"},
              {"singularResource", r.singular},
              {"verbs", verbsOf(r)}};
    if (!r.shortNames.empty())
        j["shortNames"] = r.shortNames;
    if (!r.categories.empty())
        j["categories"] = r.categories;
    if (!r.subresources.empty()) {
        json subs = json::array();
        for (const std::string &s : r.subresources)
            subs.push_back({{"subresource", s},
                            {"responseKind", subresourceKind(r, s)},
                            {"verbs", s == "log" ? json({"get"}) : json({"get", "patch", "update"})}});
        j["subresources"] = subs;
    }
    return j;
}

json aggregatedGroup(const std::string &group, const std::string &version, bool withName)
{
    json resources = json::array();
    for (const ResourceInfo &r : servedResources())
        if (r.group == group && r.version == version)
            resources.push_back(aggregatedResource(r));
    for (const ExtraResource &e : extraResources())
        if (e.group == group && e.version == version)
            resources.push_back({{"resource", e.plural},
                                 {"responseKind", {{"group", ""}, {"version", ""}, {"kind", e.kind}}},
                                 {"scope", e.namespaced ? "Namespaced" : "Cluster"},
                                 {"singularResource", e.singular.empty() ? e.plural.substr(0, e.plural.size() - 1) : e.singular},
                                 {"verbs", e.verbs}});
    json meta = {{"creationTimestamp", nullptr}};
    if (withName)
        meta["name"] = group;
    return {{"metadata", meta},
            {"versions", json::array({{{"version", version}, {"resources", resources}, {"freshness", "Current"}}})}};
}

std::vector<std::pair<std::string, std::string>> groupVersions()
{
    return {{"apps", "v1"}, {"metrics.k8s.io", "v1beta1"}, {"authorization.k8s.io", "v1"}, {"networking.istio.io", "v1beta1"}};
}

} // namespace

const std::vector<ResourceInfo> &servedResources()
{
    static const std::vector<ResourceInfo> list = {
        {Res::Pods, "", "v1", "pods", "pod", "Pod", true, {"po"}, {"all"},
         {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
          "status.phase", "status.podIP", "status.nominatedNodeName"},
         {"log", "status"}, false},
        {Res::Deployments, "apps", "v1", "deployments", "deployment", "Deployment", true, {"deploy"}, {"all"}, {}, {"scale", "status"}, false},
        {Res::ReplicaSets, "apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, {"rs"}, {"all"}, {"status.replicas"}, {"status"}, true},
        {Res::Nodes, "", "v1", "nodes", "node", "Node", false, {"no"}, {}, {"spec.unschedulable"}, {"status"}, true},
        {Res::Namespaces, "", "v1", "namespaces", "namespace", "Namespace", false, {"ns"}, {}, {"status.phase"}, {}, true},
        {Res::Events, "", "v1", "events", "event", "Event", true, {"ev"}, {},
         {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
          "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason",
          "reportingComponent", "source", "type"},
         {}, true},
        {Res::ConfigMaps, "", "v1", "configmaps", "configmap", "ConfigMap", true, {"cm"}, {}, {}, {}, true},
        {Res::PersistentVolumes, "", "v1", "persistentvolumes", "persistentvolume", "PersistentVolume", false, {"pv"}, {}, {}, {}, true},
    };
    return list;
}

const ResourceInfo &resourceInfo(Res id) { return servedResources()[static_cast<int>(id)]; }

const ResourceInfo *findResource(const std::string &group, const std::string &version, const std::string &plural)
{
    for (const ResourceInfo &r : servedResources())
        if (r.group == group && r.version == version && r.plural == plural)
            return &r;
    return nullptr;
}

json aggregatedCoreDiscovery()
{
    return {{"kind", "APIGroupDiscoveryList"},
            {"apiVersion", "apidiscovery.k8s.io/v2"},
            {"metadata", json::object()},
            {"items", json::array({aggregatedGroup("", "v1", false)})}};
}

json aggregatedGroupsDiscovery()
{
    json items = json::array();
    for (const auto &[g, v] : groupVersions())
        items.push_back(aggregatedGroup(g, v, true));
    return {{"kind", "APIGroupDiscoveryList"}, {"apiVersion", "apidiscovery.k8s.io/v2"}, {"metadata", json::object()}, {"items", items}};
}

json legacyApiVersions()
{
    return {{"kind", "APIVersions"},
            {"versions", json::array({"v1"})},
            {"serverAddressByClientCIDRs", json::array({{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", "127.0.0.1"}}})}};
}

json legacyApiGroupList()
{
    json groups = json::array();
    for (const auto &[g, v] : groupVersions()) {
        const json gv = {{"groupVersion", g + "/" + v}, {"version", v}};
        groups.push_back({{"name", g}, {"versions", json::array({gv})}, {"preferredVersion", gv}});
    }
    return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}};
}

json legacyResourceList(const std::string &group, const std::string &version)
{
    const std::string gv = group.empty() ? version : group + "/" + version;
    bool served = group.empty() && version == "v1";
    for (const auto &[g, v] : groupVersions())
        served = served || (g == group && v == version);
    if (!served)
        return nullptr;
    json resources = json::array();
    for (const ResourceInfo &r : servedResources()) {
        if (r.group != group || r.version != version)
            continue;
        json j = {{"name", r.plural}, {"singularName", r.singular}, {"namespaced", r.namespaced}, {"kind", r.kind}, {"verbs", verbsOf(r)}};
        if (!r.shortNames.empty())
            j["shortNames"] = r.shortNames;
        if (!r.categories.empty())
            j["categories"] = r.categories;
        resources.push_back(j);
        for (const std::string &s : r.subresources) {
            json sub = {{"name", r.plural + "/" + s}, {"singularName", ""}, {"namespaced", r.namespaced}, {"kind", r.kind},
                        {"verbs", s == "log" ? json({"get"}) : json({"get", "patch", "update"})}};
            if (s == "scale") {
                sub["group"] = "autoscaling";
                sub["version"] = "v1";
                sub["kind"] = "Scale";
            }
            resources.push_back(sub);
        }
    }
    for (const ExtraResource &e : extraResources())
        if (e.group == group && e.version == version)
            resources.push_back({{"name", e.plural}, {"singularName", ""}, {"namespaced", e.namespaced}, {"kind", e.kind}, {"verbs", e.verbs}});
    return {{"kind", "APIResourceList"}, {"apiVersion", "v1"}, {"groupVersion", gv}, {"resources", resources}};
}

json versionInfo()
{
    return {{"major", "1"},
            {"minor", "32"},
            {"gitVersion", "v1.32.4-opsdeck-sim"},
            {"gitCommit", "0000000000000000000000000000000000000000"},
            {"gitTreeState", "clean"},
            {"buildDate", "2025-07-20T00:00:00Z"},
            {"goVersion", "go1.23.8"},
            {"compiler", "gc"},
            {"platform", "linux/amd64"}};
}

} // namespace opsdeck::kubeapi
