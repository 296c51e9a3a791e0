#include "rule_group.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <unordered_set>

namespace opsdeck::telemetry::rules {

namespace {

struct LabelsPtrHash {
    std::size_t operator()(const Labels *l) const { return l->hash(); }
};
struct LabelsPtrEq {
    bool operator()(const Labels *a, const Labels *b) const { return *a == *b; }
};

Result<std::vector<promql::InstantSample>> evalRecordingRule(const RuleSpec &spec, const SeriesSource &source,
                                                             std::int64_t tMs, int limit,
                                                             const promql::EvalOptions &opts)
{
    auto result = queryForRule(spec.expr, source, tMs, opts);
    if (!result)
        return result;
    // Pointers into the result: a per-pod rule returns 10k+ series, not worth copying.
    std::unordered_set<const Labels *, LabelsPtrHash, LabelsPtrEq> seen;
    seen.reserve(result->size());
    for (promql::InstantSample &s : *result) {
        s.metric.set("__name__", spec.name);
        for (const auto &[name, value] : spec.labels)
            s.metric.set(name, value);
        if (!seen.insert(&s.metric).second)
            return Error{"vector contains metrics with the same labelset after applying rule labels"};
    }
    if (limit > 0 && static_cast<int>(result->size()) > limit)
        return Error{"exceeded limit of " + std::to_string(limit) + " with " + std::to_string(result->size()) +
                     " series"};
    return result;
}

} // namespace

RuleGroup::RuleGroup(RuleGroupSpec spec, std::int64_t defaultIntervalMs, RuleEvalOptions opts)
    : m_spec(std::move(spec)), m_intervalMs(m_spec.intervalMs > 0 ? m_spec.intervalMs : defaultIntervalMs)
{
    for (const RuleSpec &r : m_spec.rules) {
        RuleRuntime rt;
        rt.spec = r;
        if (r.kind == RuleSpec::Kind::Alerting)
            rt.alerting = std::make_unique<AlertingRule>(r, opts);
        m_rules.push_back(std::move(rt));
    }
    m_promqlOptions = opts.promql;
}

void RuleGroup::evaluate(const SeriesSource &source, SampleSink &sink, std::int64_t tMs)
{
    for (RuleRuntime &rule : m_rules) {
        rule.lastEvaluationMs = tMs;
        auto samples = rule.alerting ? rule.alerting->eval(source, tMs, m_spec.limit)
                                     : evalRecordingRule(rule.spec, source, tMs, m_spec.limit, m_promqlOptions);
        if (!samples) {
            rule.lastError = samples.error();
            continue; // Prometheus keeps the previous series set: no staleness markers
        }
        rule.lastError.clear();
        // The samples are done with once written: move their labels (no copy per series)
        // and build the set from a sorted run (hinted inserts, no tree searches).
        std::vector<Labels> returnedList;
        returnedList.reserve(samples->size());
        for (promql::InstantSample &s : *samples) {
            sink.append(s.metric, tMs, s.value);
            returnedList.push_back(std::move(s.metric));
        }
        if (!std::is_sorted(returnedList.begin(), returnedList.end())) // queries return sorted vectors
            std::sort(returnedList.begin(), returnedList.end());
        // Both runs are sorted: one merge walk finds the series that went away.
        auto next = returnedList.begin();
        for (const Labels &old : rule.seriesInPreviousEval) {
            while (next != returnedList.end() && *next < old)
                ++next;
            if (next == returnedList.end() || old < *next)
                sink.append(old, tMs, staleNaN());
        }
        rule.seriesInPreviousEval = std::set<Labels>(std::make_move_iterator(returnedList.begin()),
                                                     std::make_move_iterator(returnedList.end()));
    }
    m_lastEvaluationMs = tMs;
}

std::vector<Alert> RuleGroup::activeAlerts() const
{
    std::vector<Alert> out;
    for (const RuleRuntime &r : m_rules)
        if (r.alerting)
            for (Alert &a : r.alerting->activeAlerts())
                out.push_back(std::move(a));
    return out;
}

std::vector<Alert> RuleGroup::allAlerts() const
{
    std::vector<Alert> out;
    for (const RuleRuntime &r : m_rules)
        if (r.alerting)
            for (Alert &a : r.alerting->allAlerts())
                out.push_back(std::move(a));
    return out;
}

RuleEvaluator::RuleEvaluator(std::int64_t defaultIntervalMs, RuleEvalOptions opts)
    : m_defaultIntervalMs(defaultIntervalMs > 0 ? defaultIntervalMs : 60'000), m_opts(std::move(opts))
{
    // As in Prometheus, a subquery without a step (`x[30m:]`) uses the evaluation interval.
    m_opts.promql.defaultSubqueryStepMs = m_defaultIntervalMs;
}

void RuleEvaluator::addFile(const RuleFile &file)
{
    for (const RuleGroupSpec &g : file.groups)
        addGroup(g);
}

void RuleEvaluator::addGroup(const RuleGroupSpec &group) { m_groups.emplace_back(group, m_defaultIntervalMs, m_opts); }

std::int64_t RuleEvaluator::nextEvaluation(const RuleGroup &g) const
{
    if (g.lastEvaluationMs())
        return *g.lastEvaluationMs() + g.intervalMs();
    const std::int64_t i = g.intervalMs();
    const std::int64_t floor = m_startMs >= 0 ? m_startMs / i * i : -((-m_startMs + i - 1) / i) * i;
    return floor < m_startMs ? floor + i : floor;
}

std::size_t RuleEvaluator::advanceTo(const SeriesSource &source, SampleSink &sink, std::int64_t nowMs)
{
    // Walk time forward so that group A at t runs before group B at t + interval, as
    // wall-clock Prometheus would.
    std::size_t runs = 0;
    for (;;) {
        std::optional<std::int64_t> earliest;
        for (const RuleGroup &g : m_groups) {
            const std::int64_t next = nextEvaluation(g);
            if (next <= nowMs && (!earliest || next < *earliest))
                earliest = next;
        }
        if (!earliest)
            return runs;
        for (RuleGroup &g : m_groups) {
            const std::int64_t next = nextEvaluation(g);
            if (next == *earliest) {
                g.evaluate(source, sink, next);
                ++runs;
            }
        }
    }
}

std::vector<Alert> RuleEvaluator::activeAlerts() const
{
    std::vector<Alert> out;
    for (const RuleGroup &g : m_groups)
        for (Alert &a : g.activeAlerts())
            out.push_back(std::move(a));
    return out;
}

std::vector<Alert> RuleEvaluator::allAlerts() const
{
    std::vector<Alert> out;
    for (const RuleGroup &g : m_groups)
        for (Alert &a : g.allAlerts())
            out.push_back(std::move(a));
    return out;
}

} // namespace opsdeck::telemetry::rules
