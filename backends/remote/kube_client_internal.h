#pragma once
// KubeClient's per-kind state and its Event log, shared by kube_client.cpp (lists and
// watches) and kube_client_state.cpp (the published inventory and Events). Internal.
#include "kube_client.h"

#include <chrono>
#include <deque>
#include <limits>
#include <map>
#include <string>
#include <type_traits>
#include <unordered_set>

namespace opsdeck::remote {

enum class KindId { Deployments, ReplicaSets, Pods, Nodes, Events };

// A pod and the component the map gave it when it arrived ("" = take its deployment's).
struct PodRecord {
    sim::Pod pod;
    std::string component;
};

struct KubeClient::Kind {
    KindId id;
    std::string name;   // "pods", for messages
    std::string path;   // cluster-wide collection
    std::string resourceVersion;
    bool listed = false;
    bool relist = true;
    bool failing = false;  // the last list or watch attempt failed; backing off
    bool silenced = false; // the liveness timer cancelled the current watch
    bool needsData = false; // failing since a silence: only an event or bookmark clears it
    std::chrono::steady_clock::time_point lastData; // the current watch's headers or last line
    int failures = 0;
    int lastListStatus = 0; // HTTP status of the last failed list page, 0 if transport
    LineStream *stream = nullptr; // deleted with deleteLater: it may be mid-emit
    std::map<std::string, sim::Deployment> deployments;
    std::map<std::string, sim::ReplicaSet> replicaSets;
    std::map<std::string, PodRecord> pods;
    std::map<std::string, sim::Node> nodes;
};

// Kubernetes Events as they arrived, each once: a sequence number per new Event, and the
// keys of those remembered, so a re-list (which returns old Events again) adds only the
// ones not seen yet.
struct KubeClient::EventLog {
    struct Entry {
        std::uint64_t sequence = 0;
        std::string key;
        sim::KubeEvent event;
    };
    std::size_t memory = 1000;
    std::deque<Entry> entries;
    std::unordered_set<std::string> keys;
    std::uint64_t lastSequence = 0;
    // Listed Events older than the newest one forgotten are not news either.
    std::int64_t forgottenUpToMs = std::numeric_limits<std::int64_t>::min();

    // False when the Event is already known (or, from a list, older than the memory).
    bool add(sim::KubeEvent event, bool fromList);
};

// "namespace/name" (cluster-scoped kinds: the name), the reflectors' map keys.
inline std::string namespacedKey(const std::string &ns, const std::string &name) { return ns + "/" + name; }
template <typename T>
inline std::string objectKey(const T &object) {
    if constexpr (std::is_same_v<T, sim::Node>)
        return object.name; // cluster-scoped
    else
        return namespacedKey(object.ns, object.name);
}

// Stores a decoded object under its key, naming its runbook component on the way in.
inline void store(const ComponentMap &, std::map<std::string, sim::ReplicaSet> &into, sim::ReplicaSet rs) {
    std::string k = objectKey(rs);
    into.insert_or_assign(std::move(k), std::move(rs));
}
inline void store(const ComponentMap &, std::map<std::string, sim::Node> &into, sim::Node node) {
    std::string k = objectKey(node);
    into.insert_or_assign(std::move(k), std::move(node));
}
inline void store(const ComponentMap &map, std::map<std::string, sim::Deployment> &into, sim::Deployment d) {
    d.component = map.componentOf(d);
    std::string k = objectKey(d);
    into.insert_or_assign(std::move(k), std::move(d));
}
inline void store(const ComponentMap &map, std::map<std::string, PodRecord> &into, sim::Pod pod) {
    std::string component = map.componentOfPod(pod);
    std::string k = objectKey(pod);
    into.insert_or_assign(std::move(k), PodRecord{std::move(pod), std::move(component)});
}

} // namespace opsdeck::remote
