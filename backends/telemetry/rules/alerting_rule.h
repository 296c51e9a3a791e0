#pragma once
// One alerting rule and the alerts it holds, with the state machine of Prometheus's
// rules/alerting.go: a new result is `pending` (activeAt), becomes `firing` once it has
// been pending for `for`, and when it disappears it either keeps firing for
// `keep_firing_for` or goes `inactive` (resolvedAt), staying listed as resolved for 15
// minutes so notifiers can say so. Pending alerts that disappear are dropped at once.
#include "../promql/promql.h"
#include "../series_source.h"
#include "rule_file.h"

#include <map>
#include <optional>

namespace opsdeck::telemetry::rules {

enum class AlertState { Inactive, Pending, Firing };
const char *toString(AlertState s); // "inactive", "pending", "firing"

struct Alert {
    std::string name;               // the rule's alert name
    Labels labels;                  // series labels + rule labels + alertname
    std::vector<Label> annotations; // expanded, sorted by name
    AlertState state = AlertState::Pending;
    double value = 0;               // the expression's latest value for this alert
    std::int64_t activeAtMs = 0;    // when it became pending
    std::optional<std::int64_t> firedAtMs;
    std::optional<std::int64_t> resolvedAtMs;
    std::optional<std::int64_t> keepFiringSinceMs;
};

struct RuleEvalOptions {
    Labels externalLabels;
    std::string externalUrl;
    // Write ALERTS / ALERTS_FOR_STATE series (Prometheus does once state is restored).
    bool writeAlertSeries = true;
    promql::EvalOptions promql;
};

// How long a resolved alert stays listed (Prometheus's resolvedRetention).
inline constexpr std::int64_t kResolvedRetentionMs = 15 * 60 * 1000;

// Evaluates an expression as a rule does: a vector as is, a scalar as one sample
// without labels, anything else an error.
Result<std::vector<promql::InstantSample>> queryForRule(const promql::Expr &expr, const SeriesSource &source,
                                                        std::int64_t tMs, const promql::EvalOptions &opts);

class AlertingRule {
public:
    AlertingRule(RuleSpec spec, RuleEvalOptions opts);

    // One evaluation at tMs. Returns the ALERTS / ALERTS_FOR_STATE samples to write (empty
    // when disabled). `limit` > 0 caps pending + firing alerts; exceeding it clears them
    // all and is an error, as in Prometheus.
    Result<std::vector<promql::InstantSample>> eval(const SeriesSource &source, std::int64_t tMs, int limit);

    const RuleSpec &spec() const { return m_spec; }
    // Pending and firing alerts, sorted by labels.
    std::vector<Alert> activeAlerts() const;
    // Also the resolved ones still retained.
    std::vector<Alert> allAlerts() const;
    // The rule's state: firing if any alert fires, else pending if any is pending.
    AlertState state() const;

private:
    RuleSpec m_spec;
    RuleEvalOptions m_opts;
    std::map<Labels, Alert> m_active;
};

} // namespace opsdeck::telemetry::rules
