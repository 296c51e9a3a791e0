#include "prometheus_client.h"

#include <QByteArray>

#include <cstdio>

namespace opsdeck::remote {

using telemetry::promql::Value;

std::string percentEncode(const std::string &text)
{
    return QByteArray::fromStdString(text).toPercentEncoding().toStdString();
}

std::string secondsParameter(std::int64_t ms)
{
    char buf[48];
    const char *sign = ms < 0 ? "-" : "";
    const std::int64_t abs = ms < 0 ? -ms : ms;
    std::snprintf(buf, sizeof buf, "%s%lld.%03lld", sign, static_cast<long long>(abs / 1000),
                  static_cast<long long>(abs % 1000));
    return buf;
}

std::string normalizeBaseUrl(std::string url)
{
    while (!url.empty() && (url.back() == '/' || url.back() == ' '))
        url.pop_back();
    while (!url.empty() && url.front() == ' ')
        url.erase(url.begin());
    if (!url.empty() && url.find("://") == std::string::npos)
        url = "http://" + url;
    return url;
}

PrometheusClient::PrometheusClient(HttpClient *http, std::string baseUrl)
    : m_http(http), m_baseUrl(normalizeBaseUrl(std::move(baseUrl)))
{
}

namespace {
// Headers live outside the coroutines: GCC 12 rejects braced string-literal initialisers
// inside a coroutine body ("array used as initializer").
const Headers kAcceptJson = {{"Accept", "application/json"}};
const Headers kFormPost = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
} // namespace

QCoro::Task<Result<HttpResponse>> PrometheusClient::post(std::string path, std::string form)
{
    HttpRequest request;
    request.method = "POST";
    request.url = m_baseUrl + path;
    request.headers = kFormPost;
    request.body = form;
    request.idempotent = true; // queries have no side effects: retry them like GETs
    // Await into a named variable: GCC 12 mishandles `co_return co_await`.
    // Named task, named result: GCC 12 destroys temporaries of a co_await expression twice.
    auto task = m_http->send(std::move(request));
    auto response = co_await task;
    co_return response;
}

QCoro::Task<Result<HttpResponse>> PrometheusClient::get(std::string path)
{
    std::string url = m_baseUrl + path;
    auto task = m_http->get(std::move(url), kAcceptJson);
    auto response = co_await task;
    co_return response;
}

namespace {
// A 4xx/5xx from Prometheus still carries the JSON envelope; prefer its message.
template <typename T, typename Decode>
Result<T> decodeResponse(const Result<HttpResponse> &response, const std::string &endpoint, Decode decode)
{
    if (!response)
        return Error{std::string("Prometheus ") + endpoint + ": " + response.error()};
    auto decoded = decode(response->body);
    if (!decoded) {
        if (!response->ok() && decoded.error().rfind("Prometheus ", 0) != 0)
            return Error{std::string("Prometheus ") + endpoint + ": " + response->errorSummary()};
        return Error{std::string("Prometheus ") + endpoint + ": " + decoded.error()};
    }
    if (!response->ok())
        return Error{std::string("Prometheus ") + endpoint + ": " + response->errorSummary()};
    return decoded;
}
} // namespace

QCoro::Task<Result<Value>> PrometheusClient::query(std::string promql, std::optional<std::int64_t> atMs)
{
    std::string form = "query=" + percentEncode(promql);
    if (atMs)
        form += "&time=" + secondsParameter(*atMs);
    const std::string path = "/api/v1/query";
    auto task = post(path, form);
    auto response = co_await task;
    const std::string endpoint = "query";
    auto decoded = decodeResponse<Value>(response, endpoint, decodePrometheusQuery);
    co_return decoded;
}

QCoro::Task<Result<Value>> PrometheusClient::queryRange(std::string promql, std::int64_t startMs,
                                                        std::int64_t endMs, std::int64_t stepMs)
{
    if (stepMs <= 0 || endMs < startMs) {
        Error error{stepMs <= 0 ? std::string("query_range: step must be positive")
                                : std::string("query_range: end is before start")};
        co_return error;
    }
    const std::string form = "query=" + percentEncode(promql) + "&start=" + secondsParameter(startMs)
        + "&end=" + secondsParameter(endMs) + "&step=" + secondsParameter(stepMs);
    const std::string path = "/api/v1/query_range";
    auto task = post(path, form);
    auto response = co_await task;
    const std::string endpoint = "query_range";
    auto decoded = decodeResponse<Value>(response, endpoint, decodePrometheusQuery);
    co_return decoded;
}

QCoro::Task<Result<std::vector<PrometheusRuleGroup>>> PrometheusClient::rules()
{
    const std::string path = "/api/v1/rules";
    auto task = get(path);
    auto response = co_await task;
    const std::string endpoint = "rules";
    auto decoded = decodeResponse<std::vector<PrometheusRuleGroup>>(response, endpoint, decodePrometheusRules);
    co_return decoded;
}

QCoro::Task<Result<std::vector<PrometheusAlert>>> PrometheusClient::alerts()
{
    const std::string path = "/api/v1/alerts";
    auto task = get(path);
    auto response = co_await task;
    const std::string endpoint = "alerts";
    auto decoded = decodeResponse<std::vector<PrometheusAlert>>(response, endpoint, decodePrometheusAlerts);
    co_return decoded;
}

QCoro::Task<Result<std::vector<PrometheusTarget>>> PrometheusClient::targets()
{
    const std::string path = "/api/v1/targets";
    auto task = get(path);
    auto response = co_await task;
    const std::string endpoint = "targets";
    auto decoded = decodeResponse<std::vector<PrometheusTarget>>(response, endpoint, decodePrometheusTargets);
    co_return decoded;
}

QCoro::Task<Result<std::string>> PrometheusClient::ready()
{
    const std::string path = "/-/ready";
    auto task = get(path);
    auto response = co_await task;
    if (!response)
        co_return Error{"Prometheus: " + response.error()};
    if (!response->ok())
        co_return Error{"Prometheus /-/ready: " + response->errorSummary()};
    co_return response->body;
}

} // namespace opsdeck::remote
