#pragma once
// A small HTTP/1.1 server on QTcpServer for `opsdeck-sim serve`: keep-alive, pipelined
// requests, Content-Length and chunked request bodies, and long-lived chunked responses
// for Kubernetes watches.
//
// Why not QHttpServer: in Qt 6.4 a QHttpServerResponder can only send a complete body
// (write(QIODevice*) reads it to the end, and no write-chunk API exists before Qt 6.8),
// so a watch, which must stay open and send one JSON event per chunk for as long as
// the client listens, cannot be served with it. The subset of HTTP kubectl, client-go,
// libcurl and Prometheus use is small enough to implement here.
#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>

#include <functional>
#include <map>
#include <memory>
#include <string>

class QTcpServer;
class QTcpSocket;

namespace opsdeck::cli {

struct HttpRequest {
    std::string method;
    std::string target;                        // raw request target, "/api/v1/pods?limit=500"
    std::string path;                          // percent-decoded path
    std::map<std::string, std::string> query;  // decoded values ('+' is a space)
    std::map<std::string, std::string> headers; // names lower-cased
    std::string body;
    std::string header(const std::string &lowerName) const;
};

// A response that keeps streaming: poll() is called whenever the server pumps streams
// and returns the next chunk ("" for nothing new); done() ends the response.
class HttpStream {
public:
    virtual ~HttpStream() = default;
    virtual std::string poll() = 0;
    virtual bool done() const = 0;
};

struct HttpResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::shared_ptr<HttpStream> stream; // set: chunked, open until done() or the client goes
};

class HttpServer : public QObject {
public:
    using Handler = std::function<HttpResponse(const HttpRequest &)>;
    // With a TLS configuration (certificate and key set) every connection is HTTPS:
    // kubectl sends bearer tokens only over TLS.
    explicit HttpServer(Handler handler, const QSslConfiguration *tls = nullptr, QObject *parent = nullptr);
    ~HttpServer() override;

    bool listen(const QHostAddress &address, quint16 port, std::string *error);
    quint16 port() const;
    // Sends what every open stream has ready; closes finished ones.
    void pumpStreams();
    int openStreams() const;

    // Splits a raw request target into path and decoded query.
    static bool parseTarget(const std::string &target, std::string &path, std::map<std::string, std::string> &query);
    static std::string percentDecode(const std::string &text, bool plusIsSpace);

private:
    struct Connection;
    void onNewConnection();
    void onReadyRead(Connection *connection);
    void respond(Connection *connection, const HttpRequest &request, const HttpResponse &response);
    void closeConnection(Connection *connection);

    Handler m_handler;
    QTcpServer *m_server = nullptr;
    std::map<QTcpSocket *, std::unique_ptr<Connection>> m_connections;
};

} // namespace opsdeck::cli
