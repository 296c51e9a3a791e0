#pragma once
// Alertmanager label matchers (=, !=, =~, !~) as used by silences, inhibit rules and
// the console's filters: parsing and printing in Alertmanager's syntax on top of the
// telemetry CompiledMatcher, so alerts and PromQL agree on what a matcher means
// (fully anchored regexes, missing label == "", std::regex standing in for RE2).
#include "backends/telemetry/label_matcher.h"
#include "backends/telemetry/labels.h"
#include "backends/telemetry/result.h"
#include "backends/telemetry/series_source.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsdeck::telemetry::alerting {

class Matcher {
public:
    using Op = LabelMatcher::Op;

    // Validates the name and compiles a regex; the error says which matcher and why.
    static Result<Matcher> create(std::string name, Op op, std::string value);
    // One matcher in Alertmanager syntax: name="value", name!=value, name=~"re", name!~"re".
    static Result<Matcher> parse(std::string_view text);

    bool matches(const Labels &labels) const;
    bool matchesValue(const std::string &value) const;

    const std::string &name() const { return m_name; }
    Op op() const { return m_op; }
    const std::string &value() const { return m_value; }
    bool isRegex() const { return m_op == Op::RegexMatch || m_op == Op::RegexNoMatch; }
    bool isEqual() const { return m_op == Op::Equal || m_op == Op::RegexMatch; }
    // `name=~"value"` as amtool prints it.
    std::string toString() const;

    friend bool operator==(const Matcher &a, const Matcher &b)
    {
        return a.m_name == b.m_name && a.m_op == b.m_op && a.m_value == b.m_value;
    }

private:
    Matcher(std::string name, Op op, std::string value, CompiledMatcher compiled)
        : m_name(std::move(name)), m_op(op), m_value(std::move(value)), m_compiled(std::move(compiled))
    {
    }

    std::string m_name;
    Op m_op = Op::Equal;
    std::string m_value;
    CompiledMatcher m_compiled; // its regex is shared: matchers are copied freely
};

using Matchers = std::vector<Matcher>;

// [a-zA-Z_][a-zA-Z0-9_]*, as Alertmanager 0.25 requires of label names.
bool isValidLabelName(std::string_view name);

// All matchers match (an empty list matches everything, as in Alertmanager).
bool matchesAll(const Matchers &matchers, const Labels &labels);
// `{a="1", b=~"x.*"}` or `a="1",b=~"x.*"` (braces optional), as amtool and the
// Alertmanager ?filter= parameter accept.
Result<Matchers> parseMatchers(std::string_view text);

} // namespace opsdeck::telemetry::alerting
