#pragma once
// HTTP for the remote backend (Kubernetes API server, Prometheus, Alertmanager): libcurl's
// multi interface driven by the Qt event loop of the thread the client lives in. curl
// tells us which sockets to watch (QSocketNotifier) and when to call it back (a
// single-shot QTimer); no thread per request, and the UI thread never blocks on I/O.
//
//   HttpClient http;                                   // one per thread, Qt parent optional
//   http.setOptions(opts);                             // TLS, bearer token, timeouts
//   Result<HttpResponse> r = co_await http.send({.url = "https://10.0.0.1:6443/version"});
//   if (!r) show(r.error());                           // transport failure, says why
//   else if (!r->ok()) show(r->errorSummary());        // HTTP error, server's own message
//
// Result semantics: an Error means no HTTP response was received (DNS, connect, TLS,
// timeout, cancel, malformed response). Any HTTP status, 4xx/5xx included, is a response;
// HttpResponse::errorSummary() turns a failed one into a message using the server's
// Kubernetes Status / Prometheus / Alertmanager error body when it has one.
//
// Secrets (bearer token, client key, *-data blobs) never appear in error messages,
// logs or HttpResponse: errors name method, URL (query string kept, userinfo dropped)
// and the failure, and pass through redact() against every configured secret.
#include "../telemetry/result.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>

#include <QCoro/QCoroTask>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace opsdeck::remote {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Where trust and client identity come from. File paths and in-memory PEM ("-data" in a
// kubeconfig, already base64-decoded) are alternatives; data wins when both are set.
struct TlsOptions {
    bool verifyPeer = true;           // false ONLY when the kubeconfig says
                                      // insecure-skip-tls-verify: true (shown in the UI)
    std::string caFile;               // PEM bundle path; empty: system bundle
    std::string caPem;                // PEM bytes (certificate-authority-data)
    std::string clientCertFile;       // client-certificate
    std::string clientCertPem;        // client-certificate-data (secret-ish: redacted)
    std::string clientKeyFile;        // client-key
    std::string clientKeyPem;         // client-key-data (secret: redacted)
};

// Defaults applied to every request of one client. Each remote endpoint (API server,
// Prometheus, Alertmanager) gets its own HttpClient with its own options.
struct HttpOptions {
    TlsOptions tls;
    std::string bearerToken;          // sent as "Authorization: Bearer ..." (redacted)
    std::string basicUser;            // basic auth, if any (password redacted)
    std::string basicPassword;
    std::string userAgent = "opsdeck/0.1";
    std::chrono::milliseconds connectTimeout{5000};
    std::chrono::milliseconds totalTimeout{30000};   // whole request; 0 = none
    // A connection that moves fewer than lowSpeedBytes per second for lowSpeedTime is
    // dead (a server that accepted and then hangs). 0 seconds = off.
    long lowSpeedBytes = 1;
    std::chrono::seconds lowSpeedTime{20};
    // Idempotent requests (GET, HEAD, PUT, DELETE, OPTIONS, or idempotent=true) retry
    // on transport failures and on 429/502/503/504, doubling the delay each time.
    int maxRetries = 2;
    std::chrono::milliseconds retryBaseDelay{200};
    std::chrono::milliseconds retryMaxDelay{5000};
    bool http2 = true;                // CURL_HTTP_VERSION_2TLS: h2 when the server offers it
    std::size_t maxResponseBytes = 512u << 20; // refuse bigger bodies (clear error)
};

// Cancels one request or stream from anywhere in the owning thread. The awaiting
// coroutine resumes with Error "... cancelled"; a stream emits finished with that error.
class CancelToken {
public:
    void cancel();
    bool cancelled() const { return m_cancelled; }
    // Used by HttpClient: called on cancel(); replaced per attempt, cleared when done.
    void setOnCancel(std::function<void()> callback) { m_onCancel = std::move(callback); }

private:
    bool m_cancelled = false;
    std::function<void()> m_onCancel;
};

struct HttpRequest {
    std::string method = "GET";
    std::string url;                  // absolute, http:// or https://
    Headers headers;                  // extra headers (Content-Type, Accept, ...)
    std::string body;
    std::optional<bool> idempotent;   // unset: decided from the method
    std::optional<std::chrono::milliseconds> totalTimeout; // overrides the client's
    std::shared_ptr<CancelToken> cancel; // optional
};

struct HttpResponse {
    int status = 0;                   // HTTP status code
    std::string httpVersion;          // "1.1", "2"
    Headers headers;                  // names lower-cased, in arrival order
    std::string body;
    std::string effectiveUrl;         // after redirects (never followed for secrets' sake)
    int attempts = 1;                 // 1 + retries used

    bool ok() const { return status >= 200 && status < 300; }
    // First header with this name (case-insensitive), or empty.
    std::string header(std::string_view name) const;
    // "HTTP 403 Forbidden: pods is forbidden: User \"bob\" cannot list ..." — the
    // server's Kubernetes Status message, Prometheus/Alertmanager "error" field, or a
    // short excerpt of a text body. Empty when ok().
    std::string errorSummary() const;
};

// A line-delimited stream (Kubernetes watch: one JSON event per line). Emits each
// complete line as it arrives (without the trailing \n), then finished() exactly once.
// Lives as long as its owner keeps it; deleting it (or close()) aborts the transfer.
class LineStream : public QObject {
    Q_OBJECT
public:
    ~LineStream() override;
    void close();                     // abort; finished("... cancelled") is emitted
    bool isFinished() const { return m_finished; }
    int status() const { return m_status; }           // 0 until headers arrived
    std::string errorBody() const { return m_errorBody; } // body of a non-2xx response
    std::uint64_t linesEmitted() const { return m_lines; }

signals:
    // Status line and headers received; non-2xx bodies are not split into lines but
    // collected into errorBody() and reported through finished().
    void headersReceived(int status);
    void line(const QByteArray &line);
    // ok = the server ended a 2xx stream cleanly. Otherwise error says why (transport
    // failure, non-2xx with the server's message, idle timeout, cancelled).
    void finished(bool ok, const QString &error);

private:
    friend class HttpClient;
    friend struct TransferPrivate;
    explicit LineStream(QObject *parent = nullptr);
    void deliver(const char *data, std::size_t size);
    void finish(bool ok, const std::string &error);

    std::string m_pending;            // bytes after the last \n
    std::string m_errorBody;
    int m_status = 0;
    bool m_finished = false;
    std::uint64_t m_lines = 0;
    std::function<void()> m_abort;    // set by HttpClient while the transfer runs
};

class HttpClient : public QObject {
    Q_OBJECT
public:
    explicit HttpClient(QObject *parent = nullptr);
    explicit HttpClient(HttpOptions options, QObject *parent = nullptr);
    ~HttpClient() override;           // aborts everything in flight

    const HttpOptions &options() const { return m_options; }
    // Applies to requests started after the call (e.g. a refreshed exec-plugin token).
    void setOptions(HttpOptions options);

    // One request, retried per HttpOptions when idempotent. Never throws.
    QCoro::Task<Result<HttpResponse>> send(HttpRequest request);
    QCoro::Task<Result<HttpResponse>> get(std::string url, Headers headers = {});

    // A long-lived streaming GET (watch). No total timeout; the low-speed check is off
    // and instead idleTimeout (0 = none) ends a stream that has been silent that long.
    // The caller owns the returned stream (parent it or hold it in a unique_ptr).
    LineStream *stream(HttpRequest request,
                       std::chrono::milliseconds idleTimeout = std::chrono::milliseconds{0});

    // Aborts every request and stream in flight (each ends with a "cancelled" error).
    void cancelAll();
    int inFlight() const;

    // Replaces every configured secret (token, password, key/cert data) in text by
    // "<redacted>". All errors produced here already went through it.
    std::string redact(std::string text) const;

private:
    friend struct TransferPrivate;
    struct Impl;
    std::unique_ptr<Impl> d;
    HttpOptions m_options;
};

// Short "GET https://host:6443/api/v1/pods" form for messages: userinfo dropped.
std::string describeRequest(const std::string &method, const std::string &url);

} // namespace opsdeck::remote
