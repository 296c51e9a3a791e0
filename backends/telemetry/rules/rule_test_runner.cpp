#include "rule_test_runner.h"
#include "../go_quote.h"

#include "duration.h"
#include "go_format.h"
#include "memory_series.h"
#include "rule_group.h"
#include "series_notation.h"

#include <algorithm>
#include <map>
#include <set>

namespace opsdeck::telemetry::rules {

namespace {

// labels.Labels.String(): {a="1", b="2"}, the metric name as a plain label.
std::string labelsString(const std::vector<Label> &labels)
{
    std::string out = "{";
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i > 0)
            out += ", ";
        out += labels[i].first + "=" + goQuote(labels[i].second);
    }
    return out + "}";
}

std::string indentLines(const std::string &lines, const std::string &indent)
{
    std::string out;
    std::size_t start = 0;
    bool first = true;
    for (;;) {
        const std::size_t nl = lines.find('\n', start);
        if (!first)
            out += indent;
        first = false;
        out += lines.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        if (nl == std::string::npos)
            break;
        out += '\n';
        start = nl + 1;
    }
    return out;
}

using LabelsAndAnnotations = std::pair<std::vector<Label>, std::vector<Label>>;

std::string alertsString(const std::vector<LabelsAndAnnotations> &alerts)
{
    if (alerts.empty())
        return "[]";
    std::string out = "[";
    for (std::size_t i = 0; i < alerts.size(); ++i) {
        out += i == 0 ? "\n" : ",\n";
        const std::string one = "Labels:" + labelsString(alerts[i].first) +
                                "\nAnnotations:" + labelsString(alerts[i].second);
        out += std::to_string(i) + ":" + indentLines("\n" + one, "  ");
    }
    return out + "\n]";
}

using Sample = std::pair<Labels, double>;

std::string samplesString(const std::vector<Sample> &samples)
{
    if (samples.empty())
        return "nil";
    std::string out;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        if (i > 0)
            out += ", ";
        out += labelsString(samples[i].first.items()) + " " + goFormatFloatE(samples[i].second);
    }
    return out;
}

bool sameSamples(const std::vector<Sample> &a, const std::vector<Sample> &b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!(a[i].first == b[i].first) || !(a[i].second == b[i].second)) // NaN never equal, as in Go
            return false;
    return true;
}

std::vector<RuleGroupSpec> orderedGroups(std::vector<RuleGroupSpec> groups, const std::vector<std::string> &order)
{
    // Groups named in group_eval_order run in that order; the rest keep file order first.
    const auto rank = [&](const RuleGroupSpec &g) -> std::size_t {
        const auto it = std::find(order.begin(), order.end(), g.name);
        return it == order.end() ? 0 : static_cast<std::size_t>(it - order.begin());
    };
    std::stable_sort(groups.begin(), groups.end(),
                     [&](const RuleGroupSpec &a, const RuleGroupSpec &b) { return rank(a) < rank(b); });
    return groups;
}

} // namespace

std::vector<std::string> runRuleTestGroup(const RuleTestFile &file, const RuleTestGroup &tg)
{
    std::vector<std::string> errs;

    MemorySeries storage;
    for (const InputSeries &in : tg.inputSeries)
        for (std::size_t i = 0; i < in.values.size(); ++i)
            if (in.values[i])
                storage.append(in.labels, static_cast<std::int64_t>(i) * tg.intervalMs, *in.values[i]);

    std::vector<RuleGroupSpec> specs;
    for (const std::string &path : file.ruleFiles) {
        RuleFileParse parsed = loadRuleFile(path);
        if (!parsed.ok()) {
            errs.insert(errs.end(), parsed.errors.begin(), parsed.errors.end());
            continue;
        }
        for (RuleGroupSpec &g : parsed.file.groups)
            specs.push_back(std::move(g));
    }
    if (!errs.empty())
        return errs;

    RuleEvalOptions opts;
    // promtool: subqueries without a step use the evaluation interval
    opts.promql.defaultSubqueryStepMs = file.evaluationIntervalMs;
    opts.externalLabels = tg.externalLabels;
    opts.externalUrl = tg.externalUrl;
    std::vector<RuleGroup> groups;
    for (RuleGroupSpec &g : orderedGroups(std::move(specs), file.groupEvalOrder))
        groups.emplace_back(std::move(g), tg.intervalMs, opts);

    std::map<std::int64_t, std::vector<const AlertTestCase *>> alertTests;
    for (const AlertTestCase &a : tg.alertRuleTests) {
        if (a.alertname.empty())
            return {"an item under alert_rule_test misses required attribute alertname at eval_time " +
                    formatDuration(a.evalTimeMs) + (tg.name.empty() ? "" : " (in TestGroup " + tg.name + ")")};
        alertTests[a.evalTimeMs].push_back(&a);
    }

    const std::int64_t evalInterval = file.evaluationIntervalMs;
    const std::int64_t maxT = tg.maxEvalTimeMs();
    auto nextAlertTime = alertTests.begin();
    for (std::int64_t ts = 0; ts <= maxT; ts += evalInterval) {
        storage.setVisibleUntil(ts);
        std::vector<std::string> evalErrs;
        for (RuleGroup &g : groups) {
            g.evaluate(storage, storage, ts);
            for (const RuleRuntime &r : g.rules())
                if (!r.lastError.empty())
                    evalErrs.push_back("    rule: " + r.spec.name + ", time: " + formatGoDuration(ts) +
                                       ", err: " + r.lastError);
        }
        if (!evalErrs.empty()) {
            errs.insert(errs.end(), evalErrs.begin(), evalErrs.end());
            return errs;
        }
        // Alert tests whose eval_time falls in [ts, ts + interval) compare with this evaluation.
        for (; nextAlertTime != alertTests.end() && nextAlertTime->first >= ts &&
               nextAlertTime->first < ts + evalInterval;
             ++nextAlertTime) {
            for (const AlertTestCase *tc : nextAlertTime->second) {
                std::vector<LabelsAndAnnotations> got;
                for (const RuleGroup &g : groups)
                    for (const RuleRuntime &r : g.rules())
                        if (r.alerting && r.spec.name == tc->alertname)
                            for (const Alert &a : r.alerting->activeAlerts())
                                if (a.state == AlertState::Firing)
                                    got.emplace_back(a.labels.items(), a.annotations);
                std::vector<LabelsAndAnnotations> exp;
                for (const ExpectedAlert &e : tc->expAlerts) {
                    // Go's labels.FromMap keeps empty values; Labels drops them, so rebuild.
                    std::vector<Label> withEmpty = e.labels;
                    std::erase_if(withEmpty, [](const Label &l) { return l.first == "alertname"; });
                    withEmpty.emplace_back("alertname", tc->alertname);
                    std::sort(withEmpty.begin(), withEmpty.end());
                    exp.emplace_back(withEmpty, e.annotations);
                }
                std::sort(got.begin(), got.end());
                std::sort(exp.begin(), exp.end());
                if (got != exp) {
                    const std::string name = tg.name.empty() ? "" : "    name: " + tg.name + ",\n";
                    errs.push_back(name + "    alertname: " + tc->alertname + ", time: " +
                                   formatDuration(tc->evalTimeMs) + ", \n        exp:" +
                                   indentLines(alertsString(exp), "            ") + ", \n        got:" +
                                   indentLines(alertsString(got), "            "));
                }
            }
        }
    }

    for (const PromqlTestCase &tc : tg.promqlExprTests) {
        const std::string where = "    expr: " + goQuote(tc.expr) + ", time: " + formatDuration(tc.evalTimeMs);
        auto expr = promql::parse(tc.expr);
        if (!expr) {
            errs.push_back(where + ", err: " + expr.error());
            continue;
        }
        auto result = queryForRule(*expr, storage, tc.evalTimeMs, opts.promql);
        if (!result) {
            errs.push_back(where + ", err: " + result.error());
            continue;
        }
        std::vector<Sample> got;
        for (const auto &s : *result)
            got.emplace_back(s.metric, s.value);
        std::vector<Sample> exp;
        bool bad = false;
        for (const ExpectedSample &e : tc.expSamples) {
            auto labels = parseSeriesLabels(e.labels);
            if (!labels) {
                errs.push_back(where + ", err: labels " + goQuote(e.labels) + ": " + labels.error());
                bad = true;
                break;
            }
            exp.emplace_back(*labels, e.value);
        }
        if (bad)
            continue;
        const auto byLabels = [](const Sample &a, const Sample &b) { return a.first < b.first; };
        std::stable_sort(got.begin(), got.end(), byLabels);
        std::stable_sort(exp.begin(), exp.end(), byLabels);
        if (!sameSamples(exp, got))
            errs.push_back(where + ",\n        exp: " + samplesString(exp) + "\n        got: " + samplesString(got));
    }
    return errs;
}

std::vector<std::string> runRuleTestFile(const std::string &path)
{
    auto file = loadRuleTestFile(path);
    if (!file)
        return {file.error()};
    std::set<std::string> seen;
    for (const std::string &g : file->groupEvalOrder)
        if (!seen.insert(g).second)
            return {"group name repeated in evaluation order: " + g};
    std::vector<std::string> errs;
    for (const RuleTestGroup &tg : file->tests) {
        auto groupErrs = runRuleTestGroup(*file, tg);
        errs.insert(errs.end(), groupErrs.begin(), groupErrs.end());
    }
    return errs;
}

} // namespace opsdeck::telemetry::rules
