#include "tables.h"

#include "kube_time.h"

namespace opsdeck::kubeapi {

using nlohmann::json;

namespace {

json column(const std::string &name, int priority = 0, const std::string &format = {}, const std::string &type = "string")
{
    return {{"name", name}, {"type", type}, {"format", format}, {"description", name}, {"priority", priority}};
}

std::string str(const json &object, const json::json_pointer &ptr, const std::string &fallback = {})
{
    if (!object.contains(ptr))
        return fallback;
    const json &v = object.at(ptr);
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_number())
        return v.dump();
    return fallback;
}

long long num(const json &object, const json::json_pointer &ptr)
{
    if (!object.contains(ptr) || !object.at(ptr).is_number())
        return 0;
    return object.at(ptr).get<long long>();
}

std::string age(const json &object, std::int64_t nowEpochMs, const char *field = "/metadata/creationTimestamp")
{
    const std::int64_t t = parseRfc3339(str(object, json::json_pointer(field)));
    return t < 0 ? "<unknown>" : humanDuration(nowEpochMs - t);
}

std::string joinContainers(const json &containers, const char *key)
{
    std::string out;
    if (!containers.is_array())
        return out;
    for (const json &c : containers) {
        if (!out.empty())
            out += ',';
        out += c.value(key, "");
    }
    return out;
}

std::string selectorText(const json &matchLabels)
{
    std::string out;
    if (!matchLabels.is_object())
        return "<none>";
    for (const auto &[k, v] : matchLabels.items()) {
        if (!out.empty())
            out += ',';
        out += k + "=" + v.get<std::string>();
    }
    return out.empty() ? "<none>" : out;
}

// kubectl's pod STATUS: the failed reason, a waiting or terminated container's reason,
// else the phase.
std::string podStatus(const json &pod)
{
    std::string reason = str(pod, "/status/phase"_json_pointer, "Unknown");
    if (pod.contains("/status/reason"_json_pointer))
        reason = str(pod, "/status/reason"_json_pointer);
    if (pod.contains("/status/containerStatuses"_json_pointer))
        for (const json &cs : pod.at("/status/containerStatuses"_json_pointer)) {
            if (cs.contains("/state/waiting/reason"_json_pointer))
                reason = cs.at("/state/waiting/reason"_json_pointer).get<std::string>();
            else if (cs.contains("/state/terminated/reason"_json_pointer))
                reason = cs.at("/state/terminated/reason"_json_pointer).get<std::string>();
        }
    if (pod.contains("/metadata/deletionTimestamp"_json_pointer))
        reason = "Terminating";
    return reason;
}

json partialObject(const json &object)
{
    json meta = object.at("metadata");
    meta.erase("annotations");
    meta.erase("managedFields");
    return {{"kind", "PartialObjectMetadata"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", meta}};
}

} // namespace

json tableColumns(Res res)
{
    switch (res) {
    case Res::Pods:
        return json::array({column("Name", 0, "name"), column("Ready"), column("Status"), column("Restarts"), column("Age"),
                            column("IP", 1), column("Node", 1), column("Nominated Node", 1), column("Readiness Gates", 1)});
    case Res::Deployments:
        return json::array({column("Name", 0, "name"), column("Ready"), column("Up-to-date", 0, {}, "integer"),
                            column("Available", 0, {}, "integer"), column("Age"), column("Containers", 1),
                            column("Images", 1), column("Selector", 1)});
    case Res::ReplicaSets:
        return json::array({column("Name", 0, "name"), column("Desired", 0, {}, "integer"), column("Current", 0, {}, "integer"),
                            column("Ready", 0, {}, "integer"), column("Age"), column("Containers", 1), column("Images", 1),
                            column("Selector", 1)});
    case Res::Nodes:
        return json::array({column("Name", 0, "name"), column("Status"), column("Roles"), column("Age"), column("Version"),
                            column("Internal-IP", 1), column("External-IP", 1), column("OS-Image", 1),
                            column("Kernel-Version", 1), column("Container-Runtime", 1)});
    case Res::Namespaces:
        return json::array({column("Name", 0, "name"), column("Status"), column("Age")});
    case Res::Events:
        return json::array({column("Last Seen"), column("Type"), column("Reason"), column("Object"), column("Subobject", 1),
                            column("Source", 1), column("Message"), column("First Seen", 1), column("Count", 1),
                            column("Name", 1)});
    case Res::ConfigMaps:
        return json::array({column("Name", 0, "name"), column("Data", 0, {}, "integer"), column("Age")});
    case Res::PersistentVolumes:
        return json::array({column("Name", 0, "name"), column("Capacity"), column("Access Modes"), column("Reclaim Policy"),
                            column("Status"), column("Claim"), column("StorageClass"), column("VolumeAttributesClass"),
                            column("Reason"), column("Age"), column("VolumeMode", 1)});
    }
    return json::array();
}

json tableRow(Res res, const json &o, std::int64_t nowEpochMs)
{
    json cells = json::array();
    const std::string name = str(o, "/metadata/name"_json_pointer);
    switch (res) {
    case Res::Pods: {
        int ready = 0, total = 0, restarts = 0;
        if (o.contains("/spec/containers"_json_pointer))
            total = static_cast<int>(o.at("/spec/containers"_json_pointer).size());
        if (o.contains("/status/containerStatuses"_json_pointer))
            for (const json &cs : o.at("/status/containerStatuses"_json_pointer)) {
                ready += cs.value("ready", false) ? 1 : 0;
                restarts += cs.value("restartCount", 0);
            }
        cells = {name,
                 std::to_string(ready) + "/" + std::to_string(total),
                 podStatus(o),
                 std::to_string(restarts),
                 age(o, nowEpochMs),
                 str(o, "/status/podIP"_json_pointer, "<none>"),
                 str(o, "/spec/nodeName"_json_pointer, "<none>"),
                 "<none>",
                 "<none>"};
        break;
    }
    case Res::Deployments: {
        const json &containers = o.at("/spec/template/spec/containers"_json_pointer);
        cells = {name,
                 std::to_string(num(o, "/status/readyReplicas"_json_pointer)) + "/" + std::to_string(num(o, "/spec/replicas"_json_pointer)),
                 num(o, "/status/updatedReplicas"_json_pointer),
                 num(o, "/status/availableReplicas"_json_pointer),
                 age(o, nowEpochMs),
                 joinContainers(containers, "name"),
                 joinContainers(containers, "image"),
                 selectorText(o.value("/spec/selector/matchLabels"_json_pointer, json()))};
        break;
    }
    case Res::ReplicaSets: {
        const json &containers = o.at("/spec/template/spec/containers"_json_pointer);
        cells = {name,
                 num(o, "/spec/replicas"_json_pointer),
                 num(o, "/status/replicas"_json_pointer),
                 num(o, "/status/readyReplicas"_json_pointer),
                 age(o, nowEpochMs),
                 joinContainers(containers, "name"),
                 joinContainers(containers, "image"),
                 selectorText(o.value("/spec/selector/matchLabels"_json_pointer, json()))};
        break;
    }
    case Res::Nodes: {
        std::string status = "Unknown";
        for (const json &c : o.value("/status/conditions"_json_pointer, json::array()))
            if (c.value("type", "") == "Ready")
                status = c.value("status", "") == "True" ? "Ready" : "NotReady";
        std::string roles;
        const json labels = o.value("/metadata/labels"_json_pointer, json::object());
        for (const auto &[k, v] : labels.items())
            if (k.rfind("node-role.kubernetes.io/", 0) == 0) {
                if (!roles.empty())
                    roles += ',';
                roles += k.substr(24);
            }
        std::string internalIp = "<none>";
        for (const json &a : o.value("/status/addresses"_json_pointer, json::array()))
            if (a.value("type", "") == "InternalIP")
                internalIp = a.value("address", "<none>");
        cells = {name,
                 status,
                 roles.empty() ? "<none>" : roles,
                 age(o, nowEpochMs),
                 str(o, "/status/nodeInfo/kubeletVersion"_json_pointer),
                 internalIp,
                 "<none>",
                 str(o, "/status/nodeInfo/osImage"_json_pointer),
                 str(o, "/status/nodeInfo/kernelVersion"_json_pointer),
                 str(o, "/status/nodeInfo/containerRuntimeVersion"_json_pointer)};
        break;
    }
    case Res::Namespaces:
        cells = {name, str(o, "/status/phase"_json_pointer, "Active"), age(o, nowEpochMs)};
        break;
    case Res::Events: {
        std::string kind = str(o, "/involvedObject/kind"_json_pointer);
        for (char &c : kind)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        cells = {age(o, nowEpochMs, "/lastTimestamp"),
                 str(o, "/type"_json_pointer),
                 str(o, "/reason"_json_pointer),
                 kind + "/" + str(o, "/involvedObject/name"_json_pointer),
                 str(o, "/involvedObject/fieldPath"_json_pointer),
                 str(o, "/source/component"_json_pointer),
                 str(o, "/message"_json_pointer),
                 age(o, nowEpochMs, "/firstTimestamp"),
                 std::to_string(num(o, "/count"_json_pointer)),
                 name};
        break;
    }
    case Res::ConfigMaps:
        cells = {name, static_cast<long long>(o.value("data", json::object()).size()), age(o, nowEpochMs)};
        break;
    case Res::PersistentVolumes: {
        const json claim = o.value("/spec/claimRef"_json_pointer, json::object());
        cells = {name,
                 str(o, "/spec/capacity/storage"_json_pointer),
                 "RWO",
                 str(o, "/spec/persistentVolumeReclaimPolicy"_json_pointer),
                 str(o, "/status/phase"_json_pointer),
                 claim.empty() ? "" : claim.value("namespace", "") + "/" + claim.value("name", ""),
                 str(o, "/spec/storageClassName"_json_pointer),
                 "<unset>",
                 "",
                 age(o, nowEpochMs),
                 str(o, "/spec/volumeMode"_json_pointer)};
        break;
    }
    }
    return {{"cells", cells}, {"object", partialObject(o)}};
}

} // namespace opsdeck::kubeapi
