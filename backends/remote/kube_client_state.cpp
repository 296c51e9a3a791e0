// What KubeClient hands out: the immutable inventory rebuilt from the reflectors' maps
// (at most once per change, on demand), each pod's runbook component, and the Event log.
#include "kube_client.h"
#include "kube_client_internal.h"

#include <algorithm>
#include <set>

namespace opsdeck::remote {

bool KubeClient::EventLog::add(sim::KubeEvent event, bool fromList) {
    // No uid in sim::KubeEvent: what an operator would call "the same event".
    std::string key = event.ns + '\x1f' + event.objectKind + '\x1f' + event.objectName + '\x1f' +
                      event.reason + '\x1f' + event.message + '\x1f' + std::to_string(event.timeMs);
    if (keys.count(key) || (fromList && event.timeMs < forgottenUpToMs))
        return false;
    keys.insert(key);
    entries.push_back({++lastSequence, std::move(key), std::move(event)});
    while (entries.size() > memory) {
        forgottenUpToMs = std::max(forgottenUpToMs, entries.front().event.timeMs);
        keys.erase(entries.front().key);
        entries.pop_front();
    }
    return true;
}

void KubeClient::rebuild() const {
    auto inventory = std::make_shared<sim::Inventory>();
    auto podComponents = std::make_shared<std::vector<std::string>>();
    std::set<std::string> namespaces;
    std::map<std::string, bool> regions; // name -> any node ready
    std::map<std::string, const std::string *> deploymentComponent; // "ns/name" -> component
    for (const auto &kind : m_kinds) {
        for (const auto &[k, d] : kind->deployments) {
            inventory->deployments.push_back(d);
            namespaces.insert(d.ns);
            deploymentComponent[k] = &d.component;
        }
        for (const auto &[k, rs] : kind->replicaSets)
            inventory->replicaSets.push_back(rs);
        for (const auto &[k, n] : kind->nodes) {
            inventory->nodes.push_back(n);
            if (!n.region.empty())
                regions[n.region] = regions[n.region] || n.ready;
        }
    }
    for (const auto &kind : m_kinds) {
        for (const auto &[k, record] : kind->pods) {
            const sim::Pod &p = record.pod;
            inventory->pods.push_back(p);
            namespaces.insert(p.ns);
            std::string component = record.component;
            if (component.empty() && !p.deployment.empty()) {
                auto owner = deploymentComponent.find(p.ns + "/" + p.deployment);
                component = owner != deploymentComponent.end() ? *owner->second : p.deployment;
            }
            podComponents->push_back(std::move(component));
        }
    }
    inventory->namespaces.assign(namespaces.begin(), namespaces.end());
    for (const auto &[name, anyReady] : regions) {
        sim::Region r;
        r.name = name;
        r.healthy = anyReady; // a region none of whose nodes is Ready serves nothing
        inventory->regions.push_back(r);
    }
    m_cache = std::move(inventory);
    m_podComponentCache = std::move(podComponents);
}

std::shared_ptr<const sim::Inventory> KubeClient::inventory() const {
    if (!m_cache)
        rebuild();
    return m_cache;
}

std::shared_ptr<const std::vector<std::string>> KubeClient::podComponents() const {
    if (!m_cache || !m_podComponentCache)
        rebuild();
    return m_podComponentCache;
}

std::vector<sim::KubeEvent> KubeClient::events() const {
    std::vector<sim::KubeEvent> out;
    out.reserve(m_events->entries.size());
    for (const auto &e : m_events->entries)
        out.push_back(e.event);
    return out;
}

std::vector<sim::KubeEvent> KubeClient::eventsAfter(std::uint64_t sequence, std::uint64_t *next) const {
    std::vector<sim::KubeEvent> out;
    for (auto it = m_events->entries.rbegin(); it != m_events->entries.rend() && it->sequence > sequence; ++it)
        out.push_back(it->event);
    std::reverse(out.begin(), out.end());
    if (next)
        *next = m_events->lastSequence;
    return out;
}

} // namespace opsdeck::remote
