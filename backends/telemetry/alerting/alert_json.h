#pragma once
// Alertmanager API v2 JSON, both directions, so the same queue can sit behind the
// simulator's HTTP server and in front of a real Prometheus or Alertmanager:
//   - parse what Prometheus POSTs to /api/v2/alerts (also reads GET /api/v2/alerts,
//     whose extra fields are ignored);
//   - parse POST /api/v2/silences bodies;
//   - print GET /api/v2/alerts, GET /api/v2/silences and the webhook payload
//     (version 4) the way Alertmanager 0.25 does (see reference/prometheus.md §3.6).
// Times are RFC 3339 with milliseconds in UTC; Go's zero time ("0001-01-01T00:00:00Z")
// maps to 0 = unset.
#include "alert.h"
#include "alert_queue.h"
#include "silence.h"

#include "backends/telemetry/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace opsdeck::telemetry::alerting {

Result<std::int64_t> parseRfc3339Ms(std::string_view text);
std::string formatRfc3339Ms(std::int64_t epochMs); // "2026-11-28T12:42:26.225Z"; 0 -> Go zero time

// Errors name the element and field: "alerts[1].startsAt: ...".
Result<std::vector<PostableAlert>> parsePostableAlerts(std::string_view json);
Result<SilenceSpec> parsePostableSilence(std::string_view json);

std::string gettableAlertsJson(const std::vector<QueuedAlert> &alerts, const std::string &receiver);
std::string gettableSilencesJson(const std::vector<Silence> &silences, std::int64_t nowMs);
std::string webhookJson(const Notification &notification, const std::string &externalURL);

} // namespace opsdeck::telemetry::alerting
