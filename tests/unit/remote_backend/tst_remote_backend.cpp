// RemoteBackend without a cluster: the console's own alert bookkeeping over Alertmanager
// alerts (acks, deadlines, resolution), the health PromQL checked against the simulation
// it mirrors, remembered settings without secrets, and a backend whose three servers are
// all unreachable (clear per-component errors, nothing hangs, simulation-only calls refused).
#include "backends/remote/remote_alert_book.h"
#include "backends/remote/remote_backend.h"
#include "backends/remote/remote_config.h"
#include "backends/remote/remote_health.h"
#include "backends/simulated/simulated_backend.h"

#include "await_task.h"

#include <QCoro/QCoroTask>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace opsdeck;
using namespace opsdeck::remote;
using namespace opsdeck::telemetry::alerting;
using backends::ConnectionState;

namespace {
constexpr std::int64_t kT0 = 1'795'869'600'000; // 2026-11-28T12:40:00Z

QueuedAlert firing(const std::string &name, const std::string &severity, std::int64_t startsAt)
{
    QueuedAlert q;
    q.alert.labels = telemetry::Labels{{"alertname", name}, {"severity", severity}};
    q.alert.fingerprint = fingerprintOf(q.alert.labels);
    q.alert.startsAtMs = startsAt;
    q.alert.endsAtMs = startsAt + 24 * 3'600'000; // far ahead: as if Prometheus keeps pushing
    q.severity = severityFromLabel(severity);
    q.status.state = AlertStatus::State::Active;
    return q;
}

// A port nothing listens on: bind one, note it, close it.
quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    const quint16 port = server.serverPort();
    server.close();
    return port;
}
} // namespace

class TestRemoteBackend : public QObject {
    Q_OBJECT
private slots:
    void alertBookAcknowledgeAndDeadlines()
    {
        RemoteAlertBook book;
        const auto p1 = firing("HighErrorRate", "P1", kT0);
        const auto p2 = firing("HighMemoryUsage", "P2", kT0 + 1000);
        book.update({p2, p1}, kT0 + 60'000);
        auto snap = book.snapshot(kT0 + 60'000);
        QCOMPARE(snap.size(), std::size_t(2));
        QCOMPARE(snap[0].alert.labels.get("alertname"), std::string("HighErrorRate")); // P1 first
        QCOMPARE(snap[0].deadlineMs.value(), kT0 + 5 * 60'000);
        QCOMPARE(snap[0].countdownMs.value(), std::int64_t(4 * 60'000));
        QCOMPARE(snap[0].outcome, ResponseOutcome::Pending);
        QCOMPARE(snap[1].deadlineMs.value(), kT0 + 1000 + 3'600'000);

        QVERIFY(!book.acknowledge(p1.alert.fingerprint, "", "", kT0 + 90'000).ok());
        QVERIFY(!book.acknowledge(12345, "alice", "", kT0 + 90'000).ok());
        QVERIFY(book.acknowledge(p1.alert.fingerprint, "alice", "looking", kT0 + 90'000).ok());
        auto again = book.acknowledge(p1.alert.fingerprint, "bob", "", kT0 + 91'000);
        QVERIFY(!again.ok());
        QVERIFY(again.error().find("already acknowledged by alice") != std::string::npos);

        // The next poll keeps the ack (same firing episode) and the countdown stops at it.
        book.update({p1, p2}, kT0 + 120'000);
        snap = book.snapshot(kT0 + 120'000);
        QVERIFY(snap[0].ack.has_value());
        QCOMPARE(snap[0].ack->by, std::string("alice"));
        QCOMPARE(snap[0].outcome, ResponseOutcome::Met);
        QCOMPARE(snap[0].countdownMs.value(), std::int64_t(5 * 60'000 - 90'000));

        // P1 leaves Alertmanager's list: shown resolved at that poll, ack cleared.
        book.update({p2}, kT0 + 180'000);
        snap = book.snapshot(kT0 + 180'000);
        QCOMPARE(snap.size(), std::size_t(2));
        QVERIFY(snap[0].resolved);
        QCOMPARE(snap[0].alert.endsAtMs, kT0 + 180'000);
        QVERIFY(!snap[0].ack.has_value());
        QVERIFY(!book.acknowledge(p1.alert.fingerprint, "bob", "", kT0 + 181'000).ok());

        // P2 never acknowledged, deadline passed: still pending, countdown negative.
        snap = book.snapshot(kT0 + 2 * 3'600'000);
        QCOMPARE(snap[1].outcome, ResponseOutcome::Pending);
        QVERIFY(snap[1].countdownMs.value() < 0);

        // After the retention, the resolved one is gone.
        book.update({p2}, kT0 + 180'000 + 31 * 60'000);
        QCOMPARE(book.snapshot(kT0 + 180'000 + 31 * 60'000).size(), std::size_t(1));

        // Refiring (new startsAt) is a new episode: no ack carried over.
        RemoteAlertBook book2;
        book2.update({p1}, kT0);
        QVERIFY(book2.acknowledge(p1.alert.fingerprint, "alice", "", kT0 + 1).ok());
        auto refired = firing("HighErrorRate", "P1", kT0 + 600'000);
        book2.update({refired}, kT0 + 600'000);
        QVERIFY(!book2.snapshot(kT0 + 600'000).front().ack.has_value());
    }

    // The PromQL the remote backend sends, run on the simulation's own series, gives the
    // numbers the simulation reports itself: one yardstick for both.
    void healthQueriesAgreeWithTheSimulation()
    {
        backends::SimulatedBackendOptions options;
        options.threaded = false;
        options.evaluateRules = false;
        backends::SimulatedBackend sim(options);
        sim.step(15 * 60'000);
        const auto snap = sim.latestSnapshot();
        std::map<std::string, telemetry::promql::Value> results;
        for (const auto &q : healthQueries()) {
            auto value = testing::awaitTask(sim.queryInstant(QString::fromStdString(q.promql), snap->epochMs));
            QVERIFY2(value.ok(), (q.key + ": " + (value.ok() ? "" : value.error())).c_str());
            results.emplace(q.key, *value);
        }
        std::vector<std::string> missing;
        const sim::HealthSnapshot h = healthFromResults(results, snap->inventory.get(), &missing);
        QVERIFY2(missing.empty(), missing.empty() ? "" : missing.front().c_str());
        const sim::HealthSnapshot &truth = snap->health;
        const auto near = [](double a, double b, double rel) { return std::abs(a - b) <= rel * std::max(std::abs(b), 1e-9); };
        QVERIFY2(near(h.requestRatePerMin, truth.requestRatePerMin, 0.10),
                 qPrintable(QStringLiteral("%1 vs %2").arg(h.requestRatePerMin).arg(truth.requestRatePerMin)));
        QVERIFY(std::abs(h.successRate - truth.successRate) < 0.02);
        QVERIFY2(near(h.avgTaskLatencySec, truth.avgTaskLatencySec, 0.25),
                 qPrintable(QStringLiteral("%1 vs %2").arg(h.avgTaskLatencySec).arg(truth.avgTaskLatencySec)));
        QVERIFY(std::abs(h.virtualComputerUtilization - truth.virtualComputerUtilization) < 0.05);
        QVERIFY(std::abs(h.memoryUsageRatio - truth.memoryUsageRatio) < 0.05);
        QVERIFY(h.activeSessions > 0);
        QCOMPARE(h.activeRegion, truth.activeRegion);
        // Every deployment shows up as a service row with Kubernetes' replica counts.
        QVERIFY(!h.services.empty());
        int withTraffic = 0;
        for (const auto &s : h.services)
            withTraffic += s.requestsPerSec > 0;
        QVERIFY(withTraffic > 0);
    }

    void healthWithoutDataSaysWhatIsMissing()
    {
        std::vector<std::string> missing;
        const sim::HealthSnapshot h = healthFromResults({}, nullptr, &missing);
        QCOMPARE(missing.size(), healthQueries().size() - 1); // regionRequests is optional
        QCOMPARE(h.successRate, 1.0);
    }

    void settingsRememberedWithoutSecrets()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("opsdeck.ini")), QSettings::IniFormat);
        RemoteConfigStore store(&settings);
        QVERIFY(!store.last().has_value());
        RemoteConfig prod;
        prod.kubeconfigPath = QStringLiteral("/home/ops/.kube/config");
        prod.context = QStringLiteral("arn:aws:eks:us-east-1:1234:cluster/prod");
        prod.prometheusUrl = QStringLiteral("https://admin:hunter2@prom.example:9090/");
        prod.alertmanagerUrl = QStringLiteral("http://am.example:9093");
        prod.componentMapPath = QStringLiteral("/home/ops/prod-components.yaml");
        store.remember(prod);
        RemoteConfig staging = prod;
        staging.context = QStringLiteral("staging");
        staging.prometheusUrl = QStringLiteral("http://prom-staging:9090");
        store.remember(staging);
        settings.sync();

        QCOMPARE(store.rememberedClusters(), (QStringList{prod.context, QStringLiteral("staging")}));
        QCOMPARE(store.last()->context, QStringLiteral("staging"));
        const auto back = store.recall(prod.context);
        QVERIFY(back.has_value());
        QCOMPARE(back->kubeconfigPath, prod.kubeconfigPath);
        QCOMPARE(back->alertmanagerUrl, prod.alertmanagerUrl);
        QCOMPARE(back->componentMapPath, prod.componentMapPath);
        QCOMPARE(store.recall(QStringLiteral("staging"))->componentMapPath, prod.componentMapPath);
        QVERIFY(!back->prometheusUrl.contains(QStringLiteral("hunter2")));
        QCOMPARE(back->prometheusUrl, QStringLiteral("https://prom.example:9090/"));
        QFile raw(dir.filePath(QStringLiteral("opsdeck.ini")));
        QVERIFY(raw.open(QIODevice::ReadOnly));
        QVERIFY(!raw.readAll().contains("hunter2"));
    }

    void commandLineArguments()
    {
        auto ok = remoteConfigFromArguments({QStringLiteral("--context"), QStringLiteral("prod"),
                                             QStringLiteral("--prometheus=http://127.0.0.1:9090"),
                                             QStringLiteral("--alertmanager"), QStringLiteral("127.0.0.1:9093x"),
                                             QStringLiteral("--json")});
        QVERIFY(!ok.error.isEmpty()); // "127.0.0.1:9093x" is no URL
        ok = remoteConfigFromArguments({QStringLiteral("--context"), QStringLiteral("prod"),
                                        QStringLiteral("--prometheus=http://127.0.0.1:9090"), QStringLiteral("--json")});
        QVERIFY2(ok.error.isEmpty(), qPrintable(ok.error));
        QCOMPARE(ok.config.context, QStringLiteral("prod"));
        QCOMPARE(ok.config.prometheusUrl, QStringLiteral("http://127.0.0.1:9090"));
        QVERIFY(ok.json);
        auto unknown = remoteConfigFromArguments({QStringLiteral("--promethus"), QStringLiteral("x")});
        QVERIFY(unknown.error.contains(QStringLiteral("--promethus")));
        auto noValue = remoteConfigFromArguments({QStringLiteral("--context")});
        QVERIFY(noValue.error.contains(QStringLiteral("needs a value")));
        auto missingFile = remoteConfigFromArguments({QStringLiteral("--kubeconfig"), QStringLiteral("/nonexistent/kc")});
        QVERIFY(missingFile.error.contains(QStringLiteral("/nonexistent/kc: no such file")));
        auto ftp = remoteConfigFromArguments({QStringLiteral("--prometheus"), QStringLiteral("ftp://h:1")});
        QVERIFY(ftp.error.contains(QStringLiteral("http or https")));
        auto noMap = remoteConfigFromArguments({QStringLiteral("--component-map=/nonexistent/map.yaml")});
        QVERIFY2(noMap.error.contains(QStringLiteral("component map /nonexistent/map.yaml: no such file")), qPrintable(noMap.error));
        QTemporaryDir dir;
        QFile map(dir.filePath(QStringLiteral("map.yaml")));
        QVERIFY(map.open(QIODevice::WriteOnly));
        map.write("components:\n  model-server: app=vllm\n");
        map.close();
        auto withMap = remoteConfigFromArguments({QStringLiteral("--component-map"), map.fileName()});
        QVERIFY2(withMap.error.isEmpty(), qPrintable(withMap.error));
        QCOMPARE(withMap.config.componentMapPath, map.fileName());
    }

    void everyComponentUnreachable()
    {
        QTemporaryDir dir;
        RemoteConfig config;
        config.kubeconfigPath = dir.filePath(QStringLiteral("missing-kubeconfig"));
        config.context = QStringLiteral("prod");
        const QString dead = QStringLiteral("http://127.0.0.1:%1").arg(closedPort());
        config.prometheusUrl = dead;
        config.alertmanagerUrl = dead;
        RemoteBackend backend(config);
        QVERIFY(backend.latestSnapshot() != nullptr); // something to show at once
        QCOMPARE(backend.connectionState(), ConnectionState::Connecting);

        QSignalSpy states(&backend, &RemoteBackend::connectionStateChanged);
        auto refresh = backend.refreshNow();
        QCoro::waitFor(refresh);
        for (auto c : {RemoteComponent::Kubernetes, RemoteComponent::Prometheus, RemoteComponent::Alertmanager})
            QCOMPARE(backend.componentStatus(c).state, ConnectionState::Failed);
        QVERIFY2(backend.componentStatus(RemoteComponent::Kubernetes).detail.contains(QStringLiteral("missing-kubeconfig")),
                 qPrintable(backend.componentStatus(RemoteComponent::Kubernetes).detail));
        QVERIFY(backend.componentStatus(RemoteComponent::Prometheus).detail.contains(QStringLiteral("Prometheus")));
        QCOMPARE(backend.connectionState(), ConnectionState::Failed);
        QCOMPARE(states.size(), 1);
        const QString facts = backend.statusFacts().join(QLatin1Char('\n'));
        QVERIFY2(facts.contains(QStringLiteral("Prometheus unreachable, retrying")), qPrintable(facts));
        QVERIFY(facts.contains(QStringLiteral("Alertmanager unreachable, retrying")));
        QVERIFY(!backend.latestSnapshot()->alerts); // no data, not "no alerts"

        // Simulation-only calls are refused with the reason.
        QVERIFY(!backend.injectFault({sim::FaultKind::BadDeploy, {}, {}}).ok());
        QVERIFY(!backend.setPaused(true).ok());
        QVERIFY(!backend.supportsClockControl());
        auto failoverResult = testing::awaitTask(backend.apply({sim::ActionKind::Failover, {}, {}, "alice"}));
        QVERIFY(!failoverResult.ok());
        QVERIFY2(failoverResult.error().find("not available on a real cluster: regional failover") != std::string::npos,
                 failoverResult.error().c_str());
        // A Kubernetes action against a missing kubeconfig names the file.
        auto scaleResult = testing::awaitTask(backend.apply({sim::ActionKind::Scale, "model-server", {{"replicas", "3"}}, "alice"}));
        QVERIFY(!scaleResult.ok());
        QVERIFY(scaleResult.error().find("missing-kubeconfig") != std::string::npos);
        auto queryResult = testing::awaitTask(backend.queryInstant(QStringLiteral("up"), 0));
        QVERIFY(!queryResult.ok());
        QVERIFY(queryResult.error().find("Prometheus query") != std::string::npos);
    }

    void noMonitoringConfigured()
    {
        RemoteConfig config;
        config.kubeconfigPath = QStringLiteral("/nonexistent");
        RemoteBackend backend(config);
        QCOMPARE(backend.componentStatus(RemoteComponent::Prometheus).state, ConnectionState::Disconnected);
        const QString facts = backend.statusFacts().join(QLatin1Char('\n'));
        QVERIFY(facts.contains(QStringLiteral("no Prometheus URL: no metrics")));
        QVERIFY(facts.contains(QStringLiteral("no Alertmanager URL: no alerts")));
        auto result = testing::awaitTask(backend.queryRange(QStringLiteral("up"), 0, 1000, 100));
        QVERIFY(!result.ok());
        QVERIFY(result.error().find("no Prometheus URL") != std::string::npos);
        QVERIFY(!testing::awaitTask(backend.silence({}, 60'000, QStringLiteral("alice"), {})).ok());
        QVERIFY(!testing::awaitTask(backend.acknowledge(1, QStringLiteral("alice"), {})).ok());
    }

    void everyActionIsEitherKubernetesOrExplained()
    {
        int kube = 0;
        for (sim::ActionKind kind : sim::allActions()) {
            const std::string why = RemoteBackend::unavailableOnRealCluster(kind);
            kube += why.empty();
        }
        QCOMPARE(kube, 5); // scale, rollback, set-image, restart, delete-failed-pods
    }
};

QTEST_GUILESS_MAIN(TestRemoteBackend)
#include "tst_remote_backend.moc"
