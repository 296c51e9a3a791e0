#include "http_errors.h"
#include "http_client.h"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace opsdeck::remote {

namespace {

std::string base64(std::string_view in) {
    static constexpr char table[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 |
                           (unsigned char)in[i + 2];
        out += table[v >> 18 & 63];
        out += table[v >> 12 & 63];
        out += table[v >> 6 & 63];
        out += table[v & 63];
    }
    if (i + 1 == in.size()) {
        const unsigned v = (unsigned char)in[i] << 16;
        out += table[v >> 18 & 63];
        out += table[v >> 12 & 63];
        out += "==";
    } else if (i + 2 == in.size()) {
        const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
        out += table[v >> 18 & 63];
        out += table[v >> 12 & 63];
        out += table[v >> 6 & 63];
        out += '=';
    }
    return out;
}

std::string oneLine(std::string_view text, std::size_t max) {
    std::string out;
    for (char c : text) {
        if (out.size() >= max) {
            out += "...";
            break;
        }
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

} // namespace

std::string describeCurlFailure(int curlCode, const char *errorBuffer, bool tooBig,
                                std::size_t maxBytes) {
    const auto code = CURLcode(curlCode);
    std::string detail = errorBuffer && *errorBuffer ? errorBuffer : curl_easy_strerror(code);
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
        return "cannot resolve host (" + detail + ")";
    case CURLE_COULDNT_CONNECT:
        return "cannot connect: server unreachable or refusing connections (" + detail + ")";
    case CURLE_OPERATION_TIMEDOUT:
        return "timed out (" + detail + ")";
    case CURLE_PEER_FAILED_VERIFICATION:
        return "TLS: the server's certificate is not trusted (" + detail +
               "); give the cluster's CA (certificate-authority), or for a lab only set "
               "insecure-skip-tls-verify";
    case CURLE_SSL_CONNECT_ERROR:
        return "TLS handshake failed (" + detail + ")";
    case CURLE_SSL_CERTPROBLEM:
        return "TLS: the client certificate could not be used (" + detail + ")";
    case CURLE_SSL_CACERT_BADFILE:
        return "TLS: the CA certificate could not be read (" + detail + ")";
    case CURLE_GOT_NOTHING:
        return "the server closed the connection without answering";
    case CURLE_PARTIAL_FILE:
        return "response truncated: the server closed the connection early (" + detail + ")";
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
        return "connection dropped (" + detail + ")";
    case CURLE_WRITE_ERROR:
        if (tooBig)
            return "response larger than the " + std::to_string(maxBytes >> 20) +
                   " MiB limit; refused";
        return detail;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return "malformed HTTP response (" + detail + ")";
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        return "bad URL (" + detail + ")";
    default:
        return detail;
    }
}

bool isRetryableCurlCode(int curlCode) {
    switch (CURLcode(curlCode)) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false;
    }
}

bool isRetryableStatus(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
}

bool isIdempotentMethod(std::string_view method) {
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
           method == "OPTIONS";
}

std::string redactSecrets(std::string text, const std::vector<std::string> &secrets) {
    for (const std::string &secret : secrets) {
        if (secret.size() < 4) // too short to search for without mangling the text
            continue;
        for (const std::string &needle : {secret, base64(secret)}) {
            for (std::size_t at = text.find(needle); at != std::string::npos;
                 at = text.find(needle, at))
                text.replace(at, needle.size(), "<redacted>");
        }
    }
    return text;
}

const char *reasonPhrase(int status) {
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Request Entity Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
    }
}

std::string serverMessage(std::string_view body) {
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_object()) {
        for (const char *key : {"message", "error"}) {
            auto it = json.find(key);
            if (it != json.end() && it->is_string() && !it->get_ref<const std::string &>().empty())
                return oneLine(it->get_ref<const std::string &>(), 400);
        }
    }
    return oneLine(body, 200);
}

std::string HttpResponse::header(std::string_view name) const {
    for (const auto &[key, value] : headers) {
        if (key.size() == name.size() &&
            std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
                return std::tolower((unsigned char)a) == std::tolower((unsigned char)b);
            }))
            return value;
    }
    return {};
}

std::string HttpResponse::errorSummary() const {
    if (ok())
        return {};
    std::string summary = "HTTP " + std::to_string(status);
    if (const char *reason = reasonPhrase(status); *reason)
        summary += std::string(" ") + reason;
    if (const std::string message = serverMessage(body); !message.empty())
        summary += ": " + message;
    return summary;
}

std::string describeRequest(const std::string &method, const std::string &url) {
    std::string cleaned = url;
    // Drop user:password@ from the authority.
    if (const auto scheme = cleaned.find("://"); scheme != std::string::npos) {
        const auto authorityEnd = cleaned.find_first_of("/?#", scheme + 3);
        const auto at = cleaned.find('@', scheme + 3);
        if (at != std::string::npos && (authorityEnd == std::string::npos || at < authorityEnd))
            cleaned.erase(scheme + 3, at - scheme - 2);
    }
    return method + " " + cleaned;
}

} // namespace opsdeck::remote
