// List + watch reflectors for the five kinds the console shows. Each kind runs one
// coroutine: list (paged) -> watch from the list's resourceVersion -> on a clean end
// re-watch, on a drop back off and re-watch, on 410 Gone (or an undecodable line) re-list.
// Every coroutine holds `alive`; after each await it returns at once when the client is
// gone, so stop()/destruction never leaves work touching a dead object.
// (GCC 12: every awaited task is a named local; see docs/ARCHITECTURE.md.)
#include "kube_client.h"
#include "kube_client_internal.h"
#include "kube_decode.h"

#include <QCoro/QCoroSignal>
#include <QCoro/QCoroTimer>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace opsdeck::remote {

using nlohmann::json;

namespace {
const char *const kClosed = "Kubernetes: the client was closed";

std::chrono::milliseconds backoff(const KubeClient::Options &o, int failures) {
    return std::min(o.reconnectMax, o.reconnectBase * (1 << std::min(failures, 10)));
}
} // namespace

KubeClient::KubeClient(std::shared_ptr<KubeCredentials> credentials, Options options, QObject *parent)
    : QObject(parent), m_credentials(std::move(credentials)), m_options(std::move(options)),
      m_alive(std::make_shared<bool>(false)), m_events(std::make_unique<EventLog>()) {
    m_events->memory = m_options.eventMemory;
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

KubeClient::~KubeClient() {
    *m_lifetime = false;
    stop();
}

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

bool KubeClient::failing() const {
    return std::any_of(m_kinds.begin(), m_kinds.end(), [](const auto &k) { return k->failing; });
}

bool KubeClient::healthy() const { return synced() && !failing(); }

void KubeClient::setFailing(Kind *kind, bool failing, const std::string &why) {
    kind->failing = failing;
    if (failing) {
        m_lastError = QString::fromStdString(why);
        emit streamError(m_lastError);
    }
    noteState();
}

void KubeClient::noteState() {
    const int state = int(synced()) | int(healthy()) << 1 | int(failing()) << 2;
    if (state == m_lastState)
        return;
    m_lastState = state;
    emit stateChanged();
}

QCoro::Task<bool> KubeClient::waitUntilSettled(std::chrono::milliseconds timeout) {
    // Looks every 20 ms rather than awaiting stateChanged with a timeout: QCoro's timed
    // signal awaiter is a co_await temporary inside QCoro, which GCC 12 destroys twice
    // (its QTimer freed twice: a crash seen in tst_remote_backend_watch).
    auto lifetime = m_lifetime;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!synced() && !failing()) {
        if (std::chrono::steady_clock::now() >= deadline)
            co_return false;
        auto pause = QCoro::sleepFor(std::chrono::milliseconds(20));
        co_await pause;
        if (!*lifetime)
            co_return false;
    }
    co_return true;
}

QCoro::Task<Result<HttpResponse>> KubeClient::request(std::string method, std::string path,
                                                      std::string body, std::string contentType) {
    auto lifetime = m_lifetime;
    for (int attempt = 0;; ++attempt) {
        auto optionsTask = m_credentials->options();
        auto options = co_await optionsTask;
        if (!*lifetime)
            co_return Error{kClosed};
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
        auto sendTask = m_http.send(std::move(request));
        auto response = co_await sendTask;
        if (!*lifetime)
            co_return Error{kClosed};
        if (response && response->status == 401 && attempt == 0 &&
            (m_credentials->context().exec || !m_credentials->context().tokenFile.empty())) {
            m_credentials->invalidate(); // a rotated token: fetch anew once
            continue;
        }
        co_return response;
    }
}

QCoro::Task<void> KubeClient::runKind(Kind *kind, std::shared_ptr<bool> alive) {
    while (*alive) {
        if (kind->relist) {
            auto listTask = listKind(kind);
            auto listed = co_await listTask;
            if (!*alive)
                co_return;
            if (!listed && kind->id == KindId::Events &&
                (kind->lastListStatus == 403 || kind->lastListStatus == 404)) {
                // Events are nice to have: a user who may not list them still gets the
                // inventory, and the console says what is missing.
                m_eventsUnavailable = true;
                m_lastError = QString::fromStdString(listed.error());
                kind->listed = true;
                kind->relist = false;
                markChanged();
                noteState();
                co_return;
            }
            if (!listed) {
                setFailing(kind, true, listed.error());
                auto pause = QCoro::sleepFor(backoff(m_options, kind->failures++));
                co_await pause;
                continue;
            }
            kind->resourceVersion = *listed;
            kind->listed = true;
            kind->relist = false;
            kind->failures = 0;
            setFailing(kind, false);
            markChanged();
        }
        auto optionsTask = m_credentials->options();
        auto options = co_await optionsTask;
        if (!*alive)
            co_return;
        if (!options) {
            setFailing(kind, true, options.error());
            auto pause = QCoro::sleepFor(m_options.reconnectMax);
            co_await pause;
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
        connect(stream, &LineStream::headersReceived, this, [this, kind, stream](int status) {
            if (kind->stream == stream && status >= 200 && status < 300 && kind->failing)
                setFailing(kind, false); // (re)connected: the state shows it at once
        });
        connect(stream, &LineStream::line, this,
                [this, kind, stream](const QByteArray &line) {
                    if (kind->stream == stream)
                        applyWatchLine(kind, line);
                });
        auto finishedTask = qCoro(stream, &LineStream::finished);
        const auto [ok, error] = co_await finishedTask;
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
        // A dropped stream: back off, resume from the last resourceVersion; after a few
        // failures in a row, list again in case we missed more than a watch can replay.
        setFailing(kind, true, kind->name + " watch: " + error.toStdString());
        const int failures = ++kind->failures;
        if (failures >= 3)
            kind->relist = true;
        auto pause = QCoro::sleepFor(backoff(m_options, failures - 1));
        co_await pause;
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
        if (remove)
            into.erase(objectKey(*decoded));
        else
            store(m_options.componentMap, into, std::move(*decoded));
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
        if (!remove)
            m_events->add(std::move(*decoded), false);
        break;
    }
    }
    ++m_eventsApplied;
    markChanged();
}

void KubeClient::markChanged() {
    m_cache.reset();
    m_podComponentCache.reset();
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

} // namespace opsdeck::remote
