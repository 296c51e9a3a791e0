#pragma once
// A Kubernetes API server on 127.0.0.1 whose watches hang: lists are answered with bodies
// recorded from real kubectl traffic (samples/), every watch gets its headers - the first
// deployments watch also one recorded event - and then nothing more, the connection left
// open: what a hung apiserver, a dead NAT entry or a buffering proxy looks like from the
// client. The first pods watch does not even get its headers. After answer() it is a live,
// quiet server: every open watch and every new one gets a BOOKMARK at once and then one
// every `bookmarkEvery`, as a real apiserver sends them (about once a minute).
#include "fake_server.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <chrono>

namespace opsdeck::testing {

class HangingKubeServer : public QObject {
public:
    // The collections a KubeClient watches, in the order it starts them.
    static constexpr const char *kDeployments = "/apis/apps/v1/deployments";
    static constexpr const char *kPods = "/api/v1/pods";
    // The recorded deployments watch event (c07, a MODIFIED agent-orchestrator) and its
    // resourceVersion, which the next deployments watch must resume from.
    static constexpr const char *kEventResourceVersion = "1060";
    // The recorded pod list's resourceVersion: the pods watch resumes from it.
    static constexpr const char *kPodListResourceVersion = "1086";

    HangingKubeServer()
        : m_server([this](const FakeRequest &request, QTcpSocket *socket) { handle(request, socket); })
    {
        m_clock.start();
        QObject::connect(&m_bookmarkTimer, &QTimer::timeout, this, [this] { bookmarkAll(); });
    }

    QByteArray url() const { return m_server.url(""); }

    QString writeKubeconfig(const QTemporaryDir &dir, const QString &name) const
    {
        const QString path = dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        file.write("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: " + url() +
                   "\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n"
                   "users:\n- name: u\n  user: {}\n");
        return path;
    }

    // Watch (or list) requests for one collection so far, oldest first.
    std::vector<FakeRequest> requestsFor(const char *collection, bool watches) const
    {
        std::vector<FakeRequest> out;
        for (const FakeRequest &r : m_server.requests)
            if (r.path.startsWith(collection) && r.path.contains("watch=true") == watches)
                out.push_back(r);
        return out;
    }
    // Wall ms (on this server's clock) when the recorded event was written, -1 before.
    qint64 eventWrittenAtMs() const { return m_eventWrittenAtMs; }
    qint64 nowMs() const { return m_clock.elapsed(); }

    void answer(std::chrono::milliseconds bookmarkEvery)
    {
        m_answering = true;
        bookmarkAll();
        m_bookmarkTimer.start(bookmarkEvery);
    }

private:
    static QByteArray sample(const char *name)
    {
        QFile file(QStringLiteral(OPSDECK_SOURCE_DIR "/tests/unit/remote/samples/") + QLatin1String(name));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("missing sample %s", name);
        return file.readAll();
    }

    void handle(const FakeRequest &request, QTcpSocket *socket)
    {
        if (!request.path.contains("watch=true")) {
            socket->write(FakeServer::response(200, listBody(request.path)));
            return;
        }
        if (!m_answering && request.path.startsWith(kPods) && !m_ignoredAWatch) {
            m_ignoredAWatch = true;
            return; // accepted, never answered
        }
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        if (m_answering) {
            m_live.push_back(socket);
            socket->write(FakeServer::chunk(bookmark()));
            return;
        }
        m_hanging.push_back(socket);
        if (request.path.startsWith(kDeployments) && m_eventWrittenAtMs < 0) {
            const QByteArray events = sample("c07-rollout-status-watchstream.jsonl");
            socket->write(FakeServer::chunk(events.left(events.indexOf('\n') + 1)));
            socket->flush();
            m_eventWrittenAtMs = m_clock.elapsed();
        }
    }

    static QByteArray listBody(const QByteArray &path)
    {
        if (path.startsWith(kDeployments))
            return sample("plainjson-fallback-deploymentlist.json");
        if (path.startsWith("/apis/apps/v1/replicasets"))
            return sample("c05-replicasetlist.json");
        if (path.startsWith(kPods))
            return sample("c09-podlist-failed.json");
        // No plain-JSON node or event list was recorded (kubectl asked for Tables): empty ones.
        return "{\"kind\":\"List\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1086\"},\"items\":[]}";
    }

    QByteArray bookmark()
    {
        return "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"" +
               QByteArray::number(2000 + ++m_bookmarks) + "\"}}}\n";
    }

    // A stuck proxy flushing, or the server back: the hanging watches come alive too.
    void bookmarkAll()
    {
        for (auto *list : {&m_hanging, &m_live}) {
            for (const QPointer<QTcpSocket> &socket : *list)
                if (socket && socket->state() == QAbstractSocket::ConnectedState)
                    socket->write(FakeServer::chunk(bookmark()));
        }
        m_live.insert(m_live.end(), m_hanging.begin(), m_hanging.end());
        m_hanging.clear();
    }

    FakeServer m_server;
    QElapsedTimer m_clock;
    QTimer m_bookmarkTimer;
    bool m_answering = false;
    bool m_ignoredAWatch = false;
    qint64 m_eventWrittenAtMs = -1;
    int m_bookmarks = 0;
    std::vector<QPointer<QTcpSocket>> m_hanging, m_live;
};

} // namespace opsdeck::testing
