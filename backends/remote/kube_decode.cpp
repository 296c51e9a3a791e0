#include "kube_decode.h"
#include "kube_fields.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace opsdeck::remote::kube {

using nlohmann::json;

namespace {

constexpr const char *kRevisionAnnotation = "deployment.kubernetes.io/revision";
constexpr const char *kChangeCauseAnnotation = "kubernetes.io/change-cause";
constexpr const char *kRegionLabel = "topology.kubernetes.io/region";
constexpr const char *kZoneLabel = "topology.kubernetes.io/zone";

// Reads metadata common to every object; name is required.
bool readMeta(Fields &f, const json &object, std::string &name, std::string &ns,
              std::string &uid, sim::StringMap *labels, std::int64_t *createdMs) {
    const json *meta = f.object(object, "metadata", true);
    if (!meta)
        return false;
    Fields m = f.child("metadata");
    name = m.string(*meta, "name", true);
    ns = m.string(*meta, "namespace");
    uid = m.string(*meta, "uid");
    if (labels)
        *labels = m.stringMap(*meta, "labels");
    if (createdMs)
        *createdMs = m.timestamp(*meta, "creationTimestamp");
    return f.absorb(m);
}

int revisionOf(Fields &f, const json &meta) {
    const sim::StringMap annotations = f.stringMap(meta, "annotations");
    auto it = annotations.find(kRevisionAnnotation);
    if (it == annotations.end())
        return 0;
    int revision = 0;
    const auto [ptr, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), revision);
    if (ec != std::errc() || ptr != it->second.data() + it->second.size()) {
        f.fail("annotations[\"" + std::string(kRevisionAnnotation) + "\"]",
               "expected an integer, got \"" + it->second + "\"");
        return 0;
    }
    return revision;
}

std::vector<sim::Container> readContainers(Fields &f, const json &podSpec) {
    std::vector<sim::Container> out;
    f.forEach(podSpec, "containers", [&](Fields &c, const json &item) {
        sim::Container container;
        container.name = c.string(item, "name", true);
        container.image = c.string(item, "image");
        if (const json *resources = c.object(item, "resources")) {
            Fields r = c.child("resources");
            if (const json *requests = r.object(*resources, "requests")) {
                Fields q = r.child("requests");
                container.cpuRequestCores = q.quantity(*requests, "cpu", container.cpuRequestCores);
                c.absorb(q);
            }
            if (const json *limits = r.object(*resources, "limits")) {
                Fields q = r.child("limits");
                container.memoryLimitBytes = q.quantity(*limits, "memory", 0);
                c.absorb(q);
            }
            c.absorb(r);
        }
        out.push_back(std::move(container));
    });
    return out;
}

sim::PodTemplate readTemplate(Fields &f, const json &spec) {
    sim::PodTemplate podTemplate;
    const json *templ = f.object(spec, "template");
    if (!templ)
        return podTemplate;
    Fields t = f.child("template");
    if (const json *meta = t.object(*templ, "metadata")) {
        Fields m = t.child("metadata");
        podTemplate.labels = m.stringMap(*meta, "labels");
        t.absorb(m);
    }
    if (const json *podSpec = t.object(*templ, "spec")) {
        Fields s = t.child("spec");
        podTemplate.containers = readContainers(s, *podSpec);
        t.absorb(s);
    }
    f.absorb(t);
    return podTemplate;
}

// The controller owner of a given kind, e.g. a Pod's ReplicaSet.
std::string controllerOwner(Fields &f, const json &meta, const char *kind) {
    std::string owner;
    f.forEach(meta, "ownerReferences", [&](Fields &o, const json &ref) {
        if (o.string(ref, "kind") == kind && o.boolean(ref, "controller", false) && owner.empty())
            owner = o.string(ref, "name");
    });
    return owner;
}

template <typename T>
Result<T> finish(Fields &f, T value) {
    if (!f.ok())
        return Error{f.error()};
    return value;
}

template <typename T, typename Decode>
Result<ListPage<T>> decodeList(std::string_view body, const char *kind, Decode decode) {
    json doc = json::parse(body, nullptr, false);
    if (doc.is_discarded())
        return Error{std::string(kind) + ": " + describeParseError(body)};
    if (!doc.is_object())
        return Error{std::string(kind) + ": expected a JSON object, got " + doc.type_name()};
    if (auto status = decodeStatusJson(doc))
        return Error{std::string(kind) + ": server answered Status " + std::to_string(status->code) +
                     " " + status->reason + ": " + status->message};
    ListPage<T> page;
    Fields f(kind);
    if (const json *meta = f.object(doc, "metadata")) {
        Fields m = f.child("metadata");
        page.resourceVersion = m.string(*meta, "resourceVersion");
        page.continueToken = m.string(*meta, "continue");
        f.absorb(m);
    }
    if (doc.contains("items") && !doc["items"].is_null() && !doc["items"].is_array())
        return Error{std::string(kind) + ".items: expected array, got " + doc["items"].type_name()};
    if (doc.contains("items") && doc["items"].is_array()) {
        const json &items = doc["items"];
        page.items.reserve(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
            Result<T> item = decode(items[i]);
            if (!item)
                return Error{std::string(kind) + ".items[" + std::to_string(i) + "]: " + item.error()};
            page.items.push_back(std::move(*item));
        }
    }
    if (!f.ok())
        return Error{f.error()};
    return page;
}

} // namespace

std::optional<Status> decodeStatus(std::string_view body) {
    json doc = json::parse(body, nullptr, false);
    if (doc.is_discarded())
        return std::nullopt;
    return decodeStatusJson(doc);
}

Result<ObjectMeta> decodeMeta(const json &object) {
    if (!object.is_object())
        return Error{std::string("expected an object, got ") + object.type_name()};
    Fields f("");
    ObjectMeta meta;
    readMeta(f, object, meta.name, meta.ns, meta.uid, nullptr, nullptr);
    if (const json *m = f.object(object, "metadata")) {
        Fields mf = f.child("metadata");
        meta.resourceVersion = mf.string(*m, "resourceVersion");
        f.absorb(mf);
    }
    return finish(f, std::move(meta));
}

Result<sim::Deployment> decodeDeployment(const json &object) {
    if (!object.is_object())
        return Error{std::string("Deployment: expected an object, got ") + object.type_name()};
    Fields f("");
    sim::Deployment d;
    if (!readMeta(f, object, d.name, d.ns, d.uid, &d.labels, &d.createdMs))
        return Error{f.error()};
    const json &meta = object["metadata"];
    Fields m = f.child("metadata");
    d.revision = revisionOf(m, meta);
    d.generation = m.integer(meta, "generation", 0);
    f.absorb(m);
    d.component = d.name;
    if (auto it = d.labels.find(kRegionLabel); it != d.labels.end())
        d.region = it->second;
    int statusReplicas = 0;
    if (const json *spec = f.object(object, "spec")) {
        Fields s = f.child("spec");
        d.replicas = int(s.integer(*spec, "replicas", 1));
        d.podTemplate = readTemplate(s, *spec);
        f.absorb(s);
    } else {
        d.replicas = 1;
    }
    if (const json *status = f.object(object, "status")) {
        Fields s = f.child("status");
        statusReplicas = int(s.integer(*status, "replicas", 0));
        d.updatedReplicas = int(s.integer(*status, "updatedReplicas", 0));
        d.readyReplicas = int(s.integer(*status, "readyReplicas", 0));
        d.availableReplicas = int(s.integer(*status, "availableReplicas", 0));
        d.observedGeneration = s.integer(*status, "observedGeneration", 0);
        f.absorb(s);
    }
    // kubectl rollout status's own test (see reference/kubectl.md 2.7).
    d.rolloutInProgress = d.generation > d.observedGeneration || d.updatedReplicas < d.replicas ||
                          statusReplicas > d.updatedReplicas ||
                          d.availableReplicas < d.updatedReplicas;
    return finish(f, std::move(d));
}

Result<sim::ReplicaSet> decodeReplicaSet(const json &object) {
    if (!object.is_object())
        return Error{std::string("ReplicaSet: expected an object, got ") + object.type_name()};
    Fields f("");
    sim::ReplicaSet rs;
    sim::StringMap labels;
    if (!readMeta(f, object, rs.name, rs.ns, rs.uid, &labels, &rs.createdMs))
        return Error{f.error()};
    const json &meta = object["metadata"];
    Fields m = f.child("metadata");
    rs.revision = revisionOf(m, meta);
    const sim::StringMap annotations = m.stringMap(meta, "annotations");
    if (auto it = annotations.find(kChangeCauseAnnotation); it != annotations.end())
        rs.changeCause = it->second;
    rs.deployment = controllerOwner(m, meta, "Deployment");
    f.absorb(m);
    if (auto it = labels.find("pod-template-hash"); it != labels.end())
        rs.podTemplateHash = it->second;
    if (const json *spec = f.object(object, "spec")) {
        Fields s = f.child("spec");
        rs.replicas = int(s.integer(*spec, "replicas", 1));
        rs.podTemplate = readTemplate(s, *spec);
        f.absorb(s);
    }
    if (const json *status = f.object(object, "status")) {
        Fields s = f.child("status");
        rs.readyReplicas = int(s.integer(*status, "readyReplicas", 0));
        f.absorb(s);
    }
    return finish(f, std::move(rs));
}

Result<sim::Pod> decodePod(const json &object) {
    if (!object.is_object())
        return Error{std::string("Pod: expected an object, got ") + object.type_name()};
    Fields f("");
    sim::Pod pod;
    if (!readMeta(f, object, pod.name, pod.ns, pod.uid, &pod.labels, &pod.createdMs))
        return Error{f.error()};
    const json &meta = object["metadata"];
    Fields m = f.child("metadata");
    pod.replicaSet = controllerOwner(m, meta, "ReplicaSet");
    const bool terminating = meta.contains("deletionTimestamp") && !meta["deletionTimestamp"].is_null();
    f.absorb(m);
    // A ReplicaSet is named "<deployment>-<pod-template-hash>".
    if (auto hash = pod.labels.find("pod-template-hash"); hash != pod.labels.end() &&
        pod.replicaSet.size() > hash->second.size() + 1 &&
        pod.replicaSet.ends_with("-" + hash->second))
        pod.deployment = pod.replicaSet.substr(0, pod.replicaSet.size() - hash->second.size() - 1);
    if (auto it = pod.labels.find(kRegionLabel); it != pod.labels.end())
        pod.region = it->second;
    if (const json *spec = f.object(object, "spec")) {
        Fields s = f.child("spec");
        pod.nodeName = s.string(*spec, "nodeName");
        pod.containers = readContainers(s, *spec);
        f.absorb(s);
    }
    if (const json *status = f.object(object, "status")) {
        Fields s = f.child("status");
        const std::string phase = s.string(*status, "phase", false, "Pending");
        if (phase == "Running")
            pod.phase = sim::PodPhase::Running;
        else if (phase == "Succeeded")
            pod.phase = sim::PodPhase::Succeeded;
        else if (phase == "Failed")
            pod.phase = sim::PodPhase::Failed;
        else if (phase == "Pending" || phase == "Unknown")
            pod.phase = sim::PodPhase::Pending;
        else
            s.fail("phase", "unknown pod phase \"" + phase + "\"");
        pod.startedMs = s.timestamp(*status, "startTime");
        pod.reason = s.string(*status, "reason");
        s.forEach(*status, "conditions", [&](Fields &c, const json &condition) {
            if (c.string(condition, "type") == "Ready")
                pod.ready = c.string(condition, "status") == "True";
        });
        s.forEach(*status, "containerStatuses", [&](Fields &c, const json &cs) {
            pod.restarts += int(c.integer(cs, "restartCount", 0));
            if (const json *state = c.object(cs, "state")) {
                Fields st = c.child("state");
                for (const char *which : {"waiting", "terminated"}) {
                    if (const json *detail = st.object(*state, which)) {
                        Fields d = st.child(which);
                        if (std::string reason = d.string(*detail, "reason"); !reason.empty() && pod.reason.empty())
                            pod.reason = std::move(reason);
                        st.absorb(d);
                    }
                }
                c.absorb(st);
            }
        });
        f.absorb(s);
    }
    if (terminating && pod.reason.empty())
        pod.reason = "Terminating";
    return finish(f, std::move(pod));
}

Result<sim::Node> decodeNode(const json &object) {
    if (!object.is_object())
        return Error{std::string("Node: expected an object, got ") + object.type_name()};
    Fields f("");
    sim::Node node;
    std::string ns;
    if (!readMeta(f, object, node.name, ns, node.uid, &node.labels, nullptr))
        return Error{f.error()};
    if (auto it = node.labels.find(kRegionLabel); it != node.labels.end())
        node.region = it->second;
    if (auto it = node.labels.find(kZoneLabel); it != node.labels.end())
        node.zone = it->second;
    if (auto it = node.labels.find("nvidia.com/gpu.product"); it != node.labels.end())
        node.gpuModel = it->second;
    if (const json *status = f.object(object, "status")) {
        Fields s = f.child("status");
        if (const json *capacity = s.object(*status, "capacity")) {
            Fields c = s.child("capacity");
            node.cpuCores = c.quantity(*capacity, "cpu", 0);
            node.memoryBytes = c.quantity(*capacity, "memory", 0);
            node.gpuCount = int(std::llround(c.quantity(*capacity, "nvidia.com/gpu", 0)));
            s.absorb(c);
        }
        bool sawReady = false;
        s.forEach(*status, "conditions", [&](Fields &c, const json &condition) {
            if (c.string(condition, "type") == "Ready") {
                sawReady = true;
                node.ready = c.string(condition, "status") == "True";
            }
        });
        if (!sawReady)
            node.ready = false; // the kubelet never reported: NotReady, as kubectl shows it
        f.absorb(s);
    }
    return finish(f, std::move(node));
}

Result<sim::KubeEvent> decodeEvent(const json &object) {
    if (!object.is_object())
        return Error{std::string("Event: expected an object, got ") + object.type_name()};
    Fields f("");
    sim::KubeEvent event;
    std::string name, uid;
    std::int64_t createdMs = 0;
    if (!readMeta(f, object, name, event.ns, uid, nullptr, &createdMs))
        return Error{f.error()};
    event.type = f.string(object, "type", false, "Normal");
    event.reason = f.string(object, "reason");
    event.message = f.string(object, "message");
    if (const json *involved = f.object(object, "involvedObject")) {
        Fields i = f.child("involvedObject");
        event.objectKind = i.string(*involved, "kind");
        event.objectName = i.string(*involved, "name");
        f.absorb(i);
    }
    // Newest first, as kubectl's LAST SEEN column.
    for (const char *field : {"lastTimestamp", "eventTime", "firstTimestamp"}) {
        if (std::int64_t ms = f.timestamp(object, field); ms != 0) {
            event.timeMs = ms;
            break;
        }
    }
    if (event.timeMs == 0)
        event.timeMs = createdMs;
    return finish(f, std::move(event));
}

Result<ListPage<sim::Deployment>> decodeDeploymentList(std::string_view body) {
    return decodeList<sim::Deployment>(body, "DeploymentList", decodeDeployment);
}
Result<ListPage<sim::ReplicaSet>> decodeReplicaSetList(std::string_view body) {
    return decodeList<sim::ReplicaSet>(body, "ReplicaSetList", decodeReplicaSet);
}
Result<ListPage<sim::Pod>> decodePodList(std::string_view body) {
    return decodeList<sim::Pod>(body, "PodList", decodePod);
}
Result<ListPage<sim::Node>> decodeNodeList(std::string_view body) {
    return decodeList<sim::Node>(body, "NodeList", decodeNode);
}
Result<ListPage<sim::KubeEvent>> decodeEventList(std::string_view body) {
    return decodeList<sim::KubeEvent>(body, "EventList", decodeEvent);
}

Result<WatchEvent> decodeWatchEvent(std::string_view line) {
    json doc = json::parse(line, nullptr, false);
    if (doc.is_discarded())
        return Error{"watch event: " + describeParseError(line)};
    if (!doc.is_object())
        return Error{std::string("watch event: expected a JSON object, got ") + doc.type_name()};
    Fields f("watch event");
    WatchEvent event;
    const std::string type = f.string(doc, "type", true);
    if (!f.ok())
        return Error{f.error()};
    if (type == "ADDED")
        event.type = WatchType::Added;
    else if (type == "MODIFIED")
        event.type = WatchType::Modified;
    else if (type == "DELETED")
        event.type = WatchType::Deleted;
    else if (type == "BOOKMARK")
        event.type = WatchType::Bookmark;
    else if (type == "ERROR")
        event.type = WatchType::Error;
    else
        return Error{"watch event.type: unknown event type \"" + type + "\""};
    auto it = doc.find("object");
    if (it == doc.end() || !it->is_object())
        return Error{std::string("watch event.object: expected object, got ") +
                     (it == doc.end() ? "nothing" : it->type_name())};
    if (event.type == WatchType::Error) {
        event.status = decodeStatusJson(*it);
        if (!event.status)
            return Error{"watch event.object: ERROR event without a Status"};
    } else if (const json *meta = f.object(*it, "metadata")) {
        Fields m = f.child("object").child("metadata");
        event.resourceVersion = m.string(*meta, "resourceVersion");
        f.absorb(m);
    }
    event.object = std::make_shared<json>(std::move(*it));
    if (!f.ok())
        return Error{f.error()};
    return event;
}

} // namespace opsdeck::remote::kube
