#pragma once
// Rule groups and their evaluation, as Prometheus's rules/group.go: every `interval`
// the rules of a group run in order at the same timestamp; a recording rule's output
// is written back at once, so later rules (and later groups) read it; series a rule
// stops producing get a staleness marker so queries stop seeing them immediately.
#include "../series_source.h"
#include "alerting_rule.h"
#include "rule_file.h"
#include "sample_sink.h"

#include <memory>
#include <set>

namespace opsdeck::telemetry::rules {

// One rule of a group with what its last evaluation left behind.
struct RuleRuntime {
    RuleSpec spec;
    std::unique_ptr<AlertingRule> alerting; // null for recording rules
    std::string lastError;                  // empty when the last evaluation succeeded
    std::optional<std::int64_t> lastEvaluationMs;
    std::set<Labels> seriesInPreviousEval;  // to write staleness markers
};

class RuleGroup {
public:
    RuleGroup(RuleGroupSpec spec, std::int64_t defaultIntervalMs, RuleEvalOptions opts = {});

    // Evaluates every rule at tMs, reading `source` and writing to `sink` (typically
    // the same storage, so recorded series are visible to the rules after them).
    void evaluate(const SeriesSource &source, SampleSink &sink, std::int64_t tMs);

    const std::string &name() const { return m_spec.name; }
    const std::string &file() const { return m_spec.file; }
    std::int64_t intervalMs() const { return m_intervalMs; }
    std::optional<std::int64_t> lastEvaluationMs() const { return m_lastEvaluationMs; }
    const std::vector<RuleRuntime> &rules() const { return m_rules; }

    // Pending and firing alerts of all alerting rules in the group, rule order.
    std::vector<Alert> activeAlerts() const;
    // Also alerts resolved within the last 15 minutes.
    std::vector<Alert> allAlerts() const;

private:
    RuleGroupSpec m_spec;
    std::int64_t m_intervalMs;
    std::vector<RuleRuntime> m_rules;
    std::optional<std::int64_t> m_lastEvaluationMs;
    promql::EvalOptions m_promqlOptions;
};

// Every group of a set of rule files, evaluated on simulated time. The console calls
// advanceTo(now) as the simulation clock moves; each group runs at every multiple of
// its interval that has passed since its previous run (the first at or after
// startAt(), default 0), in time order and, at equal times, in group order.
class RuleEvaluator {
public:
    explicit RuleEvaluator(std::int64_t defaultIntervalMs = 60'000, RuleEvalOptions opts = {});

    void addFile(const RuleFile &file);
    void addGroup(const RuleGroupSpec &group);
    // Groups not yet evaluated start at the first interval boundary at or after tMs.
    void startAt(std::int64_t tMs) { m_startMs = tMs; }

    // Returns how many group evaluations ran.
    std::size_t advanceTo(const SeriesSource &source, SampleSink &sink, std::int64_t nowMs);

    std::vector<RuleGroup> &groups() { return m_groups; }
    const std::vector<RuleGroup> &groups() const { return m_groups; }
    std::vector<Alert> activeAlerts() const;
    std::vector<Alert> allAlerts() const;

private:
    std::int64_t nextEvaluation(const RuleGroup &g) const;

    std::int64_t m_defaultIntervalMs;
    std::int64_t m_startMs = 0;
    RuleEvalOptions m_opts;
    std::vector<RuleGroup> m_groups;
};

} // namespace opsdeck::telemetry::rules
