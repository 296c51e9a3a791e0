#include "alertmanager_client.h"

#include "prometheus_client.h" // normalizeBaseUrl, percentEncode

namespace opsdeck::remote {

using namespace telemetry::alerting;

AlertmanagerClient::AlertmanagerClient(HttpClient *http, std::string baseUrl)
    : m_http(http), m_baseUrl(normalizeBaseUrl(std::move(baseUrl)))
{
}

namespace {
// Outside the coroutines: GCC 12 rejects braced string-literal initialisers in them.
const Headers kJson = {{"Accept", "application/json"}};
const Headers kJsonPost = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
const std::string kNoMatchers = "silence: at least one matcher is needed (an empty silence would mute everything)";
const std::string kNoId = "expire silence: no silence id given";

template <typename T, typename Decode>
Result<T> decodeAm(const Result<HttpResponse> &response, const std::string &endpoint, Decode decode)
{
    if (!response)
        return Error{std::string("Alertmanager ") + endpoint + ": " + response.error()};
    if (!response->ok())
        return Error{endpoint + ": " + alertmanagerErrorMessage(response->status, response->body)};
    auto decoded = decode(response->body);
    if (!decoded)
        return Error{std::string("Alertmanager ") + endpoint + ": " + decoded.error()};
    return decoded;
}
} // namespace

QCoro::Task<Result<std::vector<QueuedAlert>>> AlertmanagerClient::alerts(std::int64_t nowMs)
{
    std::string url = m_baseUrl + "/api/v2/alerts";
    auto task = m_http->get(std::move(url), kJson);
    auto response = co_await task;
    const std::string endpoint = "GET /api/v2/alerts";
    auto decoded = decodeAm<std::vector<QueuedAlert>>(
        response, endpoint, [nowMs](std::string_view body) { return decodeAlertmanagerAlerts(body, nowMs); });
    co_return decoded;
}

QCoro::Task<Result<std::vector<AlertmanagerGroup>>> AlertmanagerClient::groups(std::int64_t nowMs)
{
    std::string url = m_baseUrl + "/api/v2/alerts/groups";
    auto task = m_http->get(std::move(url), kJson);
    auto response = co_await task;
    const std::string endpoint = "GET /api/v2/alerts/groups";
    auto decoded = decodeAm<std::vector<AlertmanagerGroup>>(
        response, endpoint, [nowMs](std::string_view body) { return decodeAlertmanagerGroups(body, nowMs); });
    co_return decoded;
}

QCoro::Task<Result<std::vector<Silence>>> AlertmanagerClient::silences()
{
    std::string url = m_baseUrl + "/api/v2/silences";
    auto task = m_http->get(std::move(url), kJson);
    auto response = co_await task;
    const std::string endpoint = "GET /api/v2/silences";
    auto decoded = decodeAm<std::vector<Silence>>(response, endpoint, decodeAlertmanagerSilences);
    co_return decoded;
}

QCoro::Task<Result<std::string>> AlertmanagerClient::createSilence(SilenceSpec spec)
{
    if (spec.matchers.empty())
        co_return Error{kNoMatchers};
    HttpRequest request;
    request.method = "POST";
    request.url = m_baseUrl + "/api/v2/silences";
    request.headers = kJsonPost;
    request.body = encodePostableSilence(spec);
    request.idempotent = false; // a retry could create two silences
    auto task = m_http->send(std::move(request));
    auto response = co_await task;
    const std::string endpoint = "POST /api/v2/silences";
    auto decoded = decodeAm<std::string>(response, endpoint, decodeSilenceId);
    co_return decoded;
}

QCoro::Task<Result<std::string>> AlertmanagerClient::expireSilence(std::string id)
{
    if (id.empty())
        co_return Error{kNoId};
    HttpRequest request;
    request.method = "DELETE";
    request.url = m_baseUrl + "/api/v2/silence/" + percentEncode(id);
    request.headers = kJson;
    auto task = m_http->send(std::move(request));
    auto response = co_await task;
    const std::string endpoint = "DELETE /api/v2/silence";
    auto decoded = decodeAm<std::string>(response, endpoint, [&id](std::string_view) { return Result<std::string>(id); });
    co_return decoded;
}

QCoro::Task<Result<std::string>> AlertmanagerClient::ready()
{
    std::string url = m_baseUrl + "/-/ready";
    auto task = m_http->get(std::move(url));
    auto response = co_await task;
    const std::string endpoint = "GET /-/ready";
    auto decoded = decodeAm<std::string>(response, endpoint, [](std::string_view body) { return Result<std::string>(std::string(body)); });
    co_return decoded;
}

} // namespace opsdeck::remote
