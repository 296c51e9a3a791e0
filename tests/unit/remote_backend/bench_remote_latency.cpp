// bench-remote-latency: how fast the console sees a change made on the cluster, and what
// it costs the API server while nothing happens. Uses only RemoteBackend's public API, so
// the same source measures any implementation (the 5 s poll and the list + watch one).
//
//   bench-remote-latency [--sim PATH] [--runs 10] [--idle-seconds 60] [--kubectl kubectl]
//
// 1. idle: RemoteBackend attached (Kubernetes only) to a paused `opsdeck-sim serve`;
//    every HTTP request it sends passes a counting proxy on 127.0.0.1; requests per
//    minute over --idle-seconds.
// 2. latency: `kubectl scale deployment/agent-orchestrator --replicas=N` against the
//    server (directly, not through the proxy), then the wall time until RemoteBackend
//    publishes a snapshot whose inventory shows N replicas. The pause between runs varies
//    (0.3 .. 5 s in steps of 1.7 s) so that runs fall at different phases of any poll.
#include "../remote/sim_server.h"
#include "backends/remote/remote_backend.h"
#include "remote_test_support.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QUrl>

#include <algorithm>
#include <cstdio>
#include <map>

using namespace opsdeck;
using namespace opsdeck::remote;

namespace {

// Forwards 127.0.0.1 connections to the server and counts the HTTP/1.1 requests that
// pass (a request line at the start of a message; bodies here are one-line JSON).
class CountingProxy : public QObject {
public:
    CountingProxy(QString host, quint16 port) : m_host(std::move(host)), m_port(port) {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *client = m_server.nextPendingConnection())
                pipe(client);
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    int requests = 0;
    std::map<QByteArray, int> byKind; // "GET list", "GET watch", "PATCH", ...

private:
    void pipe(QTcpSocket *client) {
        auto *upstream = new QTcpSocket(client);
        upstream->connectToHost(m_host, m_port);
        auto pending = std::make_shared<QByteArray>();
        connect(upstream, &QTcpSocket::connected, client, [upstream, pending] {
            upstream->write(*pending);
            pending->clear();
        });
        connect(client, &QTcpSocket::readyRead, client, [this, client, upstream, pending] {
            const QByteArray data = client->readAll();
            count(data);
            if (upstream->state() == QAbstractSocket::ConnectedState)
                upstream->write(data);
            else
                *pending += data;
        });
        connect(upstream, &QTcpSocket::readyRead, client, [client, upstream] { client->write(upstream->readAll()); });
        connect(upstream, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
        connect(client, &QTcpSocket::disconnected, client, [client, upstream] {
            upstream->disconnectFromHost();
            client->deleteLater();
        });
    }
    void count(const QByteArray &data) {
        for (const char *method : {"GET ", "POST ", "PUT ", "PATCH ", "DELETE "}) {
            for (qsizetype at = data.indexOf(method); at >= 0; at = data.indexOf(method, at + 1)) {
                if (at != 0 && !(at >= 2 && data[at - 1] == '\n' && data[at - 2] == '\r'))
                    continue;
                ++requests;
                const qsizetype end = data.indexOf(' ', at + qsizetype(strlen(method)));
                const QByteArray path = data.mid(at, end - at);
                QByteArray kind = QByteArray(method).trimmed();
                if (kind == "GET")
                    kind += path.contains("watch=true") ? " watch" : " list/get";
                ++byKind[kind];
            }
        }
    }

    QString m_host;
    quint16 m_port;
    QTcpServer m_server;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

void spin(int ms) {
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
}

using testing::replicasIn; // the RemoteBackend tests' own lookup

} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription("RemoteBackend: change-to-snapshot latency and idle API requests");
    parser.addHelpOption();
    parser.addOption({"sim", "opsdeck-sim binary", "PATH", opsdeck::testing::simBinary(OPSDECK_BINARY_DIR)});
    parser.addOption({"runs", "scale operations to time", "N", "10"});
    parser.addOption({"idle-seconds", "wall seconds of idle counting", "S", "60"});
    parser.addOption({"kubectl", "kubectl binary", "PATH", "kubectl"});
    parser.process(app);

    opsdeck::testing::SimServer server;
    QString error;
    if (!server.start(parser.value("sim"), {"--speed", "0"}, &error)) {
        std::fprintf(stderr, "bench-remote-latency: %s\n", qPrintable(error));
        return 1;
    }
    const QUrl url(server.url());
    CountingProxy proxy(url.host(), quint16(url.port()));
    QTemporaryDir dir;
    const QString direct = server.writeKubeconfig(dir, "direct");
    const QString viaProxy = dir.filePath("proxied");
    {
        QFile in(direct), out(viaProxy);
        in.open(QIODevice::ReadOnly);
        out.open(QIODevice::WriteOnly);
        out.write(in.readAll().replace(server.url().toUtf8(),
                                       "http://127.0.0.1:" + QByteArray::number(proxy.port())));
    }

    RemoteConfig config;
    config.kubeconfigPath = viaProxy;
    RemoteBackend backend(config);
    const std::string ns = "chatgpt-agent", name = "agent-orchestrator";
    QElapsedTimer attach;
    attach.start();
    backend.start();
    while (replicasIn(backend.latestSnapshot(), ns, name) < 0 && attach.elapsed() < 120000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    if (replicasIn(backend.latestSnapshot(), ns, name) < 0) {
        std::fprintf(stderr, "bench-remote-latency: no inventory after 120 s: %s\n",
                     qPrintable(backend.statusFacts().join("; ")));
        return 1;
    }
    std::printf("attached in %lld ms (%d requests so far)\n", static_cast<long long>(attach.elapsed()), proxy.requests);
    spin(2000); // let the start settle

    // 1. Idle cost.
    const int idleSeconds = std::max(5, parser.value("idle-seconds").toInt());
    proxy.requests = 0;
    proxy.byKind.clear();
    spin(idleSeconds * 1000);
    std::printf("idle: %d requests in %d s = %.1f requests/min (", proxy.requests, idleSeconds,
                proxy.requests * 60.0 / idleSeconds);
    for (const auto &[kind, n] : proxy.byKind)
        std::printf(" %s: %d", kind.constData(), n);
    std::printf(" )\n");
    std::fflush(stdout);

    // 2. Latency of a change.
    std::vector<double> afterExit, afterStart;
    const int runs = std::max(1, parser.value("runs").toInt());
    int replicas = replicasIn(backend.latestSnapshot(), ns, name);
    for (int run = 0; run < runs; ++run) {
        replicas = replicas >= 40 ? 5 : replicas + 3;
        QProcess kubectl;
        QElapsedTimer clock;
        clock.start();
        kubectl.start(parser.value("kubectl"), {"--kubeconfig", direct, "scale", "deployment/" + QString::fromStdString(name),
                                                "-n", QString::fromStdString(ns),
                                                "--replicas=" + QString::number(replicas)});
        if (!kubectl.waitForFinished(60000) || kubectl.exitCode() != 0) {
            std::fprintf(stderr, "bench-remote-latency: kubectl failed: %s\n", kubectl.readAllStandardError().constData());
            return 1;
        }
        const double exitedMs = clock.nsecsElapsed() / 1e6;
        while (replicasIn(backend.latestSnapshot(), ns, name) != replicas && clock.elapsed() < 60000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
        const double seenMs = clock.nsecsElapsed() / 1e6;
        if (replicasIn(backend.latestSnapshot(), ns, name) != replicas) {
            std::fprintf(stderr, "bench-remote-latency: the snapshot never showed %d replicas\n", replicas);
            return 1;
        }
        afterExit.push_back(seenMs - exitedMs);
        afterStart.push_back(seenMs);
        std::printf("run %2d: kubectl took %4.0f ms, snapshot showed %d replicas %5.0f ms after it returned\n",
                    run + 1, exitedMs, replicas, seenMs - exitedMs);
        std::fflush(stdout);
        spin(300 + (run * 1700) % 4700);
    }
    std::printf("change -> snapshot after kubectl returned: median %.0f ms, p90 %.0f ms, max %.0f ms "
                "(from kubectl start: median %.0f ms)\n",
                percentile(afterExit, 0.5), percentile(afterExit, 0.9), percentile(afterExit, 1.0),
                percentile(afterStart, 0.5));
    return 0;
}
