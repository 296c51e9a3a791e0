#pragma once
// promtool's rule unit-test files (`promtool test rules`): which rule files to load,
// input series in expanding notation, and the alerts and PromQL results expected at
// given times. Parsing is strict as promtool's (unknown fields are errors).
#include "../labels.h"
#include "../result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace opsdeck::telemetry::rules {

struct InputSeries {
    std::string series; // as written, e.g. `up{job="a"}`
    Labels labels;
    std::vector<std::optional<double>> values; // one per test interval; nullopt = `_`
};

struct ExpectedAlert {
    std::vector<Label> labels;      // sorted
    std::vector<Label> annotations; // sorted
};

struct AlertTestCase {
    std::int64_t evalTimeMs = 0;
    std::string alertname;
    std::vector<ExpectedAlert> expAlerts;
};

struct ExpectedSample {
    std::string labels; // a series description, parsed when the test runs
    double value = 0;
};

struct PromqlTestCase {
    std::string expr;
    std::int64_t evalTimeMs = 0;
    std::vector<ExpectedSample> expSamples;
};

struct RuleTestGroup {
    std::string name;
    std::int64_t intervalMs = 0; // 0: the file's evaluation_interval
    std::vector<InputSeries> inputSeries;
    std::vector<AlertTestCase> alertRuleTests;
    std::vector<PromqlTestCase> promqlExprTests;
    Labels externalLabels;
    std::string externalUrl;
    std::int64_t maxEvalTimeMs() const;
};

struct RuleTestFile {
    std::string path;
    std::vector<std::string> ruleFiles; // resolved against the test file's directory
    std::int64_t evaluationIntervalMs = 60'000;
    std::vector<std::string> groupEvalOrder;
    std::vector<RuleTestGroup> tests;
};

// Errors read "yaml: unmarshal errors:\n  line N: ..." or name the bad field's position.
Result<RuleTestFile> parseRuleTestFile(const std::string &yamlText, const std::string &path);
Result<RuleTestFile> loadRuleTestFile(const std::string &path);

} // namespace opsdeck::telemetry::rules
