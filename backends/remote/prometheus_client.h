#pragma once
// Prometheus HTTP API v1 over HttpClient: instant and range queries (the same PromQL the
// dashboards run against the simulation), rules, alerts and targets. Every call is a
// coroutine on the owning thread's event loop; errors say which endpoint failed and why
// (transport failure, or Prometheus' own errorType/error).
#include "http_client.h"
#include "prometheus_decode.h"

#include <QCoro/QCoroTask>

#include <cstdint>
#include <optional>
#include <string>

namespace opsdeck::remote {

class PrometheusClient {
public:
    // baseUrl: "http://127.0.0.1:9090" (a path prefix such as "/prometheus" is kept).
    // The client is not owned and must outlive this object.
    PrometheusClient(HttpClient *http, std::string baseUrl);

    const std::string &baseUrl() const { return m_baseUrl; }

    // /api/v1/query; no time: the server's now.
    QCoro::Task<Result<telemetry::promql::Value>> query(std::string promql,
                                                        std::optional<std::int64_t> atMs = std::nullopt);
    // /api/v1/query_range; times and step in ms.
    QCoro::Task<Result<telemetry::promql::Value>> queryRange(std::string promql, std::int64_t startMs,
                                                             std::int64_t endMs, std::int64_t stepMs);
    QCoro::Task<Result<std::vector<PrometheusRuleGroup>>> rules();
    QCoro::Task<Result<std::vector<PrometheusAlert>>> alerts();
    QCoro::Task<Result<std::vector<PrometheusTarget>>> targets();
    // GET /-/ready: Done when Prometheus answers 200 (used to probe the connection).
    QCoro::Task<Result<std::string>> ready();

private:
    QCoro::Task<Result<HttpResponse>> post(std::string path, std::string form);
    QCoro::Task<Result<HttpResponse>> get(std::string path);

    HttpClient *m_http;
    std::string m_baseUrl;
};

// "query=up%7Bjob%3D%22x%22%7D" pieces for form bodies and query strings.
std::string percentEncode(const std::string &text);
// Epoch ms as Prometheus' float seconds parameter ("1795869754.691").
std::string secondsParameter(std::int64_t ms);
// "http://h:9090/" -> "http://h:9090"; adds "http://" when no scheme was typed.
std::string normalizeBaseUrl(std::string url);

} // namespace opsdeck::remote
