#pragma once
// The Prometheus side of the hand-over: which of a rule's alerts to POST to the queue
// at an evaluation, and with which times (rules/alerting.go sendAlerts + needsSending,
// Prometheus 2.42):
//   - pending alerts are never sent;
//   - firing alerts are sent when first seen firing, then again once resendDelay has
//     passed since the last send; each send carries startsAt = firedAt and
//     endsAt = t + 4 * max(resendDelay, evaluation interval), a lease the next send renews;
//   - a resolved alert is sent (endsAt = resolvedAt) on the first evaluation after it resolved,
//     then every resendDelay while the rule still lists it.
// Only rules::Alert's fields are used (header only), so this does not link the rule engine.
#include "alert.h"

#include "backends/telemetry/rules/alerting_rule.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace opsdeck::telemetry::alerting {

struct RuleAlertSenderOptions {
    std::int64_t resendDelayMs = 60'000;     // --rules.alert.resend-delay
    std::int64_t evaluationIntervalMs = 15'000;
    std::string externalUrl = "http://localhost:9090"; // --web.external-url
};

// `/graph?g0.expr=<query-escaped expr>&g0.tab=1` after the external URL, as Prometheus links.
std::string generatorUrl(std::string_view externalUrl, std::string_view expr);

class RuleAlertSender {
public:
    explicit RuleAlertSender(RuleAlertSenderOptions options = {}) : m_options(std::move(options)) {}

    // The alerts to POST after evaluating the rule whose expression is `expr` at tMs.
    // `alerts` is the rule's allAlerts() (active and retained resolved ones).
    std::vector<PostableAlert> collect(const std::vector<rules::Alert> &alerts, std::string_view expr,
                                       std::int64_t tMs);

private:
    RuleAlertSenderOptions m_options;
    std::map<Labels, std::int64_t> m_lastSentAtMs; // Alert.LastSentAt, by label set
};

} // namespace opsdeck::telemetry::alerting
