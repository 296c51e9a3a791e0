#pragma once
// Prometheus rule files: groups of alerting and recording rules, loaded from YAML and
// validated as `promtool check rules` validates them. Every problem is reported as
// "file: line:col: group "g", rule N, "name": reason", the way promtool words it.
#include "../exposition.h"
#include "../labels.h"
#include "../promql/promql.h"
#include "../result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace opsdeck::telemetry::rules {

struct RuleSpec {
    enum class Kind { Alerting, Recording };
    Kind kind = Kind::Alerting;
    std::string name;      // the `alert` or `record` value
    std::string exprText;  // as written
    promql::Expr expr;     // parsed
    std::int64_t forMs = 0;
    std::int64_t keepFiringForMs = 0;
    std::vector<Label> labels;      // sorted by name; values may hold templates
    std::vector<Label> annotations; // sorted by name; values may hold templates
    int line = 0;                   // 1-based position of the rule in its file
    int column = 0;
};

struct RuleGroupSpec {
    std::string name;
    std::string file;
    std::int64_t intervalMs = 0; // 0: use the evaluator's default interval
    int limit = 0;               // 0: no limit on alerts / series per rule
    std::vector<RuleSpec> rules;
};

struct RuleFile {
    std::string path;
    std::vector<RuleGroupSpec> groups;
    std::size_t ruleCount() const;
};

// All problems found, each a complete line; empty when the file is valid.
struct RuleFileParse {
    RuleFile file;
    std::vector<std::string> errors;
    bool ok() const { return errors.empty(); }
};

// `displayName` prefixes every error ("rules.yml: 5:15: ..."), as promtool prints the
// path it was given.
RuleFileParse parseRuleFile(std::string_view yamlText, const std::string &displayName);
RuleFileParse loadRuleFile(const std::string &path);

// Prometheus's name checks live with the exposition format; rule files use the same.
using telemetry::isValidLabelName;
using telemetry::isValidMetricName;

} // namespace opsdeck::telemetry::rules
