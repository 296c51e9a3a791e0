// libcurl multi + Qt event loop. curl owns the sockets; we only watch them. Everything
// that runs user code (resuming a coroutine, emitting a stream's lines) happens AFTER
// curl_multi_socket_action returned, never inside a curl callback, so user code may
// start, cancel or delete transfers freely.
#include "http_transfer.h"
#include "http_errors.h"

#include <QSocketNotifier>

#include <algorithm>

namespace opsdeck::remote {

HttpClient::Impl::Impl(HttpClient *o) : owner(o) {
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

HttpClient::Impl::~Impl() {
    for (auto &[fd, watch] : sockets) {
        delete watch.read;
        delete watch.write;
    }
    curl_multi_cleanup(multi);
}

int HttpClient::Impl::socketCallback(CURL *, curl_socket_t fd, int what, void *userp, void *) {
    auto *self = static_cast<Impl *>(userp);
    self->watchSocket(fd, what);
    return 0;
}

int HttpClient::Impl::timerCallback(CURLM *, long timeoutMs, void *userp) {
    auto *self = static_cast<Impl *>(userp);
    if (timeoutMs < 0)
        self->timer.stop();
    else
        self->timer.start(int(std::min<long>(timeoutMs, 1 << 30)));
    return 0;
}

void HttpClient::Impl::watchSocket(curl_socket_t fd, int what) {
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
void HttpClient::Impl::afterCurl() {
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

void HttpClient::Impl::deliverStream(TransferPrivate &transfer) {
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
void HttpClient::Impl::complete(const std::shared_ptr<TransferPrivate> &transfer, CURLcode code) {
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

void HttpClient::Impl::abort(const std::shared_ptr<TransferPrivate> &transfer) {
    if (transfer->completed)
        return;
    transfer->cancelled = true;
    complete(transfer, CURLE_ABORTED_BY_CALLBACK);
}

std::size_t HttpClient::Impl::onHeader(char *data, std::size_t size, std::size_t count, void *userp) {
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

std::size_t HttpClient::Impl::onBody(char *data, std::size_t size, std::size_t count, void *userp) {
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

} // namespace opsdeck::remote
