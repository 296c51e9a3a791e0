#include "rule_test_file.h"

#include "duration.h"
#include "series_notation.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <glob.h>
#include <sstream>

namespace opsdeck::telemetry::rules {

std::int64_t RuleTestGroup::maxEvalTimeMs() const
{
    std::int64_t m = 0;
    for (const auto &a : alertRuleTests)
        m = std::max(m, a.evalTimeMs);
    for (const auto &p : promqlExprTests)
        m = std::max(m, p.evalTimeMs);
    return m;
}

namespace {

// Decoding errors are collected like yaml.v2's UnmarshalStrict; a bad duration or value
// notation stops at once with its own message.
struct Decoder {
    std::vector<std::string> unmarshal;
    std::string fatal;

    std::string line(const YAML::Node &n) const { return "line " + std::to_string(n.Mark().line + 1); }

    bool fields(const YAML::Node &n, std::initializer_list<std::string_view> known, const char *goType)
    {
        if (!n.IsDefined() || n.IsNull())
            return false;
        if (!n.IsMap()) {
            unmarshal.push_back(line(n) + ": cannot unmarshal " + (n.IsSequence() ? "!!seq" : "!!str") + " `" +
                                (n.IsScalar() ? n.Scalar() : std::string("...")) + "` into " + goType);
            return false;
        }
        for (const auto &kv : n) {
            const auto key = kv.first.as<std::string>();
            if (std::find(known.begin(), known.end(), key) == known.end())
                unmarshal.push_back(line(kv.first) + ": field " + key + " not found in type " + goType);
        }
        return true;
    }

    std::string str(const YAML::Node &n)
    {
        if (!n.IsDefined() || n.IsNull())
            return {};
        if (!n.IsScalar()) {
            unmarshal.push_back(line(n) + ": cannot unmarshal " + (n.IsMap() ? "!!map" : "!!seq") + " into string");
            return {};
        }
        return n.Scalar();
    }

    std::int64_t duration(const YAML::Node &n)
    {
        const std::string s = str(n);
        if (s.empty())
            return 0;
        auto d = parseDuration(s);
        if (!d && fatal.empty())
            fatal = d.error();
        return d ? *d : 0;
    }

    double number(const YAML::Node &n)
    {
        const std::string s = str(n);
        if (s.empty())
            return 0;
        std::string lower;
        for (char c : s)
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == ".nan")
            return std::nan("");
        if (lower == ".inf" || lower == "+.inf")
            return INFINITY;
        if (lower == "-.inf")
            return -INFINITY;
        char *end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        if (*end != '\0') {
            unmarshal.push_back(line(n) + ": cannot unmarshal !!str `" + s + "` into float64");
            return 0;
        }
        return v;
    }

    std::vector<std::string> strings(const YAML::Node &n)
    {
        std::vector<std::string> out;
        if (!n.IsDefined() || n.IsNull())
            return out;
        if (!n.IsSequence()) {
            unmarshal.push_back(line(n) + ": cannot unmarshal !!" + (n.IsMap() ? "map" : "str") + " into []string");
            return out;
        }
        for (const auto &item : n)
            out.push_back(str(item));
        return out;
    }

    std::vector<Label> stringMap(const YAML::Node &n)
    {
        std::vector<Label> out;
        if (!n.IsDefined() || n.IsNull())
            return out;
        if (!n.IsMap()) {
            unmarshal.push_back(line(n) + ": cannot unmarshal into map[string]string");
            return out;
        }
        for (const auto &kv : n)
            out.emplace_back(kv.first.as<std::string>(), str(kv.second));
        std::sort(out.begin(), out.end());
        return out;
    }

    template <typename F>
    void each(const YAML::Node &n, const char *goType, F &&f)
    {
        if (!n.IsDefined() || n.IsNull())
            return;
        if (!n.IsSequence()) {
            unmarshal.push_back(line(n) + ": cannot unmarshal into []" + goType);
            return;
        }
        for (const auto &item : n)
            f(item);
    }
};

std::vector<std::string> resolveRuleFiles(const std::vector<std::string> &patterns, const std::string &testPath)
{
    namespace fs = std::filesystem;
    const fs::path base = fs::path(testPath).parent_path();
    std::vector<std::string> out;
    for (const std::string &p : patterns) {
        const std::string full = fs::path(p).is_absolute() || base.empty() ? p : (base / p).string();
        glob_t g{};
        if (::glob(full.c_str(), 0, nullptr, &g) == 0) {
            for (std::size_t i = 0; i < g.gl_pathc; ++i)
                out.emplace_back(g.gl_pathv[i]);
        } else {
            out.push_back(full); // nonexistent: the load reports it
        }
        globfree(&g);
    }
    return out;
}

} // namespace

namespace {
Result<RuleTestFile> parseUnchecked(const std::string &yamlText, const std::string &path);
}

Result<RuleTestFile> parseRuleTestFile(const std::string &yamlText, const std::string &path)
{
    try {
        return parseUnchecked(yamlText, path);
    } catch (const YAML::Exception &e) {
        return Error{"yaml: line " + std::to_string(e.mark.line + 1) + ": " + e.msg};
    }
}

namespace {
Result<RuleTestFile> parseUnchecked(const std::string &yamlText, const std::string &path)
{
    YAML::Node root;
    try {
        root = YAML::Load(yamlText);
    } catch (const YAML::Exception &e) {
        return Error{"yaml: line " + std::to_string(e.mark.line + 1) + ": " + e.msg};
    }
    Decoder dec;
    RuleTestFile file;
    file.path = path;
    if (dec.fields(root, {"rule_files", "evaluation_interval", "group_eval_order", "tests"}, "main.unitTestFile")) {
        file.ruleFiles = dec.strings(root["rule_files"]);
        if (const auto d = dec.duration(root["evaluation_interval"]); d > 0)
            file.evaluationIntervalMs = d;
        file.groupEvalOrder = dec.strings(root["group_eval_order"]);
        dec.each(root["tests"], "main.testGroup", [&](const YAML::Node &t) {
            RuleTestGroup group;
            if (!dec.fields(t, {"interval", "input_series", "alert_rule_test", "promql_expr_test",
                                "external_labels", "external_url", "name"},
                            "main.testGroup"))
                return;
            group.intervalMs = dec.duration(t["interval"]);
            group.name = dec.str(t["name"]);
            group.externalUrl = dec.str(t["external_url"]);
            group.externalLabels = Labels(dec.stringMap(t["external_labels"]));
            dec.each(t["input_series"], "main.series", [&](const YAML::Node &s) {
                if (!dec.fields(s, {"series", "values"}, "main.series"))
                    return;
                InputSeries in;
                in.series = dec.str(s["series"]);
                const std::string values = dec.str(s["values"]);
                auto labels = parseSeriesLabels(in.series);
                auto parsed = parseSeriesValues(values);
                if (!labels && dec.fatal.empty())
                    dec.fatal = labels.error();
                if (labels && !parsed && dec.fatal.empty())
                    dec.fatal = parsed.error();
                if (labels && parsed) {
                    in.labels = *labels;
                    in.values = *parsed;
                }
                group.inputSeries.push_back(std::move(in));
            });
            dec.each(t["alert_rule_test"], "main.alertTestCase", [&](const YAML::Node &a) {
                if (!dec.fields(a, {"eval_time", "alertname", "exp_alerts"}, "main.alertTestCase"))
                    return;
                AlertTestCase tc;
                tc.evalTimeMs = dec.duration(a["eval_time"]);
                tc.alertname = dec.str(a["alertname"]);
                dec.each(a["exp_alerts"], "main.alert", [&](const YAML::Node &e) {
                    ExpectedAlert exp;
                    if (dec.fields(e, {"exp_labels", "exp_annotations"}, "main.alert")) {
                        exp.labels = dec.stringMap(e["exp_labels"]);
                        exp.annotations = dec.stringMap(e["exp_annotations"]);
                    }
                    tc.expAlerts.push_back(std::move(exp));
                });
                group.alertRuleTests.push_back(std::move(tc));
            });
            dec.each(t["promql_expr_test"], "main.promqlTestCase", [&](const YAML::Node &p) {
                if (!dec.fields(p, {"expr", "eval_time", "exp_samples"}, "main.promqlTestCase"))
                    return;
                PromqlTestCase tc;
                tc.expr = dec.str(p["expr"]);
                tc.evalTimeMs = dec.duration(p["eval_time"]);
                dec.each(p["exp_samples"], "main.sample", [&](const YAML::Node &s) {
                    ExpectedSample exp;
                    if (dec.fields(s, {"labels", "value"}, "main.sample")) {
                        exp.labels = dec.str(s["labels"]);
                        exp.value = dec.number(s["value"]);
                    }
                    tc.expSamples.push_back(std::move(exp));
                });
                group.promqlExprTests.push_back(std::move(tc));
            });
            file.tests.push_back(std::move(group));
        });
    }
    if (!dec.fatal.empty())
        return Error{dec.fatal};
    if (!dec.unmarshal.empty()) {
        std::string msg = "yaml: unmarshal errors:";
        for (const auto &e : dec.unmarshal)
            msg += "\n  " + e;
        return Error{msg};
    }
    file.ruleFiles = resolveRuleFiles(file.ruleFiles, path);
    for (RuleTestGroup &g : file.tests)
        if (g.intervalMs == 0)
            g.intervalMs = file.evaluationIntervalMs;
    return file;
}
} // namespace

Result<RuleTestFile> loadRuleTestFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{"open " + path + ": no such file or directory"};
    std::ostringstream text;
    text << in.rdbuf();
    return parseRuleTestFile(text.str(), path);
}

} // namespace opsdeck::telemetry::rules
