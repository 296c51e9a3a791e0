#pragma once
// Internal to HttpClient: one transfer's state and the curl-multi driver that runs them on
// the Qt event loop. http_multi.cpp drives curl (sockets, timer, completions, header and
// body callbacks), http_curl_request.cpp turns an HttpRequest into a curl easy handle,
// http_client.cpp holds the public API (retries, streams, cancel).
#include "http_client.h"

#include <QPointer>
#include <QTimer>

#include <curl/curl.h>

#include <coroutine>
#include <map>
#include <memory>
#include <optional>
#include <string>

class QSocketNotifier;

namespace opsdeck::remote {

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

    explicit Impl(HttpClient *o);
    ~Impl();

    // curl -> us: which sockets to watch, when to call back.
    static int socketCallback(CURL *, curl_socket_t fd, int what, void *userp, void *);
    static int timerCallback(CURLM *, long timeoutMs, void *userp);
    void watchSocket(curl_socket_t fd, int what);
    // Runs after every curl_multi_socket_action: deliver stream data, then completions.
    void afterCurl();
    void deliverStream(TransferPrivate &transfer);
    // Detaches the transfer from curl and wakes whoever waits for it.
    void complete(const std::shared_ptr<TransferPrivate> &transfer, CURLcode code);
    void abort(const std::shared_ptr<TransferPrivate> &transfer);
    // Response head and body, as curl hands them over (user code never runs in here).
    static std::size_t onHeader(char *data, std::size_t size, std::size_t count, void *userp);
    static std::size_t onBody(char *data, std::size_t size, std::size_t count, void *userp);

    // A new easy handle for one attempt, registered with the multi handle
    // (http_curl_request.cpp).
    std::shared_ptr<TransferPrivate> start(const HttpRequest &request, const HttpOptions &options,
                                           bool streaming);
};

} // namespace opsdeck::remote
