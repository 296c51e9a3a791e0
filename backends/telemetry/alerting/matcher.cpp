#include "matcher.h"

#include <cctype>

namespace opsdeck::telemetry::alerting {

bool isValidLabelName(std::string_view name)
{
    if (name.empty())
        return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(name[i]);
        const bool ok = c == '_' || std::isalpha(c) || (i > 0 && std::isdigit(c));
        if (!ok)
            return false;
    }
    return true;
}

namespace {

const char *opText(Matcher::Op op)
{
    switch (op) {
    case Matcher::Op::Equal: return "=";
    case Matcher::Op::NotEqual: return "!=";
    case Matcher::Op::RegexMatch: return "=~";
    case Matcher::Op::RegexNoMatch: return "!~";
    }
    return "=";
}

void skipSpaces(std::string_view text, std::size_t &pos)
{
    while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos])))
        ++pos;
}

// Reads one matcher starting at pos; leaves pos after it. Errors name the column.
Result<Matcher> parseOne(std::string_view text, std::size_t &pos)
{
    skipSpaces(text, pos);
    const std::size_t nameStart = pos;
    while (pos < text.size()
           && (std::isalnum(static_cast<unsigned char>(text[pos])) || text[pos] == '_'))
        ++pos;
    std::string name(text.substr(nameStart, pos - nameStart));
    if (name.empty())
        return Error{"matcher at column " + std::to_string(nameStart + 1)
                     + ": expected a label name"};
    skipSpaces(text, pos);

    Matcher::Op op;
    const std::string_view rest = text.substr(pos);
    if (rest.starts_with("=~")) {
        op = Matcher::Op::RegexMatch;
        pos += 2;
    } else if (rest.starts_with("!~")) {
        op = Matcher::Op::RegexNoMatch;
        pos += 2;
    } else if (rest.starts_with("!=")) {
        op = Matcher::Op::NotEqual;
        pos += 2;
    } else if (rest.starts_with("=")) {
        op = Matcher::Op::Equal;
        pos += 1;
    } else {
        return Error{"matcher '" + name + "' at column " + std::to_string(pos + 1)
                     + ": expected one of =, !=, =~, !~"};
    }
    skipSpaces(text, pos);

    std::string value;
    if (pos < text.size() && text[pos] == '"') {
        const std::size_t quoteAt = pos++;
        bool closed = false;
        while (pos < text.size()) {
            const char c = text[pos++];
            if (c == '"') {
                closed = true;
                break;
            }
            if (c == '\\' && pos < text.size()) {
                const char e = text[pos++];
                value += e == 'n' ? '\n' : e == 't' ? '\t' : e;
            } else {
                value += c;
            }
        }
        if (!closed)
            return Error{"matcher '" + name + "': quote opened at column "
                         + std::to_string(quoteAt + 1) + " is never closed"};
    } else {
        // Unquoted values run to the next separator, as amtool allows.
        const std::size_t start = pos;
        while (pos < text.size() && text[pos] != ',' && text[pos] != '}')
            ++pos;
        std::string_view raw = text.substr(start, pos - start);
        while (!raw.empty() && std::isspace(static_cast<unsigned char>(raw.back())))
            raw.remove_suffix(1);
        value = std::string(raw);
    }
    return Matcher::create(std::move(name), op, std::move(value));
}

} // namespace

Result<Matcher> Matcher::create(std::string name, Op op, std::string value)
{
    if (!isValidLabelName(name))
        return Error{"matcher '" + name + "': invalid label name (must match [a-zA-Z_][a-zA-Z0-9_]*)"};
    auto compiled = CompiledMatcher::compile(LabelMatcher{name, op, value});
    if (!compiled)
        return Error{"matcher '" + name + opText(op) + "\"" + value + "\"': " + compiled.error()};
    return Matcher(std::move(name), op, std::move(value), std::move(compiled.value()));
}

Result<Matcher> Matcher::parse(std::string_view text)
{
    std::size_t pos = 0;
    auto m = parseOne(text, pos);
    if (!m)
        return m;
    skipSpaces(text, pos);
    if (pos != text.size())
        return Error{"matcher '" + std::string(text) + "': unexpected text at column "
                     + std::to_string(pos + 1)};
    return m;
}

bool Matcher::matchesValue(const std::string &value) const { return m_compiled.matches(value); }

bool Matcher::matches(const Labels &labels) const { return matchesValue(labels.get(m_name)); }

std::string Matcher::toString() const
{
    std::string escaped;
    for (char c : m_value) {
        if (c == '"' || c == '\\')
            escaped += '\\';
        escaped += c;
    }
    return m_name + opText(m_op) + "\"" + escaped + "\"";
}

bool matchesAll(const Matchers &matchers, const Labels &labels)
{
    for (const auto &m : matchers)
        if (!m.matches(labels))
            return false;
    return true;
}

Result<Matchers> parseMatchers(std::string_view text)
{
    std::size_t pos = 0;
    skipSpaces(text, pos);
    const bool braced = pos < text.size() && text[pos] == '{';
    if (braced)
        ++pos;
    Matchers out;
    for (;;) {
        skipSpaces(text, pos);
        if (pos >= text.size() || text[pos] == '}')
            break;
        auto m = parseOne(text, pos);
        if (!m)
            return Error{m.error()};
        out.push_back(std::move(m.value()));
        skipSpaces(text, pos);
        if (pos < text.size() && text[pos] == ',')
            ++pos;
        else
            break;
    }
    skipSpaces(text, pos);
    if (braced) {
        if (pos >= text.size() || text[pos] != '}')
            return Error{"matchers: missing closing '}' at column " + std::to_string(pos + 1)};
        ++pos;
        skipSpaces(text, pos);
    }
    if (pos != text.size())
        return Error{"matchers: unexpected text at column " + std::to_string(pos + 1)};
    return out;
}

} // namespace opsdeck::telemetry::alerting
