// libcurl multi + Qt event loop. curl owns the sockets; we only watch them. Everything
// that runs user code (resuming a coroutine, emitting a stream's lines) happens AFTER
// curl_multi_socket_action returned, never inside a curl callback, so user code may
// start, cancel or delete transfers freely.
#include "http_client.h"
#include "http_errors.h"

#include <QSocketNotifier>
#include <QTimer>

#include <QCoro/QCoroTimer>

#include <curl/curl.h>

#include <algorithm>
#include <coroutine>
#include <map>

namespace opsdeck::remote {

void CancelToken::cancel() {
    if (m_cancelled)
        return;
    m_cancelled = true;
    if (auto callback = std::exchange(m_onCancel, {}))
        callback();
}

// One attempt of one request (or one stream). Shared between the multi driver and the
// coroutine awaiting it, so either may go away first.
struct TransferPrivate {
    CURL *easy = nullptr;
    curl_slist *headerList = nullptr;
    std::string method, url, body;
    HttpResponse response;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    std::size_t maxBytes = 0;
    bool tooBig = false;
    bool cancelled = false;
    bool completed = false;
    std::optional<std::string> transportError;   // set when completed without a response
    int curlCode = 0;
    std::coroutine_handle<> waiter;
    // Streams.
    QPointer<LineStream> stream;
    std::string streamChunk;          // received, not yet delivered
    bool headersPending = false;      // headersReceived not yet emitted
    QTimer *idleTimer = nullptr;      // owned by the stream
    bool idleExpired = false;

    ~TransferPrivate() {
        if (easy)
            curl_easy_cleanup(easy);
        if (headerList)
            curl_slist_free_all(headerList);
    }
};

// Holds a raw pointer on purpose: GCC 12 destroys a co_await operand's temporaries twice,
// so an awaiter owning a shared_ptr released the transfer once too often. The awaiting
// frame keeps its own shared_ptr alive across the suspension.
struct CompletionAwaiter {
    TransferPrivate *transfer;
    bool await_ready() const noexcept { return transfer->completed; }
    void await_suspend(std::coroutine_handle<> handle) noexcept { transfer->waiter = handle; }
    void await_resume() const noexcept {}
};

struct SocketWatch {
    QSocketNotifier *read = nullptr;
    QSocketNotifier *write = nullptr;
};

struct HttpClient::Impl {
    HttpClient *owner = nullptr;
    CURLM *multi = nullptr;
    QTimer timer;
    std::map<curl_socket_t, SocketWatch> sockets;
    std::map<CURL *, std::shared_ptr<TransferPrivate>> transfers;
    bool destroying = false;

    explicit Impl(HttpClient *o) : owner(o) {
        static const bool globalInit = [] {
            curl_global_init(CURL_GLOBAL_DEFAULT);
            return true;
        }();
        (void)globalInit;
        multi = curl_multi_init();
        curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Impl::socketCallback);
        curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
        curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Impl::timerCallback);
        curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
        // Many requests to one API server share connections; h2 multiplexes them.
        curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
        timer.setSingleShot(true);
        QObject::connect(&timer, &QTimer::timeout, owner, [this] {
            int running = 0;
            curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
            afterCurl();
        });
    }

    ~Impl() {
        for (auto &[fd, watch] : sockets) {
            delete watch.read;
            delete watch.write;
        }
        curl_multi_cleanup(multi);
    }

    static int socketCallback(CURL *, curl_socket_t fd, int what, void *userp, void *) {
        auto *self = static_cast<Impl *>(userp);
        self->watchSocket(fd, what);
        return 0;
    }

    static int timerCallback(CURLM *, long timeoutMs, void *userp) {
        auto *self = static_cast<Impl *>(userp);
        if (timeoutMs < 0)
            self->timer.stop();
        else
            self->timer.start(int(std::min<long>(timeoutMs, 1 << 30)));
        return 0;
    }

    void watchSocket(curl_socket_t fd, int what) {
        SocketWatch &watch = sockets[fd];
        auto ensure = [&](QSocketNotifier *&notifier, QSocketNotifier::Type type, bool on,
                          int selectFlag) {
            if (!on) {
                if (notifier) {
                    // We may be inside this notifier's activated(): never delete it here.
                    notifier->setEnabled(false);
                    notifier->deleteLater();
                    notifier = nullptr;
                }
                return;
            }
            if (notifier)
                return;
            notifier = new QSocketNotifier(qintptr(fd), type);
            QObject::connect(notifier, &QSocketNotifier::activated, owner,
                             [this, fd, selectFlag] {
                                 int running = 0;
                                 curl_multi_socket_action(multi, fd, selectFlag, &running);
                                 afterCurl();
                             });
        };
        const bool remove = what == CURL_POLL_REMOVE;
        ensure(watch.read, QSocketNotifier::Read,
               !remove && (what == CURL_POLL_IN || what == CURL_POLL_INOUT), CURL_CSELECT_IN);
        ensure(watch.write, QSocketNotifier::Write,
               !remove && (what == CURL_POLL_OUT || what == CURL_POLL_INOUT), CURL_CSELECT_OUT);
        if (remove)
            sockets.erase(fd);
    }

    // Runs after every curl_multi_socket_action: deliver stream data, then completions.
    void afterCurl() {
        QPointer<HttpClient> alive(owner);
        std::vector<std::shared_ptr<TransferPrivate>> withData;
        for (auto &[easy, transfer] : transfers)
            if (transfer->stream && (transfer->headersPending || !transfer->streamChunk.empty()))
                withData.push_back(transfer);
        for (auto &transfer : withData) {
            deliverStream(*transfer);
            if (!alive)
                return;
        }
        std::vector<std::pair<std::shared_ptr<TransferPrivate>, CURLcode>> done;
        int queued = 0;
        while (CURLMsg *message = curl_multi_info_read(multi, &queued)) {
            if (message->msg != CURLMSG_DONE)
                continue;
            auto it = transfers.find(message->easy_handle);
            if (it == transfers.end())
                continue;
            done.emplace_back(it->second, message->data.result);
        }
        for (auto &[transfer, code] : done) {
            complete(transfer, code);
            if (!alive)
                return;
        }
    }

    void deliverStream(TransferPrivate &transfer) {
        QPointer<LineStream> stream = transfer.stream;
        if (!stream)
            return;
        if (transfer.idleTimer && !transfer.streamChunk.empty())
            transfer.idleTimer->start();
        if (transfer.headersPending) {
            transfer.headersPending = false;
            stream->m_status = transfer.response.status;
            emit stream->headersReceived(transfer.response.status);
            if (!stream)
                return;
        }
        std::string chunk = std::move(transfer.streamChunk);
        transfer.streamChunk.clear();
        if (!chunk.empty())
            stream->deliver(chunk.data(), chunk.size());
    }

    // Detaches the transfer from curl and wakes whoever waits for it.
    void complete(const std::shared_ptr<TransferPrivate> &transfer, CURLcode code) {
        curl_multi_remove_handle(multi, transfer->easy);
        transfers.erase(transfer->easy);
        transfer->completed = true;
        transfer->curlCode = int(code);
        if (transfer->cancelled) {
            transfer->transportError = "cancelled";
        } else if (transfer->idleExpired) {
            transfer->transportError = "no data for the stream's idle timeout; connection dropped";
        } else if (code != CURLE_OK) {
            transfer->transportError = describeCurlFailure(int(code), transfer->errorBuffer,
                                                           transfer->tooBig, transfer->maxBytes);
        } else {
            long status = 0;
            curl_easy_getinfo(transfer->easy, CURLINFO_RESPONSE_CODE, &status);
            transfer->response.status = int(status);
            long version = 0;
            curl_easy_getinfo(transfer->easy, CURLINFO_HTTP_VERSION, &version);
            transfer->response.httpVersion = version == CURL_HTTP_VERSION_2_0   ? "2"
                                             : version == CURL_HTTP_VERSION_1_0 ? "1.0"
                                                                                : "1.1";
            char *effective = nullptr;
            curl_easy_getinfo(transfer->easy, CURLINFO_EFFECTIVE_URL, &effective);
            transfer->response.effectiveUrl = effective ? effective : transfer->url;
        }
        if (transfer->stream) {
            // Lines that arrived with the final read first, then the end.
            deliverStream(*transfer);
            if (QPointer<LineStream> stream = transfer->stream) {
                stream->m_abort = nullptr;
                delete transfer->idleTimer;
                transfer->idleTimer = nullptr;
                if (transfer->transportError) {
                    stream->finish(false, owner->redact(describeRequest(transfer->method,
                                                                        transfer->url) +
                                                        ": " + *transfer->transportError));
                } else if (!transfer->response.ok()) {
                    transfer->response.body = stream->m_errorBody;
                    stream->finish(false, owner->redact(describeRequest(transfer->method,
                                                                        transfer->url) +
                                                        ": " + transfer->response.errorSummary()));
                } else {
                    stream->finish(true, {});
                }
            }
        }
        if (auto waiter = std::exchange(transfer->waiter, {}))
            waiter.resume();
    }

    void abort(const std::shared_ptr<TransferPrivate> &transfer) {
        if (transfer->completed)
            return;
        transfer->cancelled = true;
        complete(transfer, CURLE_ABORTED_BY_CALLBACK);
    }

    static std::size_t onHeader(char *data, std::size_t size, std::size_t count, void *userp) {
        auto *transfer = static_cast<TransferPrivate *>(userp);
        std::string_view line(data, size * count);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
            line.remove_suffix(1);
        if (line.starts_with("HTTP/")) {
            // A new response (after 100 Continue or a retry inside curl): start over.
            transfer->response.headers.clear();
            const auto space = line.find(' ');
            transfer->response.status =
                space == std::string_view::npos ? 0 : std::atoi(std::string(line.substr(space + 1, 3)).c_str());
        } else if (line.empty()) {
            if (transfer->stream && transfer->response.status >= 200)
                transfer->headersPending = true;
        } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
            std::string name(line.substr(0, colon));
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return char(std::tolower(c)); });
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ')
                value.remove_prefix(1);
            transfer->response.headers.emplace_back(std::move(name), std::string(value));
        }
        return size * count;
    }

    static std::size_t onBody(char *data, std::size_t size, std::size_t count, void *userp) {
        auto *transfer = static_cast<TransferPrivate *>(userp);
        const std::size_t bytes = size * count;
        if (transfer->stream) {
            if (transfer->response.status >= 200 && transfer->response.status < 300) {
                transfer->streamChunk.append(data, bytes);
            } else if (transfer->stream->m_errorBody.size() < (1u << 20)) {
                transfer->stream->m_errorBody.append(data, bytes);
            }
            return bytes;
        }
        if (transfer->response.body.size() + bytes > transfer->maxBytes) {
            transfer->tooBig = true;
            return 0; // CURLE_WRITE_ERROR
        }
        transfer->response.body.append(data, bytes);
        return bytes;
    }

    std::shared_ptr<TransferPrivate> start(const HttpRequest &request, const HttpOptions &options,
                                           bool streaming);
};

std::shared_ptr<TransferPrivate> HttpClient::Impl::start(const HttpRequest &request,
                                                        const HttpOptions &options,
                                                        bool streaming) {
    auto transfer = std::make_shared<TransferPrivate>();
    transfer->method = request.method;
    transfer->url = request.url;
    transfer->body = request.body;
    transfer->maxBytes = options.maxResponseBytes;
    CURL *easy = curl_easy_init();
    transfer->easy = easy;
    auto set = [easy](CURLoption option, auto value) { curl_easy_setopt(easy, option, value); };
    set(CURLOPT_PRIVATE, transfer.get());
    set(CURLOPT_URL, transfer->url.c_str());
    set(CURLOPT_PROTOCOLS_STR, "http,https");
    set(CURLOPT_NOSIGNAL, 1L);
    set(CURLOPT_FOLLOWLOCATION, 0L);       // never carry a bearer token to another host
    set(CURLOPT_ERRORBUFFER, transfer->errorBuffer);
    set(CURLOPT_HEADERFUNCTION, &Impl::onHeader);
    set(CURLOPT_HEADERDATA, transfer.get());
    set(CURLOPT_WRITEFUNCTION, &Impl::onBody);
    set(CURLOPT_WRITEDATA, transfer.get());
    set(CURLOPT_USERAGENT, options.userAgent.c_str());
    set(CURLOPT_ACCEPT_ENCODING, "");
    set(CURLOPT_HTTP_VERSION, options.http2 ? long(CURL_HTTP_VERSION_2TLS)
                                            : long(CURL_HTTP_VERSION_1_1));
    set(CURLOPT_CONNECTTIMEOUT_MS, long(options.connectTimeout.count()));
    if (streaming) {
        set(CURLOPT_TIMEOUT_MS, 0L);
        set(CURLOPT_TCP_KEEPALIVE, 1L);
    } else {
        set(CURLOPT_TIMEOUT_MS, long(request.totalTimeout.value_or(options.totalTimeout).count()));
        if (options.lowSpeedTime.count() > 0) {
            set(CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedBytes);
            set(CURLOPT_LOW_SPEED_TIME, long(options.lowSpeedTime.count()));
        }
    }
    // Method and body.
    if (request.method == "GET") {
        set(CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
        set(CURLOPT_NOBODY, 1L);
    } else {
        if (request.method != "POST")
            set(CURLOPT_CUSTOMREQUEST, transfer->method.c_str());
        if (!transfer->body.empty() || request.method == "POST") {
            set(CURLOPT_POSTFIELDS, transfer->body.c_str());
            set(CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(transfer->body.size()));
        }
    }
    // Headers. "Expect:" off: an API server answers a PATCH faster than a 100-continue.
    curl_slist *list = nullptr;
    for (const auto &[name, value] : request.headers)
        list = curl_slist_append(list, (name + ": " + value).c_str());
    list = curl_slist_append(list, "Expect:");
    if (!options.bearerToken.empty())
        list = curl_slist_append(list, ("Authorization: Bearer " + options.bearerToken).c_str());
    transfer->headerList = list;
    set(CURLOPT_HTTPHEADER, list);
    if (!options.basicUser.empty()) {
        set(CURLOPT_HTTPAUTH, long(CURLAUTH_BASIC));
        set(CURLOPT_USERNAME, options.basicUser.c_str());
        set(CURLOPT_PASSWORD, options.basicPassword.c_str());
    }
    // TLS. curl copies blobs (CURL_BLOB_COPY) and strings, so options may change later.
    const TlsOptions &tls = options.tls;
    set(CURLOPT_SSL_VERIFYPEER, tls.verifyPeer ? 1L : 0L);
    set(CURLOPT_SSL_VERIFYHOST, tls.verifyPeer ? 2L : 0L);
    auto blob = [&](CURLoption option, const std::string &pem) {
        curl_blob b{const_cast<char *>(pem.data()), pem.size(), CURL_BLOB_COPY};
        curl_easy_setopt(easy, option, &b);
    };
    if (!tls.caPem.empty())
        blob(CURLOPT_CAINFO_BLOB, tls.caPem);
    else if (!tls.caFile.empty())
        set(CURLOPT_CAINFO, tls.caFile.c_str());
    if (!tls.clientCertPem.empty()) {
        set(CURLOPT_SSLCERTTYPE, "PEM");
        blob(CURLOPT_SSLCERT_BLOB, tls.clientCertPem);
    } else if (!tls.clientCertFile.empty()) {
        set(CURLOPT_SSLCERTTYPE, "PEM");
        set(CURLOPT_SSLCERT, tls.clientCertFile.c_str());
    }
    if (!tls.clientKeyPem.empty()) {
        set(CURLOPT_SSLKEYTYPE, "PEM");
        blob(CURLOPT_SSLKEY_BLOB, tls.clientKeyPem);
    } else if (!tls.clientKeyFile.empty()) {
        set(CURLOPT_SSLKEYTYPE, "PEM");
        set(CURLOPT_SSLKEY, tls.clientKeyFile.c_str());
    }
    transfers.emplace(easy, transfer);
    // Adding only registers the handle and asks for a timeout: curl starts work from the
    // timer callback, so nothing completes inside this call.
    if (CURLMcode rc = curl_multi_add_handle(multi, easy); rc != CURLM_OK) {
        transfers.erase(easy);
        transfer->completed = true;
        transfer->transportError = std::string("could not start: ") + curl_multi_strerror(rc);
    }
    return transfer;
}

HttpClient::HttpClient(QObject *parent) : HttpClient(HttpOptions{}, parent) {}

HttpClient::HttpClient(HttpOptions options, QObject *parent)
    : QObject(parent), d(std::make_unique<Impl>(this)), m_options(std::move(options)) {}

HttpClient::~HttpClient() {
    d->destroying = true;
    cancelAll();
}

void HttpClient::setOptions(HttpOptions options) { m_options = std::move(options); }

void HttpClient::cancelAll() {
    while (!d->transfers.empty()) {
        auto transfer = d->transfers.begin()->second;
        d->abort(transfer);
    }
}

int HttpClient::inFlight() const { return int(d->transfers.size()); }

std::string HttpClient::redact(std::string text) const {
    return redactSecrets(std::move(text), {m_options.bearerToken, m_options.basicPassword,
                                           m_options.tls.clientKeyPem,
                                           m_options.tls.clientCertPem});
}

QCoro::Task<Result<HttpResponse>> HttpClient::get(std::string url, Headers headers) {
    HttpRequest request;
    request.url = std::move(url);
    request.headers = std::move(headers);
    auto result = co_await send(std::move(request));
    co_return result;
}

QCoro::Task<Result<HttpResponse>> HttpClient::send(HttpRequest request) {
    // Everything needed after an await is copied into the frame: a destroyed client
    // cancels its transfers and the code below returns without touching `this`.
    const HttpOptions options = m_options;
    const bool idempotent = request.idempotent.value_or(isIdempotentMethod(request.method));
    const std::string what = describeRequest(request.method, request.url);
    const auto secrets = std::vector<std::string>{options.bearerToken, options.basicPassword,
                                                  options.tls.clientKeyPem,
                                                  options.tls.clientCertPem};
    Impl *impl = d.get();
    for (int attempt = 1;; ++attempt) {
        if (request.cancel && request.cancel->cancelled())
            co_return Error{what + ": cancelled"};
        auto transfer = impl->start(request, options, false);
        if (request.cancel) {
            std::weak_ptr<TransferPrivate> weak = transfer;
            request.cancel->setOnCancel([impl, weak] {
                if (auto t = weak.lock())
                    impl->abort(t);
            });
        }
        co_await CompletionAwaiter{transfer.get()};
        if (request.cancel)
            request.cancel->setOnCancel({});
        if (transfer->cancelled)
            co_return Error{what + ": cancelled"};
        const bool transportFailed = transfer->transportError.has_value();
        const bool retryable =
            idempotent && attempt <= options.maxRetries &&
            (transportFailed ? isRetryableCurlCode(transfer->curlCode)
                             : isRetryableStatus(transfer->response.status));
        if (!retryable) {
            if (transportFailed) {
                std::string message = what + ": " + *transfer->transportError;
                if (attempt > 1)
                    message += " (after " + std::to_string(attempt) + " attempts)";
                co_return Error{redactSecrets(std::move(message), secrets)};
            }
            transfer->response.attempts = attempt;
            co_return std::move(transfer->response);
        }
        auto delay = std::min(options.retryMaxDelay, options.retryBaseDelay * (1 << (attempt - 1)));
        if (!transportFailed) {
            // Retry-After in seconds, when the server asks for a short pause.
            const std::string after = transfer->response.header("retry-after");
            if (!after.empty() && std::all_of(after.begin(), after.end(), ::isdigit))
                delay = std::min(options.retryMaxDelay,
                                 std::chrono::milliseconds(std::stoll(after) * 1000));
        }
        co_await QCoro::sleepFor(delay);
    }
}

LineStream *HttpClient::stream(HttpRequest request, std::chrono::milliseconds idleTimeout) {
    auto *stream = new LineStream();
    auto transfer = d->start(request, m_options, true);
    transfer->stream = stream;
    if (transfer->completed) { // could not even start
        QTimer::singleShot(0, stream, [stream, error = *transfer->transportError,
                                       what = describeRequest(request.method, request.url)] {
            stream->finish(false, what + ": " + error);
        });
        return stream;
    }
    Impl *impl = d.get();
    std::weak_ptr<TransferPrivate> weak = transfer;
    stream->m_abort = [impl, weak] {
        if (auto t = weak.lock()) {
            t->stream = nullptr; // deleting: no signals from a half-destroyed stream
            impl->abort(t);
        }
    };
    if (idleTimeout.count() > 0) {
        transfer->idleTimer = new QTimer(stream);
        transfer->idleTimer->setSingleShot(true);
        transfer->idleTimer->setInterval(idleTimeout);
        QObject::connect(transfer->idleTimer, &QTimer::timeout, this, [impl, weak] {
            if (auto t = weak.lock()) {
                t->idleExpired = true;
                t->idleTimer = nullptr; // its owner (the stream) deletes it
                impl->complete(t, CURLE_OPERATION_TIMEDOUT);
            }
        });
        transfer->idleTimer->start();
    }
    if (request.cancel)
        request.cancel->setOnCancel([stream = QPointer<LineStream>(stream)] {
            if (stream)
                stream->close();
        });
    return stream;
}

LineStream::LineStream(QObject *parent) : QObject(parent) {}

LineStream::~LineStream() {
    if (auto abort = std::exchange(m_abort, {}))
        abort();
}

void LineStream::close() {
    if (m_finished)
        return;
    auto abort = std::exchange(m_abort, {});
    finish(false, "cancelled");
    if (abort)
        abort();
}

void LineStream::deliver(const char *data, std::size_t size) {
    QPointer<LineStream> alive(this);
    m_pending.append(data, size);
    std::size_t start = 0;
    while (true) {
        const std::size_t end = m_pending.find('\n', start);
        if (end == std::string::npos)
            break;
        std::size_t stop = end;
        if (stop > start && m_pending[stop - 1] == '\r')
            --stop;
        if (stop > start) {
            ++m_lines;
            emit line(QByteArray(m_pending.data() + start, qsizetype(stop - start)));
            if (!alive || m_finished)
                return;
        }
        start = end + 1;
    }
    m_pending.erase(0, start);
}

void LineStream::finish(bool ok, const std::string &error) {
    if (m_finished)
        return;
    m_finished = true;
    std::string message = error;
    if (ok && !m_pending.empty()) {
        // A clean end in the middle of a line: the last event was cut off.
        ok = false;
        message = "stream ended in the middle of a line (" + std::to_string(m_pending.size()) +
                  " bytes of an incomplete event dropped)";
    }
    m_pending.clear();
    emit finished(ok, QString::fromStdString(message));
}

} // namespace opsdeck::remote
