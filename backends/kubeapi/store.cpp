#include "store.h"

#include "kube_time.h"

#include <algorithm>
#include <cstdio>
#include <functional>

namespace opsdeck::kubeapi {

using nlohmann::json;

namespace {
constexpr std::size_t kMaxEvents = 3000; // stored Event objects, as a real cluster's 1 h TTL would keep

std::uint64_t hashText(const std::string &text) { return std::hash<std::string>{}(text); }

bool sameEvent(const sim::KubeEvent &a, const sim::KubeEvent &b)
{
    return a.timeMs == b.timeMs && a.reason == b.reason && a.objectName == b.objectName && a.message == b.message &&
           a.ns == b.ns;
}
} // namespace

std::string fieldValue(const json &object, const std::string &field)
{
    const json *node = &object;
    std::string path = field == "source" ? "source.component" : field;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        const std::size_t dot = path.find('.', pos);
        const std::string key = path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
        if (!node->is_object() || !node->contains(key)) {
            node = nullptr;
            break;
        }
        node = &(*node)[key];
        if (dot == std::string::npos)
            break;
        pos = dot + 1;
    }
    if (!node) {
        if (field == "spec.hostNetwork" || field == "spec.unschedulable")
            return "false";
        return {};
    }
    if (node->is_string())
        return node->get<std::string>();
    if (node->is_boolean())
        return node->get<bool>() ? "true" : "false";
    if (node->is_number())
        return node->dump();
    return {};
}

ObjectStore::ObjectStore(std::size_t maxLogEvents) : m_maxLog(maxLogEvents) {}

std::pair<std::string, std::string> ObjectStore::simNamespace(const std::string &kubeNs) const
{
    return m_naming.fromKube(kubeNs, m_regions);
}

ObjectPtr ObjectStore::get(Res res, const std::string &ns, const std::string &name) const
{
    const Map &map = m_objects[static_cast<int>(res)];
    const auto it = map.find(ns + "/" + name);
    return it == map.end() ? nullptr : it->second.object;
}

std::vector<ObjectPtr> ObjectStore::list(Res res, const std::string &ns) const
{
    const Map &map = m_objects[static_cast<int>(res)];
    std::vector<ObjectPtr> out;
    if (ns.empty()) {
        out.reserve(map.size());
        for (const auto &[key, slot] : map)
            out.push_back(slot.object);
        return out;
    }
    const std::string prefix = ns + "/";
    for (auto it = map.lower_bound(prefix); it != map.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
        out.push_back(it->second.object);
    return out;
}

std::size_t ObjectStore::logIndexAfter(std::uint64_t since) const
{
    const auto it = std::upper_bound(m_log.begin(), m_log.end(), since,
                                     [](std::uint64_t rv, const WatchEvent &e) { return rv < e.rv; });
    return static_cast<std::size_t>(it - m_log.begin());
}

void ObjectStore::logEvent(Res res, const char *type, ObjectPtr object)
{
    if (!m_initialised)
        return; // the first sync is the initial state, not a change anyone watches for
    m_log.push_back({object->rv, res, type, std::move(object)});
    while (m_log.size() > m_maxLog) {
        m_logFloor = m_log.front().rv;
        m_log.pop_front();
    }
}

void ObjectStore::put(Res res, const std::string &ns, const std::string &name, std::uint64_t fingerprint,
                      const std::function<json()> &build)
{
    Slot &slot = m_objects[static_cast<int>(res)][ns + "/" + name];
    slot.seen = m_pass;
    json object;
    if (fingerprint == 0) {
        object = build();
        fingerprint = hashText(object.dump()) | 1;
    }
    if (slot.object && slot.fingerprint == fingerprint)
        return;
    if (object.is_null())
        object = build();
    const bool added = !slot.object;
    auto stored = std::make_shared<StoredObject>();
    stored->res = res;
    stored->ns = ns;
    stored->name = name;
    stored->rv = ++m_rv;
    object["metadata"]["resourceVersion"] = std::to_string(stored->rv);
    stored->wire = object.dump();
    stored->object = std::move(object);
    slot.object = stored;
    slot.fingerprint = fingerprint;
    logEvent(res, added ? "ADDED" : "MODIFIED", std::move(stored));
}

void ObjectStore::removeUnseen(Res res)
{
    Map &map = m_objects[static_cast<int>(res)];
    for (auto it = map.begin(); it != map.end();) {
        if (it->second.seen == m_pass) {
            ++it;
            continue;
        }
        auto gone = std::make_shared<StoredObject>(*it->second.object);
        gone->rv = ++m_rv;
        gone->object["metadata"]["resourceVersion"] = std::to_string(gone->rv);
        gone->wire = gone->object.dump();
        logEvent(res, "DELETED", std::move(gone));
        it = map.erase(it);
    }
}

void ObjectStore::sync(const sim::Simulation &simulation)
{
    const sim::Inventory &inv = simulation.inventory();
    if (m_regions.empty()) {
        std::string primary;
        for (const sim::Region &r : inv.regions) {
            m_regions.push_back(r.name);
            if (r.primary)
                primary = r.name;
        }
        m_naming = RegionNamespaces(primary);
    }
    ObjectContext ctx{simulation.config().startEpochMs, simulation.nowMs(), m_naming};
    ++m_pass;

    // Namespaces: each region's copy of the simulator's namespaces.
    for (const std::string &region : m_regions)
        for (const std::string &ns : inv.namespaces) {
            if (region != m_naming.primary() && (ns == "kube-system" || ns == "monitoring"))
                continue;
            const std::string name = m_naming.toKube(ns, region);
            put(Res::Namespaces, "", name, 0, [&] { return namespaceJson(name, region, ctx); });
        }
    put(Res::Namespaces, "", "default", 0, [&] { return namespaceJson("default", {}, ctx); });
    put(Res::Namespaces, "", "istio-system", 0, [&] { return namespaceJson("istio-system", {}, ctx); });
    removeUnseen(Res::Namespaces);

    // Deployments and ReplicaSets.
    std::unordered_map<std::string, std::vector<const sim::ReplicaSet *>> rsByDeployment;
    std::unordered_map<std::string, const sim::Deployment *> depByKey;
    for (const sim::Deployment &d : inv.deployments) {
        const std::string key = d.region + "/" + d.ns + "/" + d.name;
        depByKey[key] = &d;
        m_depUid[m_naming.toKube(d.ns, d.region) + "/" + d.name] = d.uid;
    }
    for (const sim::ReplicaSet &rs : inv.replicaSets) {
        const auto found = depByKey.find(rs.region + "/" + rs.ns + "/" + rs.deployment);
        const sim::Deployment *owner = found == depByKey.end() ? nullptr : found->second;
        if (owner)
            rsByDeployment[owner->region + "/" + owner->ns + "/" + owner->name].push_back(&rs);
        const std::string ns = m_naming.toKube(rs.ns, owner ? owner->region : std::string());
        std::vector<std::string> &where = m_rsNs[rs.name];
        if (std::find(where.begin(), where.end(), ns) == where.end())
            where.push_back(ns);
        m_rsUid[rs.region + "/" + rs.name] = rs.uid;
        put(Res::ReplicaSets, ns, rs.name, 0, [&] { return replicaSetJson(rs, owner, ctx); });
    }
    removeUnseen(Res::ReplicaSets);
    for (const sim::Deployment &d : inv.deployments) {
        const std::string ns = m_naming.toKube(d.ns, d.region);
        const DeploymentExtras &extras = m_extras[ns + "/" + d.name];
        const auto &sets = rsByDeployment[d.region + "/" + d.ns + "/" + d.name];
        put(Res::Deployments, ns, d.name, 0, [&] { return deploymentJson(d, sets, extras, ctx); });
    }
    removeUnseen(Res::Deployments);

    // Pods: 10,000 on the large preset, so compared by fingerprint first.
    std::unordered_map<std::string, int> podsPerNode;
    for (const sim::Pod &pod : inv.pods) {
        const std::string ns = m_naming.toKube(pod.ns, pod.region);
        m_podNs[pod.name] = ns;
        m_podUid[pod.name] = pod.uid;
        if (!pod.nodeName.empty())
            ++podsPerNode[pod.nodeName];
        const auto rsUid = m_rsUid.find(pod.region + "/" + pod.replicaSet);
        put(Res::Pods, ns, pod.name, podFingerprint(pod) | 1,
            [&] { return podJson(pod, rsUid == m_rsUid.end() ? std::string() : rsUid->second, ctx); });
    }
    removeUnseen(Res::Pods);

    for (const sim::Node &node : inv.nodes)
        put(Res::Nodes, "", node.name, 0, [&] { return nodeJson(node, 0, ctx); });
    removeUnseen(Res::Nodes);

    syncEvents(simulation, ctx);
    if (!m_initialised)
        syncStatic(ctx);
    m_initialised = true;
    m_logFloor = m_log.empty() ? m_rv : std::min(m_logFloor, m_log.front().rv - 1);
}

void ObjectStore::syncEvents(const sim::Simulation &simulation, const ObjectContext &ctx)
{
    const std::vector<sim::KubeEvent> &events = simulation.kubeEvents();
    std::size_t start = 0;
    if (m_haveLastEvent) {
        start = events.size();
        bool found = false;
        for (std::size_t i = events.size(); i-- > 0;) {
            if (sameEvent(events[i], m_lastEvent)) {
                start = i + 1;
                found = true;
                break;
            }
            if (events[i].timeMs < m_lastEvent.timeMs)
                break;
        }
        if (!found) // the simulator dropped old events past ours: take every newer one
            start = static_cast<std::size_t>(
                std::find_if(events.begin(), events.end(), [&](const sim::KubeEvent &e) { return e.timeMs > m_lastEvent.timeMs; }) -
                events.begin());
    }
    Map &map = m_objects[static_cast<int>(Res::Events)];
    for (std::size_t i = start; i < events.size(); ++i) {
        const sim::KubeEvent &ev = events[i];
        std::string ns, uid;
        if (ev.objectKind == "Pod" && m_podNs.count(ev.objectName)) {
            ns = m_podNs[ev.objectName];
            uid = m_podUid[ev.objectName];
        } else if (ev.objectKind == "Node" || ev.ns.empty()) {
            ns = "default";
        } else {
            ns = m_naming.toKube(ev.ns, m_naming.primary());
            // "Scaled up replica set agent-orchestrator-5d8c7 ..." names the region's RS.
            // (the event carries no region: when the name repeats, the primary's wins)
            for (const auto &[rsName, rsNamespaces] : m_rsNs)
                if (ev.message.find(" " + rsName + " ") != std::string::npos) {
                    const bool primaryHasIt = std::find(rsNamespaces.begin(), rsNamespaces.end(), ns) != rsNamespaces.end();
                    ns = primaryHasIt ? ns : rsNamespaces.front();
                    break;
                }
            const auto dep = m_depUid.find(ns + "/" + ev.objectName);
            if (dep != m_depUid.end())
                uid = dep->second;
        }
        char suffix[32];
        std::snprintf(suffix, sizeof suffix, ".%llx", static_cast<unsigned long long>(
                                                          (ctx.startEpochMs + ev.timeMs) * 1000 + (++m_eventSeq % 1000)));
        const std::string name = ev.objectName + suffix;
        put(Res::Events, ns, name, 0, [&] { return eventJson(ev, ns, name, uid, ctx); });
        m_eventKeys.push_back(ns + "/" + name);
        while (m_eventKeys.size() > kMaxEvents) {
            map.erase(m_eventKeys.front());
            m_eventKeys.pop_front();
        }
    }
    if (!events.empty()) {
        m_lastEvent = events.back();
        m_haveLastEvent = true;
    }
    for (auto &[key, slot] : map)
        slot.seen = m_pass; // events expire by count above, not by disappearing from the simulator
}

void ObjectStore::syncStatic(const ObjectContext &ctx)
{
    // ConfigMaps and PersistentVolumes: the simulator has none, the runbook backs them up
    // ("kubectl get configmap -n chatgpt-agent -o yaml", "kubectl get pv -o name").
    const std::string created = rfc3339(ctx.startEpochMs - 30LL * 24 * 3600 * 1000);
    for (const std::string &region : m_regions) {
        const std::string ns = m_naming.toKube("chatgpt-agent", region);
        auto configMap = [&](const std::string &name, json data) {
            return json{{"apiVersion", "v1"},
                        {"kind", "ConfigMap"},
                        {"metadata", {{"name", name}, {"namespace", ns}, {"uid", "cm-" + ns + "-" + name}, {"creationTimestamp", created},
                                      {"labels", {{kRegionLabel, region}}}}},
                        {"data", data}};
        };
        const json agent = {{"MAX_STEPS_PER_TASK", "50"},
                            {"TASK_TIMEOUT_SECONDS", "300"},
                            {"SAFETY_FILTER_LEVEL", "standard"},
                            {"MODEL_ENDPOINT", "http://model-server:8000/v1"},
                            {"STATE_DB_URL", "postgresql://state-db:5432/agent_state"},
                            {"REGION", region}};
        const json model = {{"MODEL_NAME", "agent-70b"}, {"MAX_BATCH_SIZE", "256"}, {"KV_CACHE_FRACTION", "0.9"}, {"DTYPE", "bfloat16"}};
        const json vc = {{"POOL_SIZE", "1000"}, {"SESSION_TTL_SECONDS", "1800"}, {"SANDBOX_RUNTIME", "gvisor"}};
        const json ca = {{"ca.crt", "-----BEGIN CERTIFICATE-----\nMIIBsimulated\n-----END CERTIFICATE-----\n"}};
        put(Res::ConfigMaps, ns, "agent-orchestrator-config", 0, [&] { return configMap("agent-orchestrator-config", agent); });
        put(Res::ConfigMaps, ns, "model-server-config", 0, [&] { return configMap("model-server-config", model); });
        put(Res::ConfigMaps, ns, "virtual-computer-config", 0, [&] { return configMap("virtual-computer-config", vc); });
        put(Res::ConfigMaps, ns, "kube-root-ca.crt", 0, [&] { return configMap("kube-root-ca.crt", ca); });
        for (const char *volume : {"state-db-data", "model-weights", "backups"}) {
            const std::string name = std::string(volume) + "-" + region;
            const std::string size = std::string(volume) == "model-weights" ? "500Gi" : "200Gi";
            put(Res::PersistentVolumes, "", name, 0, [&] {
                return json{{"apiVersion", "v1"},
                            {"kind", "PersistentVolume"},
                            {"metadata", {{"name", name}, {"uid", "pv-" + name}, {"creationTimestamp", created}, {"labels", {{kRegionLabel, region}}}}},
                            {"spec",
                             {{"capacity", {{"storage", size}}},
                              {"accessModes", json::array({"ReadWriteOnce"})},
                              {"persistentVolumeReclaimPolicy", "Retain"},
                              {"storageClassName", "ssd"},
                              {"volumeMode", "Filesystem"},
                              {"claimRef", {{"kind", "PersistentVolumeClaim"}, {"namespace", ns}, {"name", volume}}}}},
                            {"status", {{"phase", "Bound"}}}};
            });
        }
    }
}

} // namespace opsdeck::kubeapi
