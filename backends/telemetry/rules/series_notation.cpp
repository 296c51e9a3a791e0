#include "series_notation.h"

#include "../series_source.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

namespace opsdeck::telemetry::rules {

namespace {

bool isNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':'; }
bool isNameChar(char c) { return isNameStart(c) || std::isdigit(static_cast<unsigned char>(c)); }

std::string at(std::size_t pos) { return "1:" + std::to_string(pos + 1) + ": parse error: "; }

// A float as PromQL lexes it: decimal, exponent, hex, Inf, NaN (any case), with sign.
std::optional<double> parseNumber(const std::string &s, std::size_t &pos)
{
    const char *begin = s.c_str() + pos;
    // No hexadecimal in series values: "0x20" means 0 repeated 20 more times.
    std::size_t signLen = (*begin == '+' || *begin == '-') ? 1 : 0;
    if (begin[signLen] == '0' && (begin[signLen + 1] == 'x' || begin[signLen + 1] == 'X')) {
        pos += signLen + 1;
        return *begin == '-' ? -0.0 : 0.0;
    }
    char *end = nullptr;
    const double v = std::strtod(begin, &end);
    if (end == begin)
        return std::nullopt;
    // strtod accepts "infinity" and "nan(...)": PromQL only has Inf and NaN
    const std::string token(begin, static_cast<std::size_t>(end - begin));
    std::string lower;
    for (char c : token)
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("infinity") != std::string::npos || lower.find("nan(") != std::string::npos)
        return std::nullopt;
    pos += static_cast<std::size_t>(end - begin);
    return v;
}

} // namespace

Result<Labels> parseSeriesLabels(std::string_view text)
{
    std::vector<Label> items;
    std::size_t pos = 0;
    const auto skipSpace = [&] {
        while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos])))
            ++pos;
    };
    skipSpace();
    if (pos < text.size() && isNameStart(text[pos])) {
        const std::size_t start = pos;
        while (pos < text.size() && isNameChar(text[pos]))
            ++pos;
        items.emplace_back("__name__", std::string(text.substr(start, pos - start)));
    }
    skipSpace();
    if (pos < text.size() && text[pos] == '{') {
        ++pos;
        for (;;) {
            skipSpace();
            if (pos < text.size() && text[pos] == '}') {
                ++pos;
                break;
            }
            if (pos >= text.size() || !isNameStart(text[pos]) || text[pos] == ':')
                return Error{at(pos) + "unexpected character in label set, expected label name"};
            const std::size_t start = pos;
            while (pos < text.size() && isNameChar(text[pos]) && text[pos] != ':')
                ++pos;
            std::string name(text.substr(start, pos - start));
            skipSpace();
            if (pos >= text.size() || text[pos] != '=')
                return Error{at(pos) + "expected \"=\" after label name \"" + name + "\""};
            ++pos;
            skipSpace();
            if (pos >= text.size() || (text[pos] != '"' && text[pos] != '\'' && text[pos] != '`'))
                return Error{at(pos) + "expected a quoted label value for \"" + name + "\""};
            const char quote = text[pos++];
            std::string value;
            while (pos < text.size() && text[pos] != quote) {
                if (text[pos] == '\\' && quote != '`' && pos + 1 < text.size()) {
                    const char e = text[++pos];
                    value += e == 'n' ? '\n' : e == 't' ? '\t' : e;
                } else {
                    value += text[pos];
                }
                ++pos;
            }
            if (pos >= text.size())
                return Error{at(pos) + "unterminated quoted string"};
            ++pos;
            items.emplace_back(std::move(name), std::move(value));
            skipSpace();
            if (pos < text.size() && text[pos] == ',') {
                ++pos;
                continue;
            }
            skipSpace();
            if (pos < text.size() && text[pos] == '}') {
                ++pos;
                break;
            }
            return Error{at(pos) + "expected \",\" or \"}\" in label set"};
        }
    }
    skipSpace();
    if (pos != text.size())
        return Error{at(pos) + "unexpected \"" + std::string(1, text[pos]) + "\" after series description"};
    if (items.empty() && text.find('{') == std::string_view::npos)
        return Error{"1:1: parse error: empty series description"};
    return Labels(std::move(items));
}

Result<std::vector<std::optional<double>>> parseSeriesValues(std::string_view text)
{
    std::vector<std::optional<double>> out;
    std::size_t pos = 0;
    const std::string s(text);
    while (pos < s.size()) {
        if (std::isspace(static_cast<unsigned char>(s[pos]))) {
            ++pos;
            continue;
        }
        std::size_t end = pos;
        while (end < s.size() && !std::isspace(static_cast<unsigned char>(s[end])))
            ++end;
        const std::string item = s.substr(pos, end - pos);
        const auto bad = [&](const std::string &why) {
            return Error{"1:" + std::to_string(pos + 1) + ": parse error: " + why + " in series values: \"" +
                         item + "\""};
        };
        const auto parseTimes = [&](std::size_t p, std::size_t &n) -> bool {
            if (p >= item.size() || item[p] != 'x' || p + 1 >= item.size())
                return false;
            n = 0;
            for (std::size_t k = p + 1; k < item.size(); ++k) {
                if (!std::isdigit(static_cast<unsigned char>(item[k])))
                    return false;
                n = n * 10 + static_cast<std::size_t>(item[k] - '0');
                if (n > 10'000'000)
                    return false;
            }
            return true;
        };
        if (item[0] == '_') {
            std::size_t n = 1;
            if (item.size() > 1 && !parseTimes(1, n))
                return bad("unexpected repetition");
            out.insert(out.end(), n, std::nullopt);
        } else if (item == "stale") {
            out.emplace_back(staleNaN());
        } else {
            std::size_t p = 0;
            const auto first = parseNumber(item, p);
            if (!first)
                return bad("expected number or \"stale\"");
            if (p == item.size()) {
                out.emplace_back(*first);
            } else if (item[p] == 'x') {
                std::size_t n = 0;
                if (!parseTimes(p, n))
                    return bad("expected a repetition count after \"x\"");
                out.insert(out.end(), n + 1, *first);
            } else if (item[p] == '+' || item[p] == '-') {
                const auto step = parseNumber(item, p);
                std::size_t n = 0;
                if (!step || !parseTimes(p, n))
                    return bad("expected \"<start><+|-><step>x<count>\"");
                double v = *first;
                for (std::size_t k = 0; k <= n; ++k) {
                    out.emplace_back(v);
                    v += *step; // accumulate as Prometheus does, rounding included
                }
            } else {
                return bad("unexpected character");
            }
        }
        pos = end;
    }
    return out;
}

} // namespace opsdeck::telemetry::rules
