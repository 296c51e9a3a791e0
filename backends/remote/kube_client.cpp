// List + watch reflectors for the five kinds the console shows. Each kind runs one
// coroutine: list (paged) -> watch from the list's resourceVersion -> on a clean end
// re-watch, on a drop back off and re-watch, on 410 Gone (or an undecodable line) re-list.
// Every coroutine holds `alive`; after each await it returns at once when the client is
// gone, so stop()/destruction never leaves work touching a dead object.
#include "kube_client.h"
#include "kube_decode.h"

#include <QCoro/QCoroSignal>
#include <QCoro/QCoroTimer>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace opsdeck::remote {

using nlohmann::json;

enum class KindId { Deployments, ReplicaSets, Pods, Nodes, Events };

struct KubeClient::Kind {
    KindId id;
    std::string name;   // "pods", for messages
    std::string path;   // cluster-wide collection
    std::string resourceVersion;
    bool listed = false;
    bool relist = true;
    int failures = 0;
    LineStream *stream = nullptr; // deleted with deleteLater: it may be mid-emit
    std::map<std::string, sim::Deployment> deployments;
    std::map<std::string, sim::ReplicaSet> replicaSets;
    std::map<std::string, sim::Pod> pods;
    std::map<std::string, sim::Node> nodes;
};

namespace {
std::string key(const std::string &ns, const std::string &name) { return ns + "/" + name; }
template <typename T>
std::string objectKey(const T &object) {
    if constexpr (std::is_same_v<T, sim::Node>)
        return object.name; // cluster-scoped
    else
        return key(object.ns, object.name);
}
} // namespace

KubeClient::KubeClient(std::shared_ptr<KubeCredentials> credentials, Options options, QObject *parent)
    : QObject(parent), m_credentials(std::move(credentials)), m_options(options),
      m_alive(std::make_shared<bool>(false)) {
    auto add = [this](KindId id, const char *name, const char *path) {
        auto kind = std::make_unique<Kind>();
        kind->id = id;
        kind->name = name;
        kind->path = path;
        m_kinds.push_back(std::move(kind));
    };
    add(KindId::Nodes, "nodes", "/api/v1/nodes");
    add(KindId::Deployments, "deployments", "/apis/apps/v1/deployments");
    add(KindId::ReplicaSets, "replicasets", "/apis/apps/v1/replicasets");
    add(KindId::Pods, "pods", "/api/v1/pods");
    if (m_options.watchEvents)
        add(KindId::Events, "events", "/api/v1/events");
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(0);
    connect(&m_coalesce, &QTimer::timeout, this, [this] {
        emit inventoryChanged();
        if (synced() != m_wasSynced) {
            m_wasSynced = synced();
            emit syncedChanged(m_wasSynced);
        }
    });
}

KubeClient::~KubeClient() { stop(); }

const ResolvedContext &KubeClient::context() const { return m_credentials->context(); }

void KubeClient::start() {
    if (*m_alive)
        return;
    m_alive = std::make_shared<bool>(true);
    for (auto &kind : m_kinds) {
        kind->relist = true;
        runKind(kind.get(), m_alive); // detached: ends when alive turns false
    }
}

void KubeClient::stop() {
    if (!*m_alive)
        return;
    *m_alive = false;
    for (auto &kind : m_kinds) {
        if (LineStream *stream = std::exchange(kind->stream, nullptr)) {
            stream->close();      // resumes its coroutine, which sees !alive and returns
            stream->deleteLater();
        }
    }
    m_http.cancelAll();
}

bool KubeClient::synced() const {
    return std::all_of(m_kinds.begin(), m_kinds.end(), [](const auto &k) { return k->listed; });
}

QCoro::Task<Result<HttpResponse>> KubeClient::request(std::string method, std::string path,
                                                      std::string body, std::string contentType) {
    for (int attempt = 0;; ++attempt) {
        auto options = co_await m_credentials->options();
        if (!options)
            co_return Error{options.error()};
        m_http.setOptions(*options);
        HttpRequest request;
        request.method = method;
        request.url = m_credentials->context().server + path;
        request.headers = {{"Accept", "application/json"}};
        if (!contentType.empty())
            request.headers.emplace_back("Content-Type", contentType);
        request.body = body;
        auto response = co_await m_http.send(std::move(request));
        if (response && response->status == 401 && attempt == 0 &&
            (m_credentials->context().exec || !m_credentials->context().tokenFile.empty())) {
            m_credentials->invalidate(); // a rotated token: fetch anew once
            continue;
        }
        co_return response;
    }
}

// Paging state of one list (plain functions below: GCC 12 mishandled locals declared in
// the loop body of a coroutine that also co_returned from a switch - a double free).
struct KubeClient::ListProgress {
    std::string resourceVersion, continueToken;
    std::vector<sim::KubeEvent> events;
};

namespace {
template <typename Page, typename Map, typename Progress>
Result<bool> fillPage(const std::string &kind, Page page, Map &into, Progress &progress) {
    if (!page)
        return Error{"list " + kind + ": " + page.error()};
    for (auto &item : page->items)
        into.emplace(objectKey(item), std::move(item));
    progress.resourceVersion = page->resourceVersion;
    progress.continueToken = page->continueToken;
    return true;
}
} // namespace

Result<bool> KubeClient::absorbPage(Kind *kind, Kind &fresh, const std::string &body, ListProgress &progress) {
    switch (kind->id) {
    case KindId::Deployments: return fillPage(kind->name, kube::decodeDeploymentList(body), fresh.deployments, progress);
    case KindId::ReplicaSets: return fillPage(kind->name, kube::decodeReplicaSetList(body), fresh.replicaSets, progress);
    case KindId::Pods: return fillPage(kind->name, kube::decodePodList(body), fresh.pods, progress);
    case KindId::Nodes: return fillPage(kind->name, kube::decodeNodeList(body), fresh.nodes, progress);
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
        std::sort(events.begin(), events.end(),
                  [](const auto &a, const auto &b) { return a.timeMs < b.timeMs; });
        if (events.size() > m_options.eventMemory)
            events.erase(events.begin(), events.end() - std::ptrdiff_t(m_options.eventMemory));
        m_events.assign(events.begin(), events.end());
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
        auto response = co_await request("GET", pagePath(kind, progress->continueToken));
        if (!response)
            co_return Error{response.error()};
        if (!response->ok())
            co_return Error{"list " + kind->name + ": " + response->errorSummary()};
        Result<bool> absorbed = absorbPage(kind, *fresh, response->body, *progress);
        if (!absorbed)
            co_return Error{absorbed.error()};
    } while (!progress->continueToken.empty());
    std::string resourceVersion = commitList(kind, *fresh, *progress);
    co_return resourceVersion;
}

QCoro::Task<void> KubeClient::runKind(Kind *kind, std::shared_ptr<bool> alive) {
    while (*alive) {
        if (kind->relist) {
            auto listed = co_await listKind(kind);
            if (!*alive)
                co_return;
            if (!listed) {
                m_lastError = QString::fromStdString(listed.error());
                emit streamError(m_lastError);
                const auto delay = std::min(m_options.reconnectMax,
                                            m_options.reconnectBase * (1 << std::min(kind->failures++, 10)));
                co_await QCoro::sleepFor(delay);
                continue;
            }
            kind->resourceVersion = *listed;
            kind->listed = true;
            kind->relist = false;
            kind->failures = 0;
            markChanged();
        }
        auto options = co_await m_credentials->options();
        if (!*alive)
            co_return;
        if (!options) {
            m_lastError = QString::fromStdString(options.error());
            emit streamError(m_lastError);
            co_await QCoro::sleepFor(m_options.reconnectMax);
            continue;
        }
        m_http.setOptions(*options);
        HttpRequest watch;
        watch.url = m_credentials->context().server + kind->path +
                    "?allowWatchBookmarks=true&resourceVersion=" + kind->resourceVersion +
                    "&timeoutSeconds=" + std::to_string(300 + std::rand() % 300) + "&watch=true";
        watch.headers = {{"Accept", "application/json"}};
        LineStream *stream = m_http.stream(watch);
        kind->stream = stream;
        connect(stream, &LineStream::line, this,
                [this, kind, stream](const QByteArray &line) {
                    if (kind->stream == stream)
                        applyWatchLine(kind, line);
                });
        const auto [ok, error] = co_await qCoro(stream, &LineStream::finished);
        if (!*alive)
            co_return;
        const int status = stream->status();
        if (kind->stream == stream)
            kind->stream = nullptr;
        stream->deleteLater();
        if (status == 410)
            kind->relist = true; // resourceVersion too old: start over from a list
        if (status == 401)
            m_credentials->invalidate();
        if (kind->relist) {
            ++m_relists;
            continue;
        }
        if (ok) {
            kind->failures = 0; // the server ended the watch (timeoutSeconds): resume
            continue;
        }
        m_lastError = QString::fromStdString(kind->name + " watch: ") + error;
        emit streamError(m_lastError);
        // A dropped stream: back off, resume from the last resourceVersion; after a few
        // failures in a row, list again in case we missed more than a watch can replay.
        const int failures = ++kind->failures;
        if (failures >= 3)
            kind->relist = true;
        const auto delay = std::min(m_options.reconnectMax,
                                    m_options.reconnectBase * (1 << std::min(failures - 1, 10)));
        co_await QCoro::sleepFor(delay);
    }
}

void KubeClient::applyWatchLine(Kind *kind, const QByteArray &line) {
    const auto started = std::chrono::steady_clock::now();
    struct AddElapsed {
        std::chrono::steady_clock::time_point started;
        std::chrono::nanoseconds &total;
        ~AddElapsed() { total += std::chrono::steady_clock::now() - started; }
    } addElapsed{started, m_applyTime};
    auto event = kube::decodeWatchEvent(std::string_view(line.constData(), std::size_t(line.size())));
    auto restart = [&](const std::string &why) {
        m_lastError = QString::fromStdString(kind->name + " watch: " + why);
        emit streamError(m_lastError);
        kind->relist = true;
        if (LineStream *stream = kind->stream)
            QMetaObject::invokeMethod(stream, &LineStream::close, Qt::QueuedConnection);
    };
    if (!event) {
        restart(event.error() + "; listing again");
        return;
    }
    if (event->type == kube::WatchType::Error) {
        const kube::Status &status = *event->status;
        restart("server ERROR " + std::to_string(status.code) + " " + status.reason + ": " +
                status.message + "; listing again");
        return;
    }
    if (!event->resourceVersion.empty())
        kind->resourceVersion = event->resourceVersion;
    if (event->type == kube::WatchType::Bookmark)
        return;
    const bool remove = event->type == kube::WatchType::Deleted;
    auto upsert = [&](auto decoded, auto &into) {
        if (!decoded) {
            restart(decoded.error() + "; listing again");
            return;
        }
        const std::string k = objectKey(*decoded);
        if (remove)
            into.erase(k);
        else
            into.insert_or_assign(k, std::move(*decoded));
    };
    const json &object = *event->object;
    switch (kind->id) {
    case KindId::Deployments: upsert(kube::decodeDeployment(object), kind->deployments); break;
    case KindId::ReplicaSets: upsert(kube::decodeReplicaSet(object), kind->replicaSets); break;
    case KindId::Pods: upsert(kube::decodePod(object), kind->pods); break;
    case KindId::Nodes: upsert(kube::decodeNode(object), kind->nodes); break;
    case KindId::Events: {
        auto decoded = kube::decodeEvent(object);
        if (!decoded) {
            restart(decoded.error() + "; listing again");
            return;
        }
        if (!remove) {
            m_events.push_back(std::move(*decoded));
            while (m_events.size() > m_options.eventMemory)
                m_events.pop_front();
        }
        break;
    }
    }
    ++m_eventsApplied;
    markChanged();
}

void KubeClient::markChanged() {
    m_cache.reset();
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

void KubeClient::rebuild() const {
    auto inventory = std::make_shared<sim::Inventory>();
    std::set<std::string> namespaces, regions;
    for (const auto &kind : m_kinds) {
        for (const auto &[k, d] : kind->deployments) {
            inventory->deployments.push_back(d);
            namespaces.insert(d.ns);
        }
        for (const auto &[k, rs] : kind->replicaSets)
            inventory->replicaSets.push_back(rs);
        for (const auto &[k, p] : kind->pods) {
            inventory->pods.push_back(p);
            namespaces.insert(p.ns);
        }
        for (const auto &[k, n] : kind->nodes) {
            inventory->nodes.push_back(n);
            if (!n.region.empty())
                regions.insert(n.region);
        }
    }
    inventory->namespaces.assign(namespaces.begin(), namespaces.end());
    for (const std::string &region : regions) {
        sim::Region r;
        r.name = region;
        inventory->regions.push_back(r);
    }
    m_cache = std::move(inventory);
}

std::shared_ptr<const sim::Inventory> KubeClient::inventory() const {
    if (!m_cache)
        rebuild();
    return m_cache;
}

std::vector<sim::KubeEvent> KubeClient::events() const { return {m_events.begin(), m_events.end()}; }

QCoro::Task<Result<sim::Inventory>> KubeClient::listOnce() {
    for (auto &kind : m_kinds) {
        auto listed = co_await listKind(kind.get());
        if (!listed)
            co_return Error{listed.error()};
        kind->listed = true;
        kind->resourceVersion = *listed;
    }
    m_cache.reset();
    co_return *inventory();
}

} // namespace opsdeck::remote
