// KubeClient's life cycle: the five kinds' reflectors started and stopped, their combined
// state (synced, healthy, failing), and the requests every call shares (credentials
// applied, a rotated token fetched anew once). The watch loops are in
// kube_client_watch.cpp, the lists in kube_client_list.cpp.
// (GCC 12: every awaited task is a named local; see docs/ARCHITECTURE.md.)
#include "kube_client.h"
#include "kube_client_internal.h"

#include <QCoro/QCoroTimer>

#include <algorithm>

namespace opsdeck::remote {

namespace {
const char *const kClosed = "Kubernetes: the client was closed";
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

std::vector<std::string> KubeClient::failingKinds() const {
    std::vector<std::string> names;
    for (const auto &kind : m_kinds)
        if (kind->failing)
            names.push_back(kind->name);
    return names;
}

void KubeClient::setFailing(Kind *kind, bool failing, const std::string &why) {
    kind->failing = failing;
    if (!failing)
        kind->needsData = false;
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

void KubeClient::markChanged() {
    m_cache.reset();
    m_podComponentCache.reset();
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

} // namespace opsdeck::remote
