#pragma once
// Alertmanager API v2 JSON <-> OpsDeck's alert queue types, for the remote backend.
// Plain C++20, no Qt. The counterpart of telemetry/alerting/alert_json.h, which *prints*
// these documents for the simulator: here they are read from a real Alertmanager.
//
// GET /api/v2/alerts gives firing alerts with their fingerprint and silence/inhibition
// status; deadlines and acknowledgements are OpsDeck's own and are added by the caller
// (RemoteAlertBook), since Alertmanager knows neither.
#include "backends/telemetry/alerting/alert_queue.h"
#include "backends/telemetry/alerting/silence.h"
#include "backends/telemetry/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace opsdeck::remote {

// GET /api/v2/alerts: one QueuedAlert per element with alert, status and severity set.
// `resolved` is set when endsAt is at or before nowMs (Alertmanager keeps resolved alerts
// listed until its next GC; pass 0 to never mark one resolved).
Result<std::vector<telemetry::alerting::QueuedAlert>> decodeAlertmanagerAlerts(std::string_view body,
                                                                              std::int64_t nowMs);

// GET /api/v2/alerts/groups
struct AlertmanagerGroup {
    telemetry::Labels labels;   // the group-by labels
    std::string receiver;
    std::vector<telemetry::alerting::QueuedAlert> alerts;
};
Result<std::vector<AlertmanagerGroup>> decodeAlertmanagerGroups(std::string_view body, std::int64_t nowMs);

// GET /api/v2/silences
Result<std::vector<telemetry::alerting::Silence>> decodeAlertmanagerSilences(std::string_view body);

// POST /api/v2/silences: the body for a new silence (or an update when spec.id is set),
// and the silence id from its answer {"silenceID":"..."}.
std::string encodePostableSilence(const telemetry::alerting::SilenceSpec &spec);
Result<std::string> decodeSilenceId(std::string_view body);

// Alertmanager's error bodies: {"code":612,"message":"..."} (422), a JSON string, or
// plain text. Returns the message to show, never empty.
std::string alertmanagerErrorMessage(int httpStatus, std::string_view body);

} // namespace opsdeck::remote
