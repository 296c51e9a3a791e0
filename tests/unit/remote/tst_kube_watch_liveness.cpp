// KubeClient notices a watch that has gone silent with its connection still open (a hung
// API server, a dead NAT entry, a buffering proxy): against a real socket server on
// 127.0.0.1 that lists normally and then hangs its watches, each watch is reported within
// its liveness window, watched again from its last resourceVersion without a re-list, and
// counts as failing until an event or bookmark arrives - then healthy, and left alone
// while bookmarks keep coming. Windows are short here; waits are on signals and state.
#include "hanging_kube_server.h"
#include "kube_credentials_for.h"

#include "backends/remote/kube_client.h"

#include <QSignalSpy>
#include <QTest>
#include <QUrl>
#include <QUrlQuery>

#include <map>

using namespace opsdeck::remote;
using opsdeck::testing::credentialsFor;
using opsdeck::testing::HangingKubeServer;

namespace {
constexpr std::chrono::milliseconds kWindow{400};

KubeClient::Options shortWindow()
{
    KubeClient::Options options;
    options.watchLiveness = kWindow;
    options.watchEvents = false; // no plain-JSON Event list was recorded
    return options;
}

// The first message about one kind's watch, and when (server clock) it came.
struct Reported {
    QString message;
    qint64 atMs = -1;
};
} // namespace

class TestKubeWatchLiveness : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void theDefaultWindowSparesAQuietHealthyServer()
    {
        // Two bookmark intervals: a real apiserver and `opsdeck-sim serve` both send one
        // every 60 s on a quiet watch, so a healthy server is never taken for dead.
        QCOMPARE(KubeClient::Options{}.watchLiveness, std::chrono::milliseconds(120'000));
        QCOMPARE(KubeClient::Options{}.watchLiveness, 2 * kBookmarkInterval);
    }

    void aSilentWatchIsReportedAndResumedUntilDataFlows()
    {
        HangingKubeServer server;
        KubeClient client(credentialsFor(server.writeKubeconfig(m_dir, "hang")), shortWindow());
        std::map<std::string, Reported> firstReport;
        connect(&client, &KubeClient::streamError, this, [&](const QString &message) {
            const std::string kind = message.section(QLatin1Char(':'), 0, 0).toStdString();
            if (!firstReport.count(kind))
                firstReport[kind] = {message, server.nowMs()};
        });
        client.start();
        QTRY_VERIFY_WITH_TIMEOUT(client.synced(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(client.watchEventsApplied(), std::uint64_t(1), 10000); // the recorded event

        // Watches ask for bookmarks and a server-side end after 5-10 min, as client-go's do.
        const auto first = server.requestsFor(HangingKubeServer::kDeployments, true).front();
        QVERIFY2(first.path.contains("allowWatchBookmarks=true"), first.path.constData());
        const int timeoutSeconds = QUrlQuery(QUrl(QString::fromLatin1(first.path)))
                                       .queryItemValue(QStringLiteral("timeoutSeconds")).toInt();
        QVERIFY2(timeoutSeconds >= 300 && timeoutSeconds < 600, first.path.constData());

        // Every watch is reported: the one that sent an event and went quiet, those that
        // sent only headers, and the one that never even answered.
        for (const char *kind : {"watch deployments", "watch replicasets", "watch nodes", "watch pods"})
            QTRY_VERIFY2_WITH_TIMEOUT(firstReport.count(kind), kind, 10000);
        QVERIFY(client.failing());
        QVERIFY(!client.healthy());
        const QString port = QString::fromLatin1(server.url()).section(QLatin1Char(':'), -1);
        QCOMPARE(firstReport["watch pods"].message,
                 "watch pods: no data from http://127.0.0.1:" + port + "/api/v1/pods for 0.4 s; reconnecting");
        // Within the window of the last data (here the recorded event), not later.
        const qint64 silentMs = firstReport["watch deployments"].atMs - server.eventWrittenAtMs();
        qInfo("deployments watch reported %lld ms after its last event (window %lld ms)",
              static_cast<long long>(silentMs), static_cast<long long>(kWindow.count()));
        QVERIFY2(silentMs >= kWindow.count() && silentMs < kWindow.count() + 2000, qPrintable(QString::number(silentMs)));

        // Watched again at once, from where each watch was: nothing lost, no re-list.
        QTRY_VERIFY_WITH_TIMEOUT(server.requestsFor(HangingKubeServer::kDeployments, true).size() >= 2, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(server.requestsFor(HangingKubeServer::kPods, true).size() >= 2, 10000);
        const QByteArray resumed = server.requestsFor(HangingKubeServer::kDeployments, true)[1].path;
        QVERIFY2(resumed.contains(QByteArray("resourceVersion=") + HangingKubeServer::kEventResourceVersion),
                 resumed.constData());
        const QByteArray resumedPods = server.requestsFor(HangingKubeServer::kPods, true)[1].path;
        QVERIFY2(resumedPods.contains(QByteArray("resourceVersion=") + HangingKubeServer::kPodListResourceVersion),
                 resumedPods.constData());
        QCOMPARE(server.requestsFor(HangingKubeServer::kDeployments, false).size(), std::size_t(1));
        QCOMPARE(client.relists(), std::uint64_t(0));

        // The new watches (all of them) get their headers and hang again: headers alone are
        // no proof that the stream flows, so the client stays failing through a whole
        // window more.
        bool healthyWhileHanging = false;
        auto probe = connect(&client, &KubeClient::stateChanged, this, [&] { healthyWhileHanging |= client.healthy(); });
        QTRY_VERIFY_WITH_TIMEOUT(server.requestsFor(HangingKubeServer::kPods, true).size() >= 3, 10000);
        disconnect(probe);
        QVERIFY(!healthyWhileHanging);
        QVERIFY(client.failing());

        // The server answers again (bookmarks, as a live quiet apiserver): healthy.
        QSignalSpy states(&client, &KubeClient::stateChanged);
        server.answer(kWindow / 4);
        QTRY_VERIFY_WITH_TIMEOUT(client.healthy(), 10000);
        QVERIFY(client.failingKinds().empty());
        QVERIFY(!states.isEmpty());

        // ... and bookmarks more often than the window keep every watch: nothing is
        // reported or re-watched over several windows.
        QSignalSpy errors(&client, &KubeClient::streamError);
        const std::size_t watches = server.requestsFor("/", true).size();
        QVERIFY(!errors.wait(int(4 * kWindow.count())));
        QCOMPARE(server.requestsFor("/", true).size(), watches);
        QVERIFY(client.healthy());
    }

    void aZeroWindowNeverCancels()
    {
        HangingKubeServer server;
        KubeClient::Options options = shortWindow();
        options.watchLiveness = std::chrono::milliseconds(0);
        KubeClient client(credentialsFor(server.writeKubeconfig(m_dir, "off")), options);
        QSignalSpy errors(&client, &KubeClient::streamError);
        client.start();
        QTRY_VERIFY_WITH_TIMEOUT(client.synced(), 10000);
        QVERIFY(!errors.wait(int(3 * kWindow.count())));
        QVERIFY(client.healthy());
        QCOMPARE(server.requestsFor(HangingKubeServer::kPods, true).size(), std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestKubeWatchLiveness)
#include "tst_kube_watch_liveness.moc"
