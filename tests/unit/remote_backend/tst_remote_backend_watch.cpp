// RemoteBackend's Kubernetes side runs on KubeClient's list + watch, against the real
// `opsdeck-sim serve` on 127.0.0.1 (paused: its clock moves only when a test advances it):
// a change made by another client reaches the published snapshot without any poll, Events
// are appended once each, the state follows the API server going away and coming back,
// refreshNow() gives a complete picture, and a user who may not list Events still gets
// the inventory. Every wait is bounded polling of observable state.
#include "../remote/fake_server.h"
#include "remote_test_support.h"

#include "backends/remote/kube_client.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace opsdeck;
using namespace opsdeck::remote;
using backends::ConnectionState;
using testing::awaitTask;
using testing::kNs;
using testing::kOrchestrator;

class TestRemoteBackendWatch : public QObject {
    Q_OBJECT
private:
    QString m_binary = testing::simBinary(QStringLiteral(OPSDECK_BINARY_DIR));
    QTemporaryDir m_dir;

    // Polls so rare that only the watch can explain a prompt snapshot.
    RemoteConfig watchOnly(const testing::SimServer &server, const QString &name)
    {
        RemoteConfig config;
        config.kubeconfigPath = server.writeKubeconfig(m_dir, name);
        config.refreshIntervalMs = 600'000;
        return config;
    }

private slots:
    void initTestCase()
    {
        if (!QFile::exists(m_binary))
            QFAIL(qPrintable("opsdeck-sim not built: " + m_binary));
    }

    void aChangeOnTheClusterIsPublishedWithoutAPoll()
    {
        testing::SimServer server;
        QString error;
        QVERIFY2(server.start(m_binary, {"--speed", "0"}, &error), qPrintable(error));
        RemoteBackend backend(watchOnly(server, "watch"));
        backend.start();
        QTRY_VERIFY_WITH_TIMEOUT(testing::kubernetesIs(backend, ConnectionState::Connected), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(testing::replicasIn(backend.latestSnapshot(), kNs, kOrchestrator) > 0, 10000);
        const QString detail = backend.componentStatus(RemoteComponent::Kubernetes).detail;
        QVERIFY2(detail.contains(QStringLiteral("deployments")) && detail.endsWith(QStringLiteral("watching")),
                 qPrintable(detail));
        const int before = testing::replicasIn(backend.latestSnapshot(), kNs, kOrchestrator);

        // Someone else scales (another client, as kubectl would).
        KubeClient other(testing::credentialsFor(server.writeKubeconfig(m_dir, "other")));
        QElapsedTimer clock;
        clock.start();
        auto scaled = awaitTask(other.scale(kNs, kOrchestrator, before + 3));
        QVERIFY2(scaled.ok(), scaled.ok() ? "" : scaled.error().c_str());
        QTRY_VERIFY_WITH_TIMEOUT(testing::replicasIn(backend.latestSnapshot(), kNs, kOrchestrator) == before + 3, 20000);
        qInfo("scale -> published snapshot in %lld ms (no poll: the interval is 10 min)",
              static_cast<long long>(clock.elapsed()));

        // The simulator's controllers react (ReplicaSets, pods, Events): each Kubernetes
        // Event reaches the backend's event list once.
        QVERIFY(testing::advance(server.url(), 120));
        QTRY_VERIFY_WITH_TIMEOUT(awaitTask(backend.events(0))->size() > 0, 20000);
        const auto events = awaitTask(backend.events(0));
        std::set<std::tuple<std::int64_t, std::string, std::string>> seen;
        int kube = 0;
        for (const sim::SimEvent &e : *events) {
            if (e.kind != sim::SimEvent::Kind::Kube)
                continue;
            ++kube;
            QVERIFY2(seen.emplace(e.timeMs, e.title, e.detail).second, ("twice: " + e.title + " " + e.detail).c_str());
        }
        QVERIFY(kube > 0);
        QTRY_VERIFY_WITH_TIMEOUT(backend.latestSnapshot()->eventCount >= events->size(), 5000); // the next snapshot
    }

    void theApiServerGoesAwayAndComesBack()
    {
        testing::SimServer server;
        QString error;
        QVERIFY2(server.start(m_binary, {"--speed", "0"}, &error), qPrintable(error));
        const QString port = server.url().section(QLatin1Char(':'), -1);
        RemoteBackend backend(watchOnly(server, "restart"));
        QSignalSpy states(&backend, &RemoteBackend::componentStatusChanged);
        backend.start();
        QTRY_VERIFY_WITH_TIMEOUT(testing::kubernetesIs(backend, ConnectionState::Connected), 60000);
        const std::size_t deployments = backend.latestSnapshot()->inventory->deployments.size();

        server.stop();
        QTRY_VERIFY_WITH_TIMEOUT(testing::kubernetesIs(backend, ConnectionState::Failed), 30000);
        const QString facts = backend.statusFacts().join(QLatin1Char('\n'));
        // Synced once and retrying by itself: reconnecting, with the watches' error.
        QVERIFY2(facts.contains(QStringLiteral("Kubernetes reconnecting since ")) &&
                     facts.contains(QStringLiteral("the inventory shown may be out of date): ")),
                 qPrintable(facts));
        // What was known stays on screen while it reconnects.
        QCOMPARE(backend.latestSnapshot()->inventory->deployments.size(), deployments);

        QVERIFY2(server.start(m_binary, {"--speed", "0"}, &error, "127.0.0.1:" + port), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(testing::kubernetesIs(backend, ConnectionState::Connected), 60000);
        QVERIFY(states.size() >= 2);
        // The watch is live again: a change after the restart shows up.
        KubeClient other(testing::credentialsFor(server.writeKubeconfig(m_dir, "other-after-restart")));
        auto scaled = awaitTask(other.scale(kNs, kOrchestrator, 17));
        QVERIFY2(scaled.ok(), scaled.ok() ? "" : scaled.error().c_str());
        QTRY_VERIFY_WITH_TIMEOUT(testing::replicasIn(backend.latestSnapshot(), kNs, kOrchestrator) == 17, 30000);
    }

    void refreshNowWaitsForACompleteInventory()
    {
        testing::SimServer server;
        QString error;
        QVERIFY2(server.start(m_binary, {"--speed", "0"}, &error), qPrintable(error));
        RemoteBackend backend(watchOnly(server, "refresh"));
        auto refresh = backend.refreshNow(); // not started: refreshNow alone must do
        QCoro::waitFor(refresh);
        QVERIFY(testing::kubernetesIs(backend, ConnectionState::Connected));
        QVERIFY(testing::replicasIn(backend.latestSnapshot(), kNs, kOrchestrator) > 0);
        QVERIFY(!backend.latestSnapshot()->inventory->pods.empty());
        auto inventory = awaitTask(backend.inventory());
        QVERIFY2(inventory.ok(), inventory.ok() ? "" : inventory.error().c_str());
        QCOMPARE(inventory->deployments.size(), backend.latestSnapshot()->inventory->deployments.size());
        // Service rows from the inventory alone (no Prometheus here): replicas per component.
        const auto &services = backend.latestSnapshot()->health.services;
        QVERIFY(std::any_of(services.begin(), services.end(), [](const sim::ServiceStatus &s) {
            return s.component == kOrchestrator && s.desired > 0;
        }));
    }

    void eventsTheUserMayNotListLeaveTheInventoryComplete()
    {
        testing::FakeServer server([](const testing::FakeRequest &request, QTcpSocket *socket) {
            if (request.path.contains("watch=true")) { // stays open, says nothing
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
                return;
            }
            if (request.path.startsWith("/api/v1/events"))
                socket->write(testing::FakeServer::response(
                    403, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"events is forbidden: "
                         "User \\\"vic\\\" cannot list resource \\\"events\\\"\",\"reason\":\"Forbidden\",\"code\":403}"));
            else
                socket->write(testing::FakeServer::response(200, "{\"metadata\":{\"resourceVersion\":\"5\"},\"items\":[]}"));
        });
        const QString kubeconfig = m_dir.filePath(QStringLiteral("fake"));
        QFile file(kubeconfig);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: " + server.url("") +
                   "\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\nusers:\n- name: u\n  user: {}\n");
        file.close();
        RemoteConfig config;
        config.kubeconfigPath = kubeconfig;
        RemoteBackend backend(config);
        auto refresh = backend.refreshNow();
        QCoro::waitFor(refresh);
        QVERIFY2(testing::kubernetesIs(backend, ConnectionState::Connected),
                 qPrintable(backend.statusFacts().join(QStringLiteral("; "))));
        const QString detail = backend.componentStatus(RemoteComponent::Kubernetes).detail;
        QVERIFY2(detail.contains(QStringLiteral("Events not readable")) && detail.contains(QStringLiteral("HTTP 403")),
                 qPrintable(detail));
        // Listed once, not retried in a loop.
        int eventLists = 0;
        for (const auto &r : server.requests)
            eventLists += r.path.startsWith("/api/v1/events");
        QCOMPARE(eventLists, 1);
    }
};

QTEST_GUILESS_MAIN(TestRemoteBackendWatch)
#include "tst_remote_backend_watch.moc"
