#pragma once
// Regular expressions with Prometheus semantics: fully anchored, RE2-ish syntax mapped
// onto std::regex (ECMAScript). Supports a leading (?i) flag and (?P<name>...) groups,
// which label_replace needs for $name references.
#include "../result.h"

#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace opsdeck::telemetry::promql {

class AnchoredRegex {
public:
    // Error text follows Go's: "error parsing regexp: <why>: `<pattern>`".
    static Result<std::shared_ptr<const AnchoredRegex>> compile(std::string_view pattern);

    bool matches(std::string_view s) const;
    // Full match with capture groups (group 0 = whole string); false when no match.
    bool match(std::string_view s, std::vector<std::string> &groups) const;
    // Go regexp.Expand: $1, ${1}, $name, ${name}, $$. Unknown groups expand to "".
    std::string expand(std::string_view templ, const std::vector<std::string> &groups) const;

    const std::string &pattern() const { return m_pattern; }

private:
    std::string m_pattern;
    std::regex m_re;
    std::vector<std::string> m_groupNames; // index i -> name of group i+1 ("" if unnamed)
};

} // namespace opsdeck::telemetry::promql
