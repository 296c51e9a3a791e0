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
using backends::Status;

namespace {
constexpr qint64 kMaxBackoffMs = 60'000;
constexpr std::size_t kKubeEventMemory = 2000;

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

RemoteBackend::RemoteBackend(RemoteConfig config, QObject *parent)
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
    m_kube = std::make_unique<KubeSide>(m_config);
    m_status[std::size_t(RemoteComponent::Kubernetes)] = {ConnectionState::Connecting, {}, now, 0, 0};
    m_timer.setInterval(std::max(500, m_config.refreshIntervalMs));
    connect(&m_timer, &QTimer::timeout, this, [this] { refreshNow(); });
    publish(now); // views get a (empty) snapshot at once
}

RemoteBackend::~RemoteBackend()
{
    // Coroutines still waiting on the network resume when their transfers are cancelled
    // below; `alive` tells them not to touch this object any more.
    *m_alive = false;
    m_timer.stop();
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
    refreshNow();
}

void RemoteBackend::stop() { m_timer.stop(); }

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
    if (m_refreshing) {
        co_await qCoro(this, &RemoteBackend::refreshFinished);
        co_return;
    }
    m_refreshing = true;
    const qint64 now = wallNowMs();
    // The three run concurrently (QCoro tasks start at once); each updates its own part.
    auto kube = refreshKubernetes(alive, now);
    auto prom = refreshPrometheus(alive, now);
    auto am = refreshAlertmanager(alive, now);
    co_await kube;
    if (!*alive)
        co_return;
    co_await prom;
    if (!*alive)
        co_return;
    co_await am;
    if (!*alive)
        co_return;
    m_refreshing = false;
    const ConnectionState before = m_overall;
    m_overall = connectionState();
    publish(wallNowMs());
    if (m_overall != before)
        Q_EMIT connectionStateChanged(m_overall);
    Q_EMIT refreshFinished();
}

QCoro::Task<void> RemoteBackend::refreshKubernetes(std::shared_ptr<bool> alive, qint64 nowMs)
{
    if (!due(RemoteComponent::Kubernetes, nowMs))
        co_return;
    auto refreshTask = m_kube->refresh();
    auto result = co_await refreshTask;
    if (!*alive)
        co_return;
    if (!result) {
        recordFailure(RemoteComponent::Kubernetes, QString::fromStdString(result.error()), nowMs);
        co_return;
    }
    m_inventory = result->inventory;
    appendKubeEvents(result->events);
    setStatus(RemoteComponent::Kubernetes, ConnectionState::Connected, QString::fromStdString(result->summary), nowMs);
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

void RemoteBackend::appendKubeEvents(const std::vector<sim::KubeEvent> &events)
{
    const auto same = [](const sim::KubeEvent &a, const sim::KubeEvent &b) {
        return a.timeMs == b.timeMs && a.objectName == b.objectName && a.reason == b.reason && a.message == b.message;
    };
    for (const auto &e : events) {
        if (std::any_of(m_seenKubeEvents.begin(), m_seenKubeEvents.end(), [&](const auto &s) { return same(s, e); }))
            continue;
        m_seenKubeEvents.push_back(e);
        sim::SimEvent ev;
        ev.kind = sim::SimEvent::Kind::Kube;
        ev.timeMs = e.timeMs - m_attachEpochMs;
        ev.title = e.reason + " " + e.objectKind + "/" + e.objectName;
        ev.detail = e.message;
        ev.ok = e.type != "Warning";
        m_events.push_back(std::move(ev));
    }
    if (m_seenKubeEvents.size() > kKubeEventMemory)
        m_seenKubeEvents.erase(m_seenKubeEvents.begin(),
                               m_seenKubeEvents.begin() + std::ptrdiff_t(m_seenKubeEvents.size() - kKubeEventMemory));
}

void RemoteBackend::publish(qint64 nowMs)
{
    auto snap = std::make_shared<backends::ClusterSnapshot>();
    snap->epochMs = nowMs;
    snap->timeMs = nowMs - m_attachEpochMs;
    if (!m_healthResults.empty())
        m_health = healthFromResults(m_healthResults, m_inventory.get());
    snap->health = m_health;
    snap->health.timeMs = snap->timeMs;
    snap->inventory = m_inventory;
    snap->healthSincePrevious = {snap->health};
    snap->eventCount = m_events.size();
    if (m_am && m_alerts.hasData())
        snap->alerts = std::make_shared<const std::vector<telemetry::alerting::QueuedAlert>>(m_alerts.snapshot(nowMs));
    m_latest = std::move(snap);
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
            facts << tr("%1 unreachable, retrying: %2").arg(name, s.detail);
            break;
        }
    }
    return facts;
}

QCoro::Task<Result<sim::Inventory>> RemoteBackend::inventory()
{
    auto alive = m_alive;
    auto refreshTask = m_kube->refresh();
    auto result = co_await refreshTask;
    if (!*alive)
        co_return Error{"backend closed"};
    if (!result) {
        Error error{result.error()};
        co_return error;
    }
    m_inventory = result->inventory;
    sim::Inventory copy = *result->inventory;
    co_return copy;
}

QCoro::Task<Result<telemetry::promql::Value>> RemoteBackend::queryInstant(QString promql, std::int64_t tMs)
{
    if (!m_prom) {
        Error error{"metric queries are not available: no Prometheus URL is configured for this cluster"};
        co_return error;
    }
    std::string text = promql.toStdString();
    auto task = m_prom->query(std::move(text), tMs);
    auto result = co_await task;
    co_return result;
}

QCoro::Task<Result<telemetry::promql::Value>> RemoteBackend::queryRange(QString promql, std::int64_t startMs,
                                                                        std::int64_t endMs, std::int64_t stepMs)
{
    if (!m_prom) {
        Error error{"metric queries are not available: no Prometheus URL is configured for this cluster"};
        co_return error;
    }
    std::string text = promql.toStdString();
    auto task = m_prom->queryRange(std::move(text), startMs, endMs, stepMs);
    auto result = co_await task;
    co_return result;
}

QCoro::Task<Result<std::vector<sim::SimEvent>>> RemoteBackend::events(std::size_t from)
{
    std::vector<sim::SimEvent> tail;
    if (from < m_events.size())
        tail.assign(m_events.begin() + std::ptrdiff_t(from), m_events.end());
    co_return tail;
}

std::string RemoteBackend::unavailableOnRealCluster(sim::ActionKind kind)
{
    using K = sim::ActionKind;
    switch (kind) {
    case K::Rollback:
    case K::Scale:
    case K::SetImage:
    case K::Restart:
    case K::DeleteFailedPods:
        return {};
    case K::Canary:
    case K::ProgressiveRollout:
        return "traffic-split rollouts need a rollout controller or service mesh, which OpsDeck does not drive; "
               "use set-image and watch the rollout";
    case K::Failover:
        return "regional failover is a DNS / global load balancer change outside the Kubernetes API";
    case K::SafetyMode:
        return "enable_safety_mode.sh runs on the platform's control plane, not through the Kubernetes API";
    case K::CircuitBreaker:
        return "circuit breakers live in the service mesh configuration, which OpsDeck does not edit";
    case K::RotateCredentials:
        return "credentials are rotated through the secret manager, not from the console";
    case K::Backup:
    case K::Restore:
        return "state database backup and restore run through the database operator's own tooling";
    case K::IsolateResources:
        return "isolation needs network policies written for the incident at hand";
    case K::UpdatePromptFilters:
        return "prompt filters are shipped by the safety team's deployment pipeline";
    case K::IncreaseDbPool:
        return "the pool size is application configuration; change it in its ConfigMap, then use restart";
    }
    return "unknown action";
}

QCoro::Task<Result<std::string>> RemoteBackend::whyNotAllowed(sim::ActionSpec action)
{
    auto task = m_kube->whyNotAllowed(action);
    auto result = co_await task;
    co_return result;
}

QCoro::Task<Result<sim::ActionResult>> RemoteBackend::apply(sim::ActionSpec action)
{
    const std::string why = unavailableOnRealCluster(action.kind);
    if (!why.empty()) {
        Error error{std::string(sim::actionName(action.kind)) + ": not available on a real cluster: " + why};
        co_return error;
    }
    auto alive = m_alive;
    auto task = m_kube->apply(action);
    auto result = co_await task;
    if (!*alive)
        co_return result;
    if (result) {
        sim::SimEvent ev;
        ev.kind = sim::SimEvent::Kind::Action;
        ev.timeMs = wallNowMs() - m_attachEpochMs;
        ev.title = std::string(sim::actionName(action.kind)) + " " + action.target + " by " + action.actor;
        ev.detail = result->message;
        ev.ok = result->ok;
        m_events.push_back(std::move(ev));
        Q_EMIT actionCompleted(action, *result);
    }
    co_return result;
}

QCoro::Task<Status> RemoteBackend::acknowledge(telemetry::alerting::Fingerprint fingerprint, QString who,
                                               QString comment)
{
    if (!m_am) {
        Error error{"acknowledge: no Alertmanager URL is configured, so there are no alerts"};
        co_return error;
    }
    const qint64 now = wallNowMs();
    auto acked = m_alerts.acknowledge(fingerprint, who.toStdString(), comment.toStdString(), now);
    if (!acked) {
        Error error{acked.error()};
        co_return error;
    }
    publish(now);
    co_return backends::Done{};
}

QCoro::Task<Result<std::string>> RemoteBackend::silence(telemetry::alerting::Matchers matchers,
                                                        std::int64_t durationMs, QString who, QString comment)
{
    if (!m_am) {
        Error error{"silence: no Alertmanager URL is configured for this cluster"};
        co_return error;
    }
    if (durationMs <= 0) {
        Error error{"silence: the duration must be positive"};
        co_return error;
    }
    const qint64 now = wallNowMs();
    telemetry::alerting::SilenceSpec spec;
    spec.matchers = std::move(matchers);
    spec.startsAtMs = now;
    spec.endsAtMs = now + durationMs;
    spec.createdBy = who.toStdString();
    spec.comment = comment.toStdString();
    auto alive = m_alive;
    auto task = m_am->createSilence(std::move(spec));
    auto id = co_await task;
    if (*alive && id)
        refreshNow(); // show the alert as suppressed without waiting for the next tick
    co_return id;
}

Status RemoteBackend::injectFault(const sim::FaultSpec &fault)
{
    return Error{std::string("inject ") + sim::faultName(fault.kind)
                 + ": faults are injected only into the simulated cluster, never into a real one"};
}

Status RemoteBackend::clearFault(sim::FaultKind kind)
{
    return Error{std::string("clear ") + sim::faultName(kind) + ": a real cluster has no injected faults to clear"};
}

Status RemoteBackend::setPaused(bool)
{
    return Error{"a real cluster's clock cannot be paused"};
}

Status RemoteBackend::setSpeed(backends::SimSpeed)
{
    return Error{"a real cluster runs in real time: speed cannot be changed"};
}

} // namespace opsdeck::remote

// The moc output is compiled here rather than in opsdeck_remote's mocs_compilation.cpp,
// so that users of the HTTP/Kubernetes classes alone do not have to link opsdeck_backends
// (ClusterBackend's meta-object) just because this class shares their library.
#include "moc_remote_backend.cpp"
