// What the console shows when the API server stops sending without closing its watches:
// RemoteBackend, on a KubeClient with a short liveness window, against a socket server on
// 127.0.0.1 that lists normally and then hangs every watch. Connected after the lists;
// then "Kubernetes reconnecting" with the watch's message, the last inventory kept on
// screen; connected again once the server sends (bookmarks). Waits are on state only.
#include "../remote/hanging_kube_server.h"

#include "backends/remote/remote_backend.h"

#include <QTest>

#include <algorithm>

using namespace opsdeck;
using namespace opsdeck::remote;
using backends::ConnectionState;
using testing::HangingKubeServer;

namespace {
constexpr std::chrono::milliseconds kWindow{400};

ConnectionState kubernetes(const RemoteBackend &backend)
{
    return backend.componentStatus(RemoteComponent::Kubernetes).state;
}
} // namespace

class TestRemoteBackendLiveness : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void aHungWatchShowsReconnectingUntilDataFlowsAgain()
    {
        HangingKubeServer server;
        RemoteConfig config;
        config.kubeconfigPath = server.writeKubeconfig(m_dir, "hang");
        config.refreshIntervalMs = 600'000; // no poll explains anything below
        RemoteTiming timing;
        timing.watchLiveness = kWindow;
        RemoteBackend backend(config, timing);
        // Every state the Kubernetes component passes through, in order (no repeats).
        std::vector<ConnectionState> states;
        connect(&backend, &RemoteBackend::componentStatusChanged, this, [&](RemoteComponent c) {
            if (c == RemoteComponent::Kubernetes && (states.empty() || states.back() != kubernetes(backend)))
                states.push_back(kubernetes(backend));
        });
        backend.start();

        QTRY_VERIFY_WITH_TIMEOUT(kubernetes(backend) == ConnectionState::Failed, 10000);
        QVERIFY(std::find(states.begin(), states.end(), ConnectionState::Connected) != states.end());
        const QString detail = backend.componentStatus(RemoteComponent::Kubernetes).detail;
        QVERIFY2(detail.startsWith(QStringLiteral("watch ")) && detail.contains(QStringLiteral(": no data from http://127.0.0.1:"))
                     && detail.endsWith(QStringLiteral("for 0.4 s; reconnecting")),
                 qPrintable(detail));
        QString facts = backend.statusFacts().join(QLatin1Char('\n'));
        qInfo("while hung: %s", qPrintable(backend.statusFacts().join(QStringLiteral(" | "))));
        QVERIFY2(facts.contains(QStringLiteral("Kubernetes reconnecting since ")) &&
                     facts.contains(QStringLiteral("the inventory shown may be out of date): ") + detail),
                 qPrintable(facts));
        // What was listed stays on screen while it reconnects.
        QCOMPARE(backend.latestSnapshot()->inventory->deployments.size(), std::size_t(2));

        server.answer(kWindow / 4);
        QTRY_VERIFY_WITH_TIMEOUT(kubernetes(backend) == ConnectionState::Connected, 10000);
        facts = backend.statusFacts().join(QLatin1Char('\n'));
        QVERIFY2(facts.contains(QStringLiteral("Kubernetes connected (2 deployments, 2 pods, 0 nodes; watching)")),
                 qPrintable(facts));
        QVERIFY(states.size() >= 3);
        QCOMPARE(states.back(), ConnectionState::Connected);
        QCOMPARE(states[states.size() - 2], ConnectionState::Failed);
    }
};

QTEST_GUILESS_MAIN(TestRemoteBackendLiveness)
#include "tst_remote_backend_liveness.moc"
