// One attempt of an HttpRequest as a curl easy handle: URL, method and body, headers and
// credentials, timeouts, TLS material; then registered with the client's multi handle.
#include "http_transfer.h"

namespace opsdeck::remote {

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

} // namespace opsdeck::remote
