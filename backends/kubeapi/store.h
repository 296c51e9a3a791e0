#pragma once
// The API server's object store: the simulation's inventory as Kubernetes objects, each
// with the resourceVersion of its last change, plus the watch event log (ADDED /
// MODIFIED / DELETED in resourceVersion order) that watches resume from.
//
// sync() diffs the simulation against the store after every simulated step or action:
// pods are compared by a cheap fingerprint (10,000 of them), everything else by its
// JSON. Only changed objects get a new resourceVersion, a new serialized form and an
// event, so listing is concatenating cached strings and watching is reading the log.
#include "objects.h"
#include "resources.h"

#include "backends/sim/simulation.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace opsdeck::kubeapi {

struct StoredObject {
    Res res{};
    std::string ns;          // Kubernetes namespace ("" for cluster-scoped)
    std::string name;
    std::uint64_t rv = 0;
    nlohmann::json object;   // with metadata.resourceVersion
    std::string wire;        // object.dump(), cached for lists and watches
};
using ObjectPtr = std::shared_ptr<const StoredObject>;

struct WatchEvent {
    std::uint64_t rv = 0;
    Res res{};
    const char *type = "";   // "ADDED", "MODIFIED", "DELETED"
    ObjectPtr object;        // for DELETED: the last state, stamped with the delete's rv
};

// Dotted-path value of a field for field selectors ("status.phase", "source" means
// source.component); "" when absent, booleans as "true"/"false".
std::string fieldValue(const nlohmann::json &object, const std::string &field);

class ObjectStore {
public:
    explicit ObjectStore(std::size_t maxLogEvents = 200000);

    void sync(const sim::Simulation &simulation);

    ObjectPtr get(Res res, const std::string &ns, const std::string &name) const;
    // Objects in namespace/name order; ns empty: every namespace.
    std::vector<ObjectPtr> list(Res res, const std::string &ns) const;
    std::size_t count(Res res) const { return m_objects[static_cast<int>(res)].size(); }

    std::uint64_t resourceVersion() const { return m_rv; }
    // A watch may resume from any rv >= this; older ones get 410 Gone.
    std::uint64_t oldestResumableRv() const { return m_logFloor; }
    const std::deque<WatchEvent> &log() const { return m_log; }
    // Index in log() of the first event with rv > since.
    std::size_t logIndexAfter(std::uint64_t since) const;

    const RegionNamespaces &naming() const { return m_naming; }
    const std::vector<std::string> &regions() const { return m_regions; }
    // Kubernetes namespace -> (region, simulator namespace).
    std::pair<std::string, std::string> simNamespace(const std::string &kubeNs) const;

    DeploymentExtras &extras(const std::string &kubeNs, const std::string &name) { return m_extras[kubeNs + "/" + name]; }

private:
    struct Slot {
        ObjectPtr object;
        std::uint64_t fingerprint = 0;
        std::uint64_t seen = 0;
    };
    using Map = std::map<std::string, Slot>;

    // Stores the object if its fingerprint changed; logs ADDED/MODIFIED.
    void put(Res res, const std::string &ns, const std::string &name, std::uint64_t fingerprint,
             const std::function<nlohmann::json()> &build);
    void removeUnseen(Res res);
    void logEvent(Res res, const char *type, ObjectPtr object);
    void syncEvents(const sim::Simulation &simulation, const ObjectContext &ctx);
    void syncStatic(const ObjectContext &ctx);

    std::array<Map, kResourceCount> m_objects;
    std::deque<WatchEvent> m_log;
    std::size_t m_maxLog;
    std::uint64_t m_rv = 1000;       // like a fresh etcd: small numbers look odd to people
    std::uint64_t m_logFloor = 1000;
    std::uint64_t m_pass = 0;
    bool m_initialised = false;
    RegionNamespaces m_naming;
    std::vector<std::string> m_regions;
    std::unordered_map<std::string, std::string> m_podNs, m_podUid, m_depUid;
    // ReplicaSet names repeat across regions (same deployment, same template): keyed
    // "region/name" for uids, and name -> every namespace holding one for events.
    std::unordered_map<std::string, std::string> m_rsUid;
    std::unordered_map<std::string, std::vector<std::string>> m_rsNs;
    std::map<std::string, DeploymentExtras> m_extras;
    // The last kube event already stored, to find the new ones in the simulator's list.
    bool m_haveLastEvent = false;
    sim::KubeEvent m_lastEvent;
    std::uint64_t m_eventSeq = 0;
    std::deque<std::string> m_eventKeys;
};

} // namespace opsdeck::kubeapi
