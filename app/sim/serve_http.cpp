#include "serve_http.h"

#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>

#include <algorithm>
#include <cctype>

namespace opsdeck::cli {

namespace {

constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
constexpr std::size_t kMaxBodyBytes = 16 * 1024 * 1024;

const char *reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    default: return "Status";
    }
}

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trim(const std::string &s)
{
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::string chunk(const std::string &data)
{
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    return size + data + "\r\n";
}

// Accepts connections as QSslSockets and starts the server side of the TLS handshake;
// readyRead() then delivers decrypted bytes, so the HTTP code is the same for both.
class TlsTcpServer : public QTcpServer {
public:
    TlsTcpServer(const QSslConfiguration &tls, QObject *parent) : QTcpServer(parent), m_tls(tls) {}

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QSslSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        socket->setSslConfiguration(m_tls);
        // A client that fails the handshake (wrong CA, plain HTTP) is simply dropped.
        QObject::connect(socket, &QSslSocket::errorOccurred, socket, [socket] { socket->abort(); });
        QObject::connect(socket, &QSslSocket::sslErrors, socket, [socket] { socket->abort(); });
        socket->startServerEncryption();
        addPendingConnection(socket);
    }

private:
    QSslConfiguration m_tls;
};

} // namespace

std::string HttpRequest::header(const std::string &lowerName) const
{
    const auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
}

struct HttpServer::Connection {
    QTcpSocket *socket = nullptr;
    std::string buffer;
    std::shared_ptr<HttpStream> stream; // an open watch: no more requests on this connection
    bool closeAfterWrite = false;
};

HttpServer::HttpServer(Handler handler, const QSslConfiguration *tls, QObject *parent)
    : QObject(parent), m_handler(std::move(handler))
{
    m_server = tls ? new TlsTcpServer(*tls, this) : new QTcpServer(this);
    QObject::connect(m_server, &QTcpServer::newConnection, this, [this] { onNewConnection(); });
}

HttpServer::~HttpServer() = default;

bool HttpServer::listen(const QHostAddress &address, quint16 port, std::string *error)
{
    if (m_server->listen(address, port))
        return true;
    if (error)
        *error = m_server->errorString().toStdString();
    return false;
}

quint16 HttpServer::port() const { return m_server->serverPort(); }

int HttpServer::openStreams() const
{
    int n = 0;
    for (const auto &[socket, connection] : m_connections)
        n += connection->stream ? 1 : 0;
    return n;
}

std::string HttpServer::percentDecode(const std::string &text, bool plusIsSpace)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+' && plusIsSpace) {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() + 0 && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

bool HttpServer::parseTarget(const std::string &target, std::string &path, std::map<std::string, std::string> &query)
{
    if (target.empty() || target[0] != '/')
        return false;
    const std::size_t q = target.find('?');
    path = percentDecode(target.substr(0, q), false);
    if (q == std::string::npos)
        return true;
    // Go's url.Values.Encode writes a space as '+' (labelSelector=tier+notin+%28db%29).
    const std::string rawQuery = target.substr(q + 1);
    std::size_t pos = 0;
    while (pos <= rawQuery.size()) {
        const std::size_t amp = rawQuery.find('&', pos);
        const std::string pair = rawQuery.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
        if (!pair.empty()) {
            const std::size_t eq = pair.find('=');
            const std::string key = percentDecode(pair.substr(0, eq), true);
            query[key] = eq == std::string::npos ? std::string() : percentDecode(pair.substr(eq + 1), true);
        }
        if (amp == std::string::npos)
            break;
        pos = amp + 1;
    }
    return true;
}

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        auto connection = std::make_unique<Connection>();
        connection->socket = socket;
        Connection *raw = connection.get();
        m_connections[socket] = std::move(connection);
        QObject::connect(socket, &QTcpSocket::readyRead, this, [this, raw] { onReadyRead(raw); });
        QObject::connect(socket, &QTcpSocket::disconnected, this, [this, raw] { closeConnection(raw); });
    }
}

void HttpServer::closeConnection(Connection *connection)
{
    QTcpSocket *socket = connection->socket;
    const auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    socket->disconnect(this);
    socket->deleteLater();
    // Erase later: this may run inside onReadyRead()/respond() for this very connection
    // (disconnectFromHost() can emit disconnected() synchronously).
    std::shared_ptr<Connection> doomed(std::move(it->second));
    m_connections.erase(it);
    QMetaObject::invokeMethod(this, [doomed] {}, Qt::QueuedConnection);
}

void HttpServer::onReadyRead(Connection *connection)
{
    const QByteArray data = connection->socket->readAll();
    if (connection->stream)
        return; // a watching client sends nothing more; ignore stray bytes
    connection->buffer.append(data.constData(), static_cast<std::size_t>(data.size()));
    auto fail = [&](int status, const std::string &message) {
        HttpResponse r;
        r.status = status;
        r.contentType = "text/plain; charset=utf-8";
        r.body = message + "\n";
        connection->closeAfterWrite = true;
        respond(connection, HttpRequest{}, r);
    };
    while (!connection->stream && !connection->closeAfterWrite) {
        const std::size_t headerEnd = connection->buffer.find("\r\n\r\n");
        if (headerEnd == std::string::npos) {
            if (connection->buffer.size() > kMaxHeaderBytes)
                fail(400, "request headers exceed 64 KiB");
            return;
        }
        HttpRequest request;
        std::size_t lineEnd = connection->buffer.find("\r\n");
        const std::string requestLine = connection->buffer.substr(0, lineEnd);
        const std::size_t sp1 = requestLine.find(' '), sp2 = requestLine.rfind(' ');
        if (sp1 == std::string::npos || sp2 == sp1 || requestLine.compare(sp2 + 1, 5, "HTTP/") != 0)
            return fail(400, "malformed request line: \"" + requestLine.substr(0, 200) + "\"");
        request.method = requestLine.substr(0, sp1);
        request.target = requestLine.substr(sp1 + 1, sp2 - sp1 - 1);
        const bool http10 = requestLine.compare(sp2 + 1, 8, "HTTP/1.0") == 0;
        std::size_t pos = lineEnd + 2;
        while (pos < headerEnd) {
            const std::size_t end = connection->buffer.find("\r\n", pos);
            const std::string line = connection->buffer.substr(pos, end - pos);
            const std::size_t colon = line.find(':');
            if (colon == std::string::npos)
                return fail(400, "malformed header line: \"" + line.substr(0, 200) + "\"");
            request.headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
            pos = end + 2;
        }
        std::size_t consumed = headerEnd + 4;
        if (lower(request.header("transfer-encoding")).find("chunked") != std::string::npos) {
            // Chunked request body: collect every chunk up to the terminating 0-size one.
            std::size_t p = consumed;
            std::string body;
            bool complete = false;
            while (true) {
                const std::size_t le = connection->buffer.find("\r\n", p);
                if (le == std::string::npos)
                    break;
                const std::size_t size = std::strtoul(connection->buffer.substr(p, le - p).c_str(), nullptr, 16);
                if (size == 0) {
                    if (connection->buffer.size() >= le + 4) {
                        consumed = le + 4;
                        complete = true;
                    }
                    break;
                }
                if (connection->buffer.size() < le + 2 + size + 2)
                    break;
                body.append(connection->buffer, le + 2, size);
                p = le + 2 + size + 2;
                if (body.size() > kMaxBodyBytes)
                    return fail(413, "request body exceeds 16 MiB");
            }
            if (!complete)
                return;
            request.body = std::move(body);
        } else {
            const std::string lengthText = request.header("content-length");
            const std::size_t length = lengthText.empty() ? 0 : std::strtoull(lengthText.c_str(), nullptr, 10);
            if (length > kMaxBodyBytes)
                return fail(413, "request body exceeds 16 MiB");
            if (connection->buffer.size() < consumed + length)
                return;
            request.body = connection->buffer.substr(consumed, length);
            consumed += length;
        }
        connection->buffer.erase(0, consumed);
        if (!parseTarget(request.target, request.path, request.query))
            return fail(400, "malformed request target: \"" + request.target.substr(0, 200) + "\"");
        if (http10 || lower(request.header("connection")) == "close")
            connection->closeAfterWrite = true;
        const HttpResponse response = m_handler(request);
        respond(connection, request, response);
    }
}

void HttpServer::respond(Connection *connection, const HttpRequest &request, const HttpResponse &response)
{
    std::string head = "HTTP/1.1 " + std::to_string(response.status) + " " + reasonPhrase(response.status) + "\r\n";
    head += "Content-Type: " + response.contentType + "\r\n";
    head += "Cache-Control: no-cache, private\r\n";
    if (response.stream) {
        head += "Transfer-Encoding: chunked\r\n\r\n";
        connection->stream = response.stream;
        connection->socket->write(head.data(), static_cast<qint64>(head.size()));
        const std::string first = response.stream->poll();
        if (!first.empty()) {
            const std::string c = chunk(first);
            connection->socket->write(c.data(), static_cast<qint64>(c.size()));
        }
        return;
    }
    const bool isHead = request.method == "HEAD";
    head += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    if (connection->closeAfterWrite)
        head += "Connection: close\r\n";
    head += "\r\n";
    connection->socket->write(head.data(), static_cast<qint64>(head.size()));
    if (!isHead)
        connection->socket->write(response.body.data(), static_cast<qint64>(response.body.size()));
    if (connection->closeAfterWrite)
        connection->socket->disconnectFromHost();
}

void HttpServer::pumpStreams()
{
    std::vector<Connection *> finished;
    for (auto &[socket, connection] : m_connections) {
        if (!connection->stream)
            continue;
        const std::string data = connection->stream->poll();
        if (!data.empty()) {
            const std::string c = chunk(data);
            socket->write(c.data(), static_cast<qint64>(c.size()));
        }
        if (connection->stream->done()) {
            socket->write("0\r\n\r\n", 5);
            connection->stream.reset();
            finished.push_back(connection.get());
        }
    }
    // A finished watch ends its response; the connection may carry more requests, but
    // clients open a new one for the next watch, so close it cleanly.
    for (Connection *connection : finished)
        connection->socket->disconnectFromHost();
}

} // namespace opsdeck::cli
