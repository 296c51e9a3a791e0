#include "regex.h"

#include <cctype>

namespace opsdeck::telemetry::promql {

namespace {

std::string goStyleError(std::regex_constants::error_type code, const std::regex_error &e)
{
    using namespace std::regex_constants;
    if (code == error_paren)
        return "missing closing )";
    if (code == error_brack)
        return "missing closing ]";
    if (code == error_badrepeat)
        return "missing argument to repetition operator";
    if (code == error_escape)
        return "invalid escape sequence";
    if (code == error_range)
        return "invalid character class range";
    return e.what();
}

} // namespace

Result<std::shared_ptr<const AnchoredRegex>> AnchoredRegex::compile(std::string_view pattern)
{
    auto re = std::make_shared<AnchoredRegex>();
    re->m_pattern = std::string(pattern);
    std::string_view p = pattern;
    auto flags = std::regex::ECMAScript;
    if (p.substr(0, 4) == "(?i)") {
        flags |= std::regex::icase;
        p.remove_prefix(4);
    }
    // Translate RE2-only group syntax and count capture groups as we go.
    std::string translated;
    translated.reserve(p.size() + 8);
    bool inClass = false;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const char c = p[i];
        if (c == '\\' && i + 1 < p.size()) {
            translated += c;
            translated += p[++i];
            continue;
        }
        if (inClass) {
            if (c == ']')
                inClass = false;
            translated += c;
            continue;
        }
        if (c == '[') {
            inClass = true;
            translated += c;
            if (i + 1 < p.size() && p[i + 1] == '^')
                translated += p[++i];
            if (i + 1 < p.size() && p[i + 1] == ']')
                translated += p[++i]; // a leading ] is literal in RE2
            continue;
        }
        if (c == '(') {
            if (p.substr(i, 4) == "(?P<" || p.substr(i, 3) == "(?<") {
                const std::size_t nameStart = i + (p[i + 2] == 'P' ? 4 : 3);
                const std::size_t close = p.find('>', nameStart);
                if (close == std::string_view::npos)
                    return Error{"error parsing regexp: invalid named capture: `" + std::string(pattern) + "`"};
                re->m_groupNames.emplace_back(p.substr(nameStart, close - nameStart));
                translated += '(';
                i = close;
                continue;
            }
            if (i + 1 < p.size() && p[i + 1] != '?')
                re->m_groupNames.emplace_back();
            else if (i + 1 >= p.size())
                re->m_groupNames.emplace_back();
        }
        translated += c;
    }
    try {
        re->m_re = std::regex("(?:" + translated + ")", flags | std::regex::optimize);
    } catch (const std::regex_error &e) {
        return Error{"error parsing regexp: " + goStyleError(e.code(), e) + ": `^(?:" +
                     std::string(pattern) + ")$`"};
    }
    return std::shared_ptr<const AnchoredRegex>(std::move(re));
}

bool AnchoredRegex::matches(std::string_view s) const
{
    return std::regex_match(s.begin(), s.end(), m_re);
}

bool AnchoredRegex::match(std::string_view s, std::vector<std::string> &groups) const
{
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_match(s.begin(), s.end(), m, m_re))
        return false;
    groups.clear();
    for (std::size_t i = 0; i < m.size(); ++i)
        groups.push_back(m[i].matched ? m[i].str() : std::string());
    return true;
}

std::string AnchoredRegex::expand(std::string_view templ, const std::vector<std::string> &groups) const
{
    auto isWordChar = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    std::string out;
    std::size_t i = 0;
    while (i < templ.size()) {
        const std::size_t dollar = templ.find('$', i);
        if (dollar == std::string_view::npos) {
            out += templ.substr(i);
            break;
        }
        out += templ.substr(i, dollar - i);
        i = dollar + 1;
        if (i < templ.size() && templ[i] == '$') {
            out += '$';
            ++i;
            continue;
        }
        const bool brace = i < templ.size() && templ[i] == '{';
        std::size_t j = brace ? i + 1 : i;
        const std::size_t nameStart = j;
        while (j < templ.size() && isWordChar(templ[j]))
            ++j;
        std::string_view name = templ.substr(nameStart, j - nameStart);
        if (name.empty() || (brace && (j >= templ.size() || templ[j] != '}'))) {
            out += '$'; // malformed reference: the dollar is literal text
            continue;
        }
        i = brace ? j + 1 : j;
        bool numeric = true;
        for (char c : name)
            numeric &= std::isdigit(static_cast<unsigned char>(c)) != 0;
        if (numeric) {
            std::size_t n = name.size() > 6 ? groups.size() : std::stoul(std::string(name));
            if (n < groups.size())
                out += groups[n];
        } else {
            for (std::size_t g = 0; g < m_groupNames.size(); ++g) {
                if (m_groupNames[g] == name) {
                    if (g + 1 < groups.size())
                        out += groups[g + 1];
                    break;
                }
            }
        }
    }
    return out;
}

} // namespace opsdeck::telemetry::promql
