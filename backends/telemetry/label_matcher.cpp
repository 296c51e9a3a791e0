#include "label_matcher.h"

#include <mutex>
#include <string>
#include <unordered_map>

namespace opsdeck::telemetry {

namespace {

// Process-wide so that every store, rule group and query shares compiled patterns.
// Bounded: rule files hold a few hundred patterns; ad-hoc queries could hold more.
class RegexCache {
public:
    static RegexCache &instance()
    {
        static RegexCache cache;
        return cache;
    }

    Result<std::shared_ptr<const std::regex>> get(const std::string &pattern)
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_cache.find(pattern); it != m_cache.end())
            return it->second;
        std::string body = pattern;
        auto flags = std::regex::ECMAScript | std::regex::optimize;
        if (body.starts_with("(?i)")) {
            body.erase(0, 4);
            flags |= std::regex::icase;
        }
        std::shared_ptr<const std::regex> re;
        try {
            re = std::make_shared<const std::regex>("^(?:" + body + ")$", flags);
        } catch (const std::regex_error &e) {
            return Error{"invalid regular expression \"" + pattern + "\": " + e.what()};
        }
        if (m_cache.size() >= kMaxEntries)
            m_cache.clear(); // crude but bounded; a hot pattern is recompiled once
        m_cache.emplace(pattern, re);
        return re;
    }

private:
    static constexpr std::size_t kMaxEntries = 4096;
    std::mutex m_mutex;
    std::unordered_map<std::string, std::shared_ptr<const std::regex>> m_cache;
};

bool hasRegexMeta(std::string_view s)
{
    return s.find_first_of(".+*?()[]{}|^$\\") != std::string_view::npos;
}

} // namespace

Result<CompiledMatcher> CompiledMatcher::compile(const LabelMatcher &matcher)
{
    CompiledMatcher m;
    m.m_spec = matcher;
    using Op = LabelMatcher::Op;
    m.m_negate = matcher.op == Op::NotEqual || matcher.op == Op::RegexNoMatch;
    const bool isRegex = matcher.op == Op::RegexMatch || matcher.op == Op::RegexNoMatch;
    if (!isRegex || !hasRegexMeta(matcher.value)) {
        m.m_kind = Kind::Literal;
    } else if (matcher.value == ".*") {
        m.m_kind = Kind::Any;
    } else if (matcher.value == ".+") {
        m.m_kind = Kind::NonEmpty;
    } else {
        auto re = RegexCache::instance().get(matcher.value);
        if (!re)
            return Error{re.error()};
        m.m_kind = Kind::Regex;
        m.m_regex = *re;
    }
    m.m_matchesEmpty = m.rawMatch("") != m.m_negate;
    return m;
}

bool CompiledMatcher::rawMatch(std::string_view value) const
{
    switch (m_kind) {
    case Kind::Literal:
        return value == m_spec.value;
    case Kind::Any:
        // the commonest regex by far; label values practically never hold newlines,
        // the one thing '.' would not match
        return true;
    case Kind::NonEmpty:
        return !value.empty();
    case Kind::Regex:
        return std::regex_match(value.begin(), value.end(), *m_regex);
    }
    return false;
}

bool CompiledMatcher::matches(std::string_view value) const { return rawMatch(value) != m_negate; }

Result<CompiledMatchers> compileMatchers(const std::vector<LabelMatcher> &matchers)
{
    CompiledMatchers out;
    out.reserve(matchers.size());
    for (const LabelMatcher &m : matchers) {
        auto compiled = CompiledMatcher::compile(m);
        if (!compiled)
            return Error{compiled.error()};
        out.push_back(std::move(*compiled));
    }
    return out;
}

bool matchesAll(const CompiledMatchers &matchers, const Labels &labels)
{
    for (const CompiledMatcher &m : matchers)
        if (!m.matches(labels))
            return false;
    return true;
}

} // namespace opsdeck::telemetry
