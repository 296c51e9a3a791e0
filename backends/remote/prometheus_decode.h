#pragma once
// Prometheus HTTP API v1 JSON -> OpsDeck types, for the remote backend. Plain C++20, no Qt,
// so it is fuzzable and testable over the recorded samples in reference/prometheus.
//
// Every response has the envelope {"status":"success","data":...} or
// {"status":"error","errorType":"bad_data","error":"..."}; an error envelope becomes
// Error{"Prometheus bad_data: ..."} so the console shows the server's own message.
// Malformed or truncated bodies give an error naming the byte offset and the field path
// ("data.result[3].value[1]: expected a string"), never a partial result.
#include "backends/telemetry/alerting/alert.h"
#include "backends/telemetry/labels.h"
#include "backends/telemetry/promql/promql.h"
#include "backends/telemetry/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace opsdeck::remote {

// /api/v1/query and /api/v1/query_range: the result as the embedded evaluator returns it
// (times in epoch ms, values as doubles; "NaN", "+Inf" and "-Inf" included).
Result<telemetry::promql::Value> decodePrometheusQuery(std::string_view body);

// One alert of /api/v1/alerts, or of a rule in /api/v1/rules.
struct PrometheusAlert {
    telemetry::Labels labels;
    telemetry::alerting::Annotations annotations;
    std::string state;         // "pending" or "firing"
    std::int64_t activeAtMs = 0;
    std::string value;         // as Prometheus prints it ("1.3389162561576354e-01")
};

struct PrometheusRule {
    std::string name;          // alert name or recorded series name
    std::string type;          // "alerting" or "recording"
    std::string query;
    std::string state;         // alerting rules: "inactive", "pending" or "firing"
    std::string health;        // "ok", "err", "unknown"
    std::string lastError;
    double forSeconds = 0;     // "duration": the rule's `for:`
    telemetry::Labels labels;
    telemetry::alerting::Annotations annotations;
    std::vector<PrometheusAlert> alerts;
};

struct PrometheusRuleGroup {
    std::string name;
    std::string file;
    double intervalSeconds = 0;
    std::vector<PrometheusRule> rules;
};

struct PrometheusTarget {
    telemetry::Labels labels;  // after relabelling: job, instance, ...
    std::string scrapePool;
    std::string scrapeUrl;
    std::string health;        // "up", "down" or "unknown"
    std::string lastError;
    std::int64_t lastScrapeMs = 0;
    double lastScrapeDurationSeconds = 0;
};

Result<std::vector<PrometheusRuleGroup>> decodePrometheusRules(std::string_view body);
Result<std::vector<PrometheusAlert>> decodePrometheusAlerts(std::string_view body);
Result<std::vector<PrometheusTarget>> decodePrometheusTargets(std::string_view body); // activeTargets

// "1.5", "NaN", "+Inf", "-Inf" -> double; anything else (or trailing junk) is an error.
Result<double> parsePrometheusFloat(std::string_view text);

} // namespace opsdeck::remote
