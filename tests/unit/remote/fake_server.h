#pragma once
// A deliberately misbehaving HTTP/1.1 server on 127.0.0.1 for the remote-client tests.
// Each connection's request head (and Content-Length body) is read, then handed to the
// test's handler with the socket, so the handler can answer well, badly, or not at all.
#include <QByteArray>
#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <QCoro/QCoroTask>
#include <QEventLoop>
#include <QTimer>

#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace opsdeck::testing {

struct FakeRequest {
    QByteArray method, path, head, body;
    QByteArray header(const QByteArray &name) const {
        for (const QByteArray &line : head.split('\n')) {
            const int colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().toLower() == name.toLower())
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
};

class FakeServer : public QObject {
public:
    using Handler = std::function<void(const FakeRequest &, QTcpSocket *)>;

    explicit FakeServer(Handler handler) : m_handler(std::move(handler)) {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                m_sockets.push_back(socket);
                QObject::connect(socket, &QTcpSocket::readyRead, this,
                                 [this, socket] { onData(socket); });
            }
        });
    }
    QByteArray url(const QByteArray &path) const {
        return "http://127.0.0.1:" + QByteArray::number(m_server.serverPort()) + path;
    }
    std::vector<FakeRequest> requests;

    static QByteArray response(int status, const QByteArray &body,
                               const QByteArray &type = "application/json") {
        return "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: " + type +
               "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }
    static QByteArray chunk(const QByteArray &data) {
        return QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n";
    }

private:
    void onData(QTcpSocket *socket) {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        while (true) {
            const int headEnd = buffer.indexOf("\r\n\r\n");
            if (headEnd < 0)
                return;
            FakeRequest request;
            request.head = buffer.left(headEnd);
            const QList<QByteArray> first = request.head.left(request.head.indexOf("\r\n")).split(' ');
            request.method = first.value(0);
            request.path = first.value(1);
            const int length = request.header("Content-Length").toInt();
            if (buffer.size() < headEnd + 4 + length)
                return;
            request.body = buffer.mid(headEnd + 4, length);
            buffer.remove(0, headEnd + 4 + length);
            requests.push_back(request);
            m_handler(request, socket);
        }
    }

    QTcpServer m_server;
    Handler m_handler;
    std::vector<QPointer<QTcpSocket>> m_sockets;
    std::map<QTcpSocket *, QByteArray> m_buffers;
};

// Runs a task to completion on this thread's event loop, with a watchdog.
template <typename T>
T await(QCoro::Task<T> task, int watchdogMs = 30000) {
    std::optional<T> out;
    QEventLoop loop;
    QCoro::connect(std::move(task), &loop, [&](T value) {
        out.emplace(std::move(value));
        loop.quit();
    });
    if (!out) {
        QTimer::singleShot(watchdogMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!out)
        qFatal("task did not finish within the watchdog");
    return std::move(*out);
}

} // namespace opsdeck::testing
