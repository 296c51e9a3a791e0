#pragma once
// ClusterBackend for a real cluster: Kubernetes (inventory, events, actions) through one
// KubeClient that lists and then watches the API server, Prometheus (metrics, the
// runbook's health numbers) and Alertmanager (alerts, silences), both polled every
// refresh (default 5 s). It publishes immutable snapshots as the simulated backend does:
// after each poll, and within kPublishEveryMs of any change the watch brings.
//
// Each component has its own connection state. When one is down the others keep working,
// statusFacts() says what is missing and why, and each reconnects by itself: the watch
// with the client's own backoff, the polls with a backoff of up to a minute. A watch that
// dropped or went silent after the first sync shows as "Kubernetes reconnecting" with
// the client's message, the last inventory staying on screen, until data flows again.
//
//   auto *backend = new RemoteBackend(config, parent);   // config: remote_config.h
//   backend->start();                                     // watch now, polls periodic
//   co_await backend->refreshNow();                       // tools / tests: a complete picture
#include "../cluster_backend.h"
#include "remote_alert_book.h"
#include "remote_config.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTimer>

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <optional>

namespace opsdeck::remote {

class HttpClient;
class PrometheusClient;
class AlertmanagerClient;
struct KubeSide;

enum class RemoteComponent { Kubernetes = 0, Prometheus = 1, Alertmanager = 2 };
QString remoteComponentName(RemoteComponent c); // "Kubernetes", "Prometheus", "Alertmanager"

struct ComponentStatus {
    backends::ConnectionState state = backends::ConnectionState::Disconnected; // Disconnected: not configured
    QString detail;              // why it failed, or e.g. "context prod, 3 namespaces"
    qint64 sinceEpochMs = 0;     // when the state last changed
    int consecutiveFailures = 0;
    qint64 nextAttemptEpochMs = 0; // backoff: not retried before this
};

// How quickly trouble is noticed; unset values keep the defaults meant for a real cluster.
struct RemoteTiming {
    // A Kubernetes watch silent this long is taken for dead (KubeClient::Options::watchLiveness;
    // default two bookmark intervals, 120 s). Tests shorten it.
    std::optional<std::chrono::milliseconds> watchLiveness;
};

class RemoteBackend : public backends::ClusterBackend {
    Q_OBJECT
public:
    explicit RemoteBackend(RemoteConfig config, QObject *parent = nullptr)
        : RemoteBackend(std::move(config), RemoteTiming{}, parent) {}
    RemoteBackend(RemoteConfig config, RemoteTiming timing, QObject *parent = nullptr);
    ~RemoteBackend() override;

    // Snapshots carrying watched changes are published at most this often.
    static constexpr int kPublishEveryMs = 200;

    const RemoteConfig &config() const { return m_config; }
    // Starts the watch and the first poll at once, then polls every config().refreshIntervalMs.
    void start();
    void stop();
    // One poll of Prometheus and Alertmanager when due (both on the first call), and the
    // Kubernetes watch started and synced (or its error reported, or 30 s passed); then a
    // snapshot is published. Overlapping polls wait for the running one instead.
    QCoro::Task<void> refreshNow();

    ComponentStatus componentStatus(RemoteComponent c) const { return m_status[std::size_t(c)]; }

    QString displayName() const override;
    backends::ConnectionState connectionState() const override;
    QStringList statusFacts() const override;
    backends::SnapshotPtr latestSnapshot() const override { return m_latest; }

    QCoro::Task<Result<sim::Inventory>> inventory() override;
    QCoro::Task<Result<telemetry::promql::Value>> queryInstant(QString promql, std::int64_t tMs) override;
    QCoro::Task<Result<telemetry::promql::Value>> queryRange(QString promql, std::int64_t startMs,
                                                              std::int64_t endMs, std::int64_t stepMs) override;
    QCoro::Task<Result<std::vector<sim::SimEvent>>> events(std::size_t from) override;
    QCoro::Task<Result<sim::ActionResult>> apply(sim::ActionSpec action) override;
    QCoro::Task<Result<std::string>> whyNotAllowed(sim::ActionSpec action) override;

    QCoro::Task<backends::Status> acknowledge(telemetry::alerting::Fingerprint fingerprint, QString who,
                                              QString comment) override;
    QCoro::Task<Result<std::string>> silence(telemetry::alerting::Matchers matchers, std::int64_t durationMs,
                                             QString who, QString comment) override;

    backends::Status injectFault(const sim::FaultSpec &fault) override;
    backends::Status clearFault(sim::FaultKind kind) override;

    bool supportsClockControl() const override { return false; }
    backends::Status setPaused(bool paused) override;
    backends::Status setSpeed(backends::SimSpeed speed) override;
    bool isPaused() const override { return false; }
    backends::SimSpeed speed() const override { return backends::SimSpeed::X1; }

    // Why an action cannot run against a real cluster; empty when it can.
    static std::string unavailableOnRealCluster(sim::ActionKind kind);

Q_SIGNALS:
    void componentStatusChanged(opsdeck::remote::RemoteComponent component);
    void refreshFinished(); // after each refreshNow(), snapshot published

private:
    QCoro::Task<void> poll();
    QCoro::Task<void> settleKubernetes();
    QCoro::Task<void> refreshPrometheus(std::shared_ptr<bool> alive, qint64 nowMs);
    QCoro::Task<void> refreshAlertmanager(std::shared_ptr<bool> alive, qint64 nowMs);
    bool startKubernetes(qint64 nowMs); // false: the kubeconfig or component map did not load
    void followKubernetes();            // the client's state -> the Kubernetes ComponentStatus
    QString kubernetesSummary() const;  // "12 deployments, 140 pods, 16 nodes; watching"
    bool kubernetesReconnecting() const; // synced once, a list or watch down now
    QString kubernetesReconnectingFact(const ComponentStatus &s) const;
    bool due(RemoteComponent c, qint64 nowMs) const;
    void setStatus(RemoteComponent c, backends::ConnectionState state, const QString &detail, qint64 nowMs);
    void recordFailure(RemoteComponent c, const QString &why, qint64 nowMs);
    void schedulePublish();
    void publish(qint64 nowMs);
    void appendKubeEvents();

    RemoteConfig m_config;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true); // coroutines check it after each await
    std::unique_ptr<HttpClient> m_promHttp;
    std::unique_ptr<HttpClient> m_amHttp;
    std::unique_ptr<PrometheusClient> m_prom;
    std::unique_ptr<AlertmanagerClient> m_am;
    std::unique_ptr<KubeSide> m_kube;
    std::array<ComponentStatus, 3> m_status;
    backends::ConnectionState m_overall = backends::ConnectionState::Connecting;
    QTimer m_timer;
    QTimer m_publishTimer;       // coalesces watched changes into one snapshot
    QElapsedTimer m_sincePublish;
    bool m_refreshing = false;
    qint64 m_attachEpochMs = 0;

    // What the last successful polls said; kept while a component is down, marked stale.
    sim::HealthSnapshot m_health;
    std::map<std::string, telemetry::promql::Value> m_healthResults;
    std::vector<std::string> m_missingHealth;
    std::shared_ptr<const sim::Inventory> m_inventory = std::make_shared<sim::Inventory>();
    std::shared_ptr<const std::vector<std::string>> m_podComponents; // parallel to m_inventory->pods
    RemoteAlertBook m_alerts;
    std::vector<sim::SimEvent> m_events;
    std::uint64_t m_kubeEventSequence = 0; // KubeClient::eventsAfter: what was appended
    backends::SnapshotPtr m_latest;
};

} // namespace opsdeck::remote

Q_DECLARE_METATYPE(opsdeck::remote::RemoteComponent)
