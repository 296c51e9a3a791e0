#pragma once
// Alertmanager API v2 over HttpClient: the alert list and groups that feed the console's
// alert queue, and silences (create, list, expire). Acknowledgements are not an
// Alertmanager concept; the remote backend keeps them itself.
#include "alertmanager_decode.h"
#include "http_client.h"

#include <QCoro/QCoroTask>

#include <cstdint>
#include <string>
#include <vector>

namespace opsdeck::remote {

class AlertmanagerClient {
public:
    // baseUrl: "http://127.0.0.1:9093". The HttpClient must outlive this object.
    AlertmanagerClient(HttpClient *http, std::string baseUrl);

    const std::string &baseUrl() const { return m_baseUrl; }

    // GET /api/v2/alerts (firing, silenced and inhibited included); nowMs marks resolved ones.
    QCoro::Task<Result<std::vector<telemetry::alerting::QueuedAlert>>> alerts(std::int64_t nowMs);
    QCoro::Task<Result<std::vector<AlertmanagerGroup>>> groups(std::int64_t nowMs);
    QCoro::Task<Result<std::vector<telemetry::alerting::Silence>>> silences();
    // POST /api/v2/silences; returns the silence id.
    QCoro::Task<Result<std::string>> createSilence(telemetry::alerting::SilenceSpec spec);
    // DELETE /api/v2/silence/{id}
    QCoro::Task<Result<std::string>> expireSilence(std::string id);
    // GET /-/ready: Alertmanager answers 200 once it has loaded its config.
    QCoro::Task<Result<std::string>> ready();

private:
    HttpClient *m_http;
    std::string m_baseUrl;
};

} // namespace opsdeck::remote
