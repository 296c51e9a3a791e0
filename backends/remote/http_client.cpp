// HttpClient's public side: requests with retries and backoff, line streams, cancel,
// redaction. The curl machinery underneath is in http_multi.cpp and http_curl_request.cpp.
#include "http_transfer.h"
#include "http_errors.h"

#include <QCoro/QCoroTimer>

#include <algorithm>

namespace opsdeck::remote {

void CancelToken::cancel() {
    if (m_cancelled)
        return;
    m_cancelled = true;
    if (auto callback = std::exchange(m_onCancel, {}))
        callback();
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
