#pragma once
// LabelMatcher (series_source.h) made ready to test values, with Prometheus semantics:
// a missing label has the value "", so `{x!=""}` means "has x" and `{x=~""}` "lacks x";
// regexes are fully anchored (`job=~"api"` does not match "api-gateway").
// Regexes use std::regex (ECMAScript), which covers the RE2 syntax rule files use
// (classes, alternation, repetition, \d \w \s); a leading "(?i)" is honoured as
// case-insensitive. Compiled regexes are shared through a process-wide cache, so
// evaluating the same rule every 15 s does not recompile them.
#include "labels.h"
#include "result.h"
#include "series_source.h"

#include <memory>
#include <regex>
#include <string_view>
#include <vector>

namespace opsdeck::telemetry {

class CompiledMatcher {
public:
    // Fails with `invalid regular expression "(": <reason>` for a bad pattern.
    static Result<CompiledMatcher> compile(const LabelMatcher &matcher);

    const LabelMatcher &spec() const { return m_spec; }
    bool matches(std::string_view value) const;
    bool matches(const Labels &labels) const { return matches(labels.get(m_spec.name)); }
    // True when a series without this label satisfies the matcher.
    bool matchesEmpty() const { return m_matchesEmpty; }

private:
    // How the value test runs; literal and ".*"-style patterns skip the regex engine.
    enum class Kind { Literal, Any, NonEmpty, Regex };

    bool rawMatch(std::string_view value) const; // before negation
    LabelMatcher m_spec;
    Kind m_kind = Kind::Literal;
    bool m_negate = false;
    bool m_matchesEmpty = false;
    std::shared_ptr<const std::regex> m_regex;
};

using CompiledMatchers = std::vector<CompiledMatcher>;

Result<CompiledMatchers> compileMatchers(const std::vector<LabelMatcher> &matchers);
bool matchesAll(const CompiledMatchers &matchers, const Labels &labels);

} // namespace opsdeck::telemetry
