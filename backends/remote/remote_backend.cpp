// RemoteBackend: connection states, the Kubernetes watch, the Prometheus/Alertmanager
// polls and the snapshots. The ClusterBackend calls (reads, actions, alerts) are in
// remote_backend_calls.cpp.
#include "remote_backend.h"

#include "alertmanager_client.h"
#include "http_client.h"
#include "prometheus_client.h"
#include "remote_backend_kube.h"
#include "remote_health.h"

#include <QCoro/QCoroSignal>

#include <algorithm>

namespace opsdeck::remote {

using backends::ConnectionState;
using backends::SnapshotPtr;

namespace {
constexpr qint64 kMaxBackoffMs = 60'000;
constexpr std::chrono::milliseconds kSettleTimeout{30'000};

qint64 wallNowMs() { return QDateTime::currentMSecsSinceEpoch(); }

HttpOptions monitoringHttpOptions()
{
    HttpOptions o;
    o.connectTimeout = std::chrono::milliseconds{3000};
    o.totalTimeout = std::chrono::milliseconds{15000};
    o.maxRetries = 1; // the periodic refresh is the retry; keep a dead server cheap
    return o;
}
} // namespace

QString remoteComponentName(RemoteComponent c)
{
    switch (c) {
    case RemoteComponent::Kubernetes: return QStringLiteral("Kubernetes");
    case RemoteComponent::Prometheus: return QStringLiteral("Prometheus");
    case RemoteComponent::Alertmanager: return QStringLiteral("Alertmanager");
    }
    return {};
}

RemoteBackend::RemoteBackend(RemoteConfig config, RemoteTiming timing, QObject *parent)
    : ClusterBackend(parent), m_config(std::move(config))
{
    qRegisterMetaType<SnapshotPtr>();
    qRegisterMetaType<sim::ActionSpec>();
    qRegisterMetaType<sim::ActionResult>();
    qRegisterMetaType<RemoteComponent>();
    m_attachEpochMs = wallNowMs();
    const qint64 now = m_attachEpochMs;
    if (!m_config.prometheusUrl.isEmpty()) {
        m_promHttp = std::make_unique<HttpClient>(monitoringHttpOptions());
        m_prom = std::make_unique<PrometheusClient>(m_promHttp.get(), m_config.prometheusUrl.toStdString());
        m_status[std::size_t(RemoteComponent::Prometheus)] = {ConnectionState::Connecting, {}, now, 0, 0};
    }
    if (!m_config.alertmanagerUrl.isEmpty()) {
        m_amHttp = std::make_unique<HttpClient>(monitoringHttpOptions());
        m_am = std::make_unique<AlertmanagerClient>(m_amHttp.get(), m_config.alertmanagerUrl.toStdString());
        m_status[std::size_t(RemoteComponent::Alertmanager)] = {ConnectionState::Connecting, {}, now, 0, 0};
    }
    m_kube = std::make_unique<KubeSide>(m_config, timing.watchLiveness);
    m_status[std::size_t(RemoteComponent::Kubernetes)] = {ConnectionState::Connecting, {}, now, 0, 0};
    m_timer.setInterval(std::max(500, m_config.refreshIntervalMs));
    connect(&m_timer, &QTimer::timeout, this, [this] { poll(); });
    m_publishTimer.setSingleShot(true);
    connect(&m_publishTimer, &QTimer::timeout, this, [this] { publish(wallNowMs()); });
    publish(now); // views get a (empty) snapshot at once
}

RemoteBackend::~RemoteBackend()
{
    // Coroutines still waiting on the network resume when their transfers are cancelled
    // below; `alive` tells them not to touch this object any more.
    *m_alive = false;
    m_timer.stop();
    m_publishTimer.stop();
    if (m_kube)
        m_kube->shutdown();
    if (m_promHttp)
        m_promHttp->cancelAll();
    if (m_amHttp)
        m_amHttp->cancelAll();
}

void RemoteBackend::start()
{
    m_timer.start();
    if (KubeClient *client = m_kube->client())
        client->start(); // after stop(): watch again
    poll();
}

void RemoteBackend::stop()
{
    m_timer.stop();
    if (KubeClient *client = m_kube->client())
        client->stop();
}

bool RemoteBackend::due(RemoteComponent c, qint64 nowMs) const
{
    const ComponentStatus &s = m_status[std::size_t(c)];
    return nowMs >= s.nextAttemptEpochMs;
}

void RemoteBackend::setStatus(RemoteComponent c, ConnectionState state, const QString &detail, qint64 nowMs)
{
    ComponentStatus &s = m_status[std::size_t(c)];
    const bool changed = s.state != state || s.detail != detail;
    if (s.state != state)
        s.sinceEpochMs = nowMs;
    s.state = state;
    s.detail = detail;
    if (state == ConnectionState::Connected) {
        s.consecutiveFailures = 0;
        s.nextAttemptEpochMs = 0;
    }
    if (changed)
        Q_EMIT componentStatusChanged(c);
    const ConnectionState overall = connectionState();
    if (overall != m_overall) {
        m_overall = overall;
        Q_EMIT connectionStateChanged(m_overall);
    }
}

void RemoteBackend::recordFailure(RemoteComponent c, const QString &why, qint64 nowMs)
{
    ComponentStatus &s = m_status[std::size_t(c)];
    s.consecutiveFailures += 1;
    // Retry on the next refresh at first, then back off: 2x, 4x ... up to a minute.
    const qint64 backoff = std::min<qint64>(kMaxBackoffMs, qint64(m_timer.interval()) << std::min(s.consecutiveFailures - 1, 6));
    s.nextAttemptEpochMs = s.consecutiveFailures <= 1 ? 0 : nowMs + backoff - m_timer.interval();
    setStatus(c, ConnectionState::Failed, why, nowMs);
}

QCoro::Task<void> RemoteBackend::refreshNow()
{
    auto alive = m_alive;
    auto pollTask = poll();
    co_await pollTask;
    if (!*alive)
        co_return;
    auto settleTask = settleKubernetes();
    co_await settleTask;
    if (!*alive)
        co_return;
    publish(wallNowMs());
}

QCoro::Task<void> RemoteBackend::poll()
{
    auto alive = m_alive;
    if (m_refreshing) {
        auto finished = qCoro(this, &RemoteBackend::refreshFinished);
        co_await finished;
        co_return;
    }
    m_refreshing = true;
    const qint64 now = wallNowMs();
    if (due(RemoteComponent::Kubernetes, now))
        startKubernetes(now); // a no-op once the watch runs: it reconnects by itself
    // The two run concurrently (QCoro tasks start at once); each updates its own part.
    auto prom = refreshPrometheus(alive, now);
    auto am = refreshAlertmanager(alive, now);
    co_await prom;
    if (!*alive)
        co_return;
    co_await am;
    if (!*alive)
        co_return;
    m_refreshing = false;
    publish(wallNowMs());
    Q_EMIT refreshFinished();
}

bool RemoteBackend::startKubernetes(qint64 nowMs)
{
    if (m_kube->client())
        return true;
    auto started = m_kube->ensureStarted();
    if (!started) {
        recordFailure(RemoteComponent::Kubernetes, QString::fromStdString(started.error()), nowMs);
        return false;
    }
    KubeClient *client = *started;
    connect(client, &KubeClient::inventoryChanged, this, &RemoteBackend::schedulePublish);
    connect(client, &KubeClient::stateChanged, this, &RemoteBackend::followKubernetes);
    connect(client, &KubeClient::streamError, this, &RemoteBackend::followKubernetes);
    followKubernetes();
    return true;
}

QCoro::Task<void> RemoteBackend::settleKubernetes()
{
    KubeClient *client = m_kube->client();
    if (!client)
        co_return; // the kubeconfig or the map did not load: its status says why
    auto settle = client->waitUntilSettled(kSettleTimeout);
    co_await settle; // the client outlives a wait cut short by its destruction (it returns false)
}

QString RemoteBackend::kubernetesSummary() const
{
    const KubeClient *client = m_kube->client();
    if (!client)
        return {};
    const auto inventory = client->inventory();
    QString text = tr("%1 deployments, %2 pods, %3 nodes; watching")
                       .arg(inventory->deployments.size())
                       .arg(inventory->pods.size())
                       .arg(inventory->nodes.size());
    if (client->eventsUnavailable())
        text += tr("; Events not readable: %1").arg(client->lastError());
    return text;
}

bool RemoteBackend::kubernetesReconnecting() const
{
    const KubeClient *client = m_kube ? m_kube->client() : nullptr;
    return client && client->synced() && client->failing();
}

QString RemoteBackend::kubernetesReconnectingFact(const ComponentStatus &s) const
{
    // Which watches are down matters: "watch events: ..." alone would hide that pods are too.
    QStringList kinds;
    for (const std::string &kind : m_kube->client()->failingKinds())
        kinds << QString::fromStdString(kind);
    const QString since = QDateTime::fromMSecsSinceEpoch(s.sinceEpochMs).toString(QStringLiteral("HH:mm:ss"));
    return tr("Kubernetes reconnecting since %1 (down: %2; the inventory shown may be out of date): %3")
        .arg(since, kinds.join(QStringLiteral(", ")), s.detail);
}

void RemoteBackend::followKubernetes()
{
    const KubeClient *client = m_kube->client();
    if (!client)
        return;
    const qint64 now = wallNowMs();
    if (client->healthy() && m_inventory != client->inventory())
        publish(now); // "connected" and a snapshot with what it connected to, together
    else if (client->healthy())
        setStatus(RemoteComponent::Kubernetes, ConnectionState::Connected, kubernetesSummary(), now);
    else if (client->failing())
        setStatus(RemoteComponent::Kubernetes, ConnectionState::Failed, client->lastError(), now);
    else
        setStatus(RemoteComponent::Kubernetes, ConnectionState::Connecting, {}, now);
}

QCoro::Task<void> RemoteBackend::refreshPrometheus(std::shared_ptr<bool> alive, qint64 nowMs)
{
    if (!m_prom || !due(RemoteComponent::Prometheus, nowMs))
        co_return;
    // One cheap probe first: a dead server costs one timeout, not twelve.
    auto readyTask = m_prom->ready();
    auto ready = co_await readyTask;
    if (!*alive)
        co_return;
    if (!ready) {
        recordFailure(RemoteComponent::Prometheus, QString::fromStdString(ready.error()), nowMs);
        co_return;
    }
    const auto &queries = healthQueries();
    std::vector<QCoro::Task<Result<telemetry::promql::Value>>> pending;
    pending.reserve(queries.size());
    for (const auto &q : queries)
        pending.push_back(m_prom->query(q.promql));
    std::map<std::string, telemetry::promql::Value> results;
    std::string firstError;
    for (std::size_t i = 0; i < pending.size(); ++i) {
        auto value = co_await pending[i];
        if (!*alive)
            co_return;
        if (value)
            results.emplace(queries[i].key, std::move(*value));
        else if (firstError.empty())
            firstError = value.error();
    }
    if (results.empty() && !firstError.empty()) {
        recordFailure(RemoteComponent::Prometheus, QString::fromStdString(firstError), nowMs);
        co_return;
    }
    m_healthResults = std::move(results); // combined with the newest inventory in publish()
    m_missingHealth.clear();
    healthFromResults(m_healthResults, nullptr, &m_missingHealth);
    const QString detail = m_missingHealth.empty()
        ? QString()
        : QStringLiteral("no data yet for %1 of %2 health series").arg(m_missingHealth.size()).arg(queries.size());
    setStatus(RemoteComponent::Prometheus, ConnectionState::Connected, detail, nowMs);
}

QCoro::Task<void> RemoteBackend::refreshAlertmanager(std::shared_ptr<bool> alive, qint64 nowMs)
{
    if (!m_am || !due(RemoteComponent::Alertmanager, nowMs))
        co_return;
    auto alertsTask = m_am->alerts(nowMs);
    auto alerts = co_await alertsTask;
    if (!*alive)
        co_return;
    if (!alerts) {
        recordFailure(RemoteComponent::Alertmanager, QString::fromStdString(alerts.error()), nowMs);
        co_return;
    }
    m_alerts.update(std::move(*alerts), nowMs);
    setStatus(RemoteComponent::Alertmanager, ConnectionState::Connected, QString(), nowMs);
}

void RemoteBackend::appendKubeEvents()
{
    const KubeClient *client = m_kube->client();
    if (!client)
        return;
    for (const sim::KubeEvent &e : client->eventsAfter(m_kubeEventSequence, &m_kubeEventSequence)) {
        sim::SimEvent ev;
        ev.kind = sim::SimEvent::Kind::Kube;
        ev.timeMs = e.timeMs - m_attachEpochMs;
        ev.title = e.reason + " " + e.objectKind + "/" + e.objectName;
        ev.detail = e.message;
        ev.ok = e.type != "Warning";
        m_events.push_back(std::move(ev));
    }
}

void RemoteBackend::schedulePublish()
{
    if (m_publishTimer.isActive())
        return;
    // At once after a quiet spell, then at most every kPublishEveryMs.
    const qint64 since = m_sincePublish.isValid() ? m_sincePublish.elapsed() : kPublishEveryMs;
    m_publishTimer.start(int(std::max<qint64>(0, kPublishEveryMs - since)));
}

void RemoteBackend::publish(qint64 nowMs)
{
    m_publishTimer.stop();
    m_sincePublish.start();
    const KubeClient *client = m_kube->client();
    if (client && client->synced()) {
        m_inventory = client->inventory();
        m_podComponents = client->podComponents();
        appendKubeEvents();
    }
    auto snap = std::make_shared<backends::ClusterSnapshot>();
    snap->epochMs = nowMs;
    snap->timeMs = nowMs - m_attachEpochMs;
    // Service rows come from the inventory alone when there are no metrics (yet): the map
    // still shows replicas per runbook component.
    m_health = healthFromResults(m_healthResults, m_inventory.get(), nullptr, m_podComponents.get());
    snap->health = m_health;
    snap->health.timeMs = snap->timeMs;
    snap->inventory = m_inventory;
    snap->healthSincePrevious = {snap->health};
    snap->eventCount = m_events.size();
    if (m_am && m_alerts.hasData())
        snap->alerts = std::make_shared<const std::vector<telemetry::alerting::QueuedAlert>>(m_alerts.snapshot(nowMs));
    m_latest = std::move(snap);
    if (client && client->healthy()) // the counts in the detail follow the inventory
        setStatus(RemoteComponent::Kubernetes, ConnectionState::Connected, kubernetesSummary(), nowMs);
    Q_EMIT snapshotPublished(m_latest);
}

QString RemoteBackend::displayName() const
{
    const QString context = m_kube ? QString::fromStdString(m_kube->contextName()) : QString();
    return context.isEmpty() ? m_config.clusterKey() : context;
}

ConnectionState RemoteBackend::connectionState() const
{
    int configured = 0, connected = 0, connecting = 0;
    for (const ComponentStatus &s : m_status) {
        if (s.state == ConnectionState::Disconnected)
            continue;
        ++configured;
        connected += s.state == ConnectionState::Connected;
        connecting += s.state == ConnectionState::Connecting;
    }
    if (configured == 0)
        return ConnectionState::Disconnected;
    if (connected > 0)
        return ConnectionState::Connected; // partial: statusFacts() says what is missing
    return connecting > 0 ? ConnectionState::Connecting : ConnectionState::Failed;
}

QStringList RemoteBackend::statusFacts() const
{
    QStringList facts;
    if (m_kube && !m_kube->contextName().empty())
        facts << tr("context %1").arg(QString::fromStdString(m_kube->contextName()));
    if (m_kube && m_kube->insecureSkipTlsVerify())
        facts << tr("TLS verification OFF (insecure-skip-tls-verify in the kubeconfig)");
    if (m_kube && !m_kube->componentMapSummary().empty())
        facts << tr("components by label: %1").arg(QString::fromStdString(m_kube->componentMapSummary()));
    for (RemoteComponent c : {RemoteComponent::Kubernetes, RemoteComponent::Prometheus, RemoteComponent::Alertmanager}) {
        const ComponentStatus &s = m_status[std::size_t(c)];
        const QString name = remoteComponentName(c);
        switch (s.state) {
        case ConnectionState::Disconnected:
            facts << (c == RemoteComponent::Prometheus ? tr("no Prometheus URL: no metrics")
                      : c == RemoteComponent::Alertmanager ? tr("no Alertmanager URL: no alerts")
                                                           : tr("%1 not configured").arg(name));
            break;
        case ConnectionState::Connecting:
            facts << tr("%1 connecting").arg(name);
            break;
        case ConnectionState::Connected:
            facts << (s.detail.isEmpty() ? tr("%1 connected").arg(name) : tr("%1 connected (%2)").arg(name, s.detail));
            break;
        case ConnectionState::Failed:
        case ConnectionState::Simulation:
            if (c == RemoteComponent::Kubernetes && kubernetesReconnecting())
                facts << kubernetesReconnectingFact(s);
            else
                facts << tr("%1 unreachable, retrying: %2").arg(name, s.detail);
            break;
        }
    }
    return facts;
}

} // namespace opsdeck::remote

// The moc output is compiled here rather than in opsdeck_remote's mocs_compilation.cpp,
// so that users of the HTTP/Kubernetes classes alone do not have to link opsdeck_backends
// (ClusterBackend's meta-object) just because this class shares their library.
#include "moc_remote_backend.cpp"
