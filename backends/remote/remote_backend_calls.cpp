// RemoteBackend's ClusterBackend calls: reads (inventory from the watch, PromQL through
// Prometheus, events), actions (through the Kubernetes API), alert calls (acknowledge is
// the console's own, silences are Alertmanager's), and the simulation-only calls it refuses.
#include "remote_backend.h"

#include "alertmanager_client.h"
#include "prometheus_client.h"
#include "remote_backend_kube.h"

namespace opsdeck::remote {

using backends::Status;

namespace {
qint64 wallNowMs() { return QDateTime::currentMSecsSinceEpoch(); }
} // namespace

QCoro::Task<Result<sim::Inventory>> RemoteBackend::inventory()
{
    auto alive = m_alive;
    if (!startKubernetes(wallNowMs())) {
        Error error{m_status[std::size_t(RemoteComponent::Kubernetes)].detail.toStdString()};
        co_return error;
    }
    auto settle = settleKubernetes();
    co_await settle;
    if (!*alive) {
        Error error{"backend closed"};
        co_return error;
    }
    const KubeClient *client = m_kube->client();
    if (!client->synced()) {
        const QString why = client->lastError().isEmpty() ? tr("no complete list yet") : client->lastError();
        Error error{"Kubernetes: " + why.toStdString()};
        co_return error;
    }
    sim::Inventory copy = *client->inventory();
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
    appendKubeEvents(); // the newest, even between snapshots
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
        poll(); // show the alert as suppressed without waiting for the next tick
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
