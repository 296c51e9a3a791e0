// KubeClient's lists: paged (limit/continue), decoded into a fresh set of objects that
// replaces the old one only when every page arrived, so a failed re-list leaves the
// inventory as it was; listOnce() for one-shot tools.
#include "kube_client.h"
#include "kube_client_internal.h"
#include "kube_decode.h"

#include <algorithm>

namespace opsdeck::remote {

// Paging state of one list (plain functions below: GCC 12 mishandled locals declared in
// the loop body of a coroutine that also co_returned from a switch - a double free).
struct KubeClient::ListProgress {
    std::string resourceVersion, continueToken;
    std::vector<sim::KubeEvent> events;
};

namespace {
template <typename Page, typename Map, typename Progress>
Result<bool> fillPage(const ComponentMap &map, const std::string &kind, Page page, Map &into, Progress &progress) {
    if (!page)
        return Error{"list " + kind + ": " + page.error()};
    for (auto &item : page->items)
        store(map, into, std::move(item));
    progress.resourceVersion = page->resourceVersion;
    progress.continueToken = page->continueToken;
    return true;
}
} // namespace

Result<bool> KubeClient::absorbPage(Kind *kind, Kind &fresh, const std::string &body, ListProgress &progress) {
    const ComponentMap &map = m_options.componentMap;
    switch (kind->id) {
    case KindId::Deployments: return fillPage(map, kind->name, kube::decodeDeploymentList(body), fresh.deployments, progress);
    case KindId::ReplicaSets: return fillPage(map, kind->name, kube::decodeReplicaSetList(body), fresh.replicaSets, progress);
    case KindId::Pods: return fillPage(map, kind->name, kube::decodePodList(body), fresh.pods, progress);
    case KindId::Nodes: return fillPage(map, kind->name, kube::decodeNodeList(body), fresh.nodes, progress);
    case KindId::Events: {
        auto page = kube::decodeEventList(body);
        if (!page)
            return Error{"list events: " + page.error()};
        progress.events.insert(progress.events.end(), page->items.begin(), page->items.end());
        progress.resourceVersion = page->resourceVersion;
        progress.continueToken = page->continueToken;
        return true;
    }
    }
    return true;
}

std::string KubeClient::commitList(Kind *kind, Kind &fresh, ListProgress &progress) {
    kind->deployments = std::move(fresh.deployments);
    kind->replicaSets = std::move(fresh.replicaSets);
    kind->pods = std::move(fresh.pods);
    kind->nodes = std::move(fresh.nodes);
    if (kind->id == KindId::Events) {
        auto &events = progress.events;
        std::stable_sort(events.begin(), events.end(),
                         [](const auto &a, const auto &b) { return a.timeMs < b.timeMs; });
        for (auto &event : events)
            m_events->add(std::move(event), true);
    }
    return progress.resourceVersion;
}

std::string KubeClient::pagePath(const Kind *kind, const std::string &continueToken) const {
    std::string query;
    if (m_options.listPageSize > 0)
        query += "limit=" + std::to_string(m_options.listPageSize);
    if (!continueToken.empty())
        query += (query.empty() ? "" : "&") + std::string("continue=") + continueToken;
    return query.empty() ? kind->path : kind->path + "?" + query;
}

QCoro::Task<Result<std::string>> KubeClient::listKind(Kind *kind) {
    auto fresh = std::make_unique<Kind>();
    fresh->id = kind->id;
    auto progress = std::make_unique<ListProgress>();
    do {
        const std::string path = pagePath(kind, progress->continueToken);
        const std::string method = "GET";
        auto pageTask = request(method, path);
        auto response = co_await pageTask;
        if (!response) {
            kind->lastListStatus = 0;
            co_return Error{response.error()};
        }
        if (!response->ok()) {
            kind->lastListStatus = response->status;
            co_return Error{"list " + kind->name + ": " + response->errorSummary()};
        }
        Result<bool> absorbed = absorbPage(kind, *fresh, response->body, *progress);
        if (!absorbed)
            co_return Error{absorbed.error()};
    } while (!progress->continueToken.empty());
    std::string resourceVersion = commitList(kind, *fresh, *progress);
    co_return resourceVersion;
}

QCoro::Task<Result<sim::Inventory>> KubeClient::listOnce() {
    for (auto &kind : m_kinds) {
        auto listTask = listKind(kind.get());
        auto listed = co_await listTask;
        if (!listed)
            co_return Error{listed.error()};
        kind->listed = true;
        kind->resourceVersion = *listed;
    }
    markChanged();
    co_return *inventory();
}

} // namespace opsdeck::remote
