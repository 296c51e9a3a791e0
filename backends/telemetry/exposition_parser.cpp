// Parsing half of exposition.h. One pass, line by line; each line is either blank, a
// comment (`# HELP`, `# TYPE` or free text) or a sample. Rules follow Go's
// expfmt.TextParser, which `promtool check metrics` uses.
#include "exposition.h"
#include "float_format.h"

#include <charconv>
#include <unordered_map>

namespace opsdeck::telemetry {

namespace {

bool isNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isBlank(char c) { return c == ' ' || c == '\t'; }

std::string quoted(std::string_view s)
{
    std::string out = "\"";
    appendEscapedLabelValue(out, s);
    out += '"';
    return out;
}

// A cursor over one line (without its '\n').
struct Cursor {
    std::string_view line;
    std::size_t pos = 0;

    bool atEnd() const { return pos >= line.size(); }
    char peek() const { return atEnd() ? '\0' : line[pos]; }
    void skipBlanks()
    {
        while (!atEnd() && isBlank(line[pos]))
            ++pos;
    }
    // Everything up to the next blank (or '{' when stopAtBrace), possibly empty.
    std::string_view token(bool stopAtBrace = false)
    {
        const std::size_t start = pos;
        while (!atEnd() && !isBlank(line[pos]) && !(stopAtBrace && line[pos] == '{'))
            ++pos;
        return line.substr(start, pos - start);
    }
    std::string_view rest() const { return atEnd() ? std::string_view{} : line.substr(pos); }
};

struct FamilyState {
    bool helpSeen = false;
    bool typeSeen = false;
};

class ExpositionParser {
public:
    explicit ExpositionParser(std::string_view text) : m_text(text) {}

    Result<Scrape> run()
    {
        std::size_t start = 0;
        while (start < m_text.size()) {
            std::size_t end = m_text.find('\n', start);
            if (end == std::string_view::npos)
                end = m_text.size();
            std::string_view line = m_text.substr(start, end - start);
            if (!line.empty() && line.back() == '\r')
                line.remove_suffix(1); // tolerate CRLF files written on other systems
            ++m_lineNo;
            if (auto err = parseLine(line))
                return *err;
            start = end + 1;
        }
        return std::move(m_families);
    }

private:
    Error fail(std::string_view reason) const
    {
        return Error{"line " + std::to_string(m_lineNo) + ": " + std::string(reason)};
    }

    std::optional<Error> parseLine(std::string_view line)
    {
        Cursor c{line};
        c.skipBlanks();
        if (c.atEnd())
            return std::nullopt;
        if (c.peek() == '#')
            return parseComment(c);
        return parseSample(c);
    }

    std::size_t familyIndex(std::string_view name)
    {
        auto it = m_byName.find(std::string(name));
        if (it != m_byName.end())
            return it->second;
        m_families.push_back(MetricFamily{std::string(name), {}, MetricType::Untyped, {}});
        m_state.emplace_back();
        m_byName.emplace(std::string(name), m_families.size() - 1);
        return m_families.size() - 1;
    }

    std::optional<Error> parseComment(Cursor &c)
    {
        ++c.pos; // '#'
        c.skipBlanks();
        const std::string_view keyword = c.token();
        if (keyword != "HELP" && keyword != "TYPE")
            return std::nullopt; // a plain comment
        c.skipBlanks();
        const std::string_view name = c.token();
        if (name.empty())
            return fail("expected metric name after " + std::string(keyword));
        if (!isValidMetricName(name))
            return fail("invalid metric name " + quoted(name));
        const std::size_t idx = familyIndex(name);
        MetricFamily &family = m_families[idx];
        FamilyState &state = m_state[idx];
        c.skipBlanks();
        if (keyword == "HELP") {
            if (state.helpSeen)
                return fail("second HELP line for metric name " + quoted(name));
            state.helpSeen = true;
            return unescapeHelp(c.rest(), family.help);
        }
        if (state.typeSeen)
            return fail("second TYPE line for metric name " + quoted(name));
        if (!family.samples.empty())
            return fail("TYPE line for metric name " + quoted(name) + " after its samples");
        std::string_view typeWord = c.token();
        c.skipBlanks();
        if (!c.atEnd())
            return fail("unexpected text after metric type: " + quoted(c.rest()));
        auto type = metricTypeFromName(typeWord);
        if (!type)
            return fail("unknown metric type " + quoted(typeWord));
        state.typeSeen = true;
        family.type = *type;
        return std::nullopt;
    }

    std::optional<Error> unescapeHelp(std::string_view text, std::string &out)
    {
        out.clear();
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] != '\\') {
                out += text[i];
                continue;
            }
            if (i + 1 == text.size())
                return fail("HELP text ends with a lone backslash");
            const char next = text[++i];
            if (next == '\\')
                out += '\\';
            else if (next == 'n')
                out += '\n';
            else
                return fail(std::string("invalid escape sequence '\\") + next + "' in HELP text");
        }
        return std::nullopt;
    }

    // Which family a sample named `name` belongs to: its own, or the histogram/summary
    // whose `_bucket`/`_sum`/`_count` it is.
    std::size_t familyForSample(std::string_view name)
    {
        if (auto it = m_byName.find(std::string(name)); it != m_byName.end())
            return it->second;
        for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
            if (name.size() <= suffix.size() || !name.ends_with(suffix))
                continue;
            auto it = m_byName.find(std::string(name.substr(0, name.size() - suffix.size())));
            if (it == m_byName.end())
                continue;
            const MetricType t = m_families[it->second].type;
            if (t == MetricType::Histogram || (t == MetricType::Summary && suffix != "_bucket"))
                return it->second;
        }
        return familyIndex(name);
    }

    std::optional<Error> parseLabels(Cursor &c, std::vector<Label> &labels)
    {
        ++c.pos; // '{'
        for (;;) {
            c.skipBlanks();
            if (c.peek() == '}') {
                ++c.pos;
                return std::nullopt;
            }
            if (c.atEnd())
                return fail("expected label name or '}'");
            const std::size_t start = c.pos;
            while (!c.atEnd() && (isNameStart(c.peek()) || isDigit(c.peek())))
                ++c.pos;
            const std::string_view name = c.line.substr(start, c.pos - start);
            if (name.empty())
                return fail("expected label name, found " + quoted(c.rest().substr(0, 1)));
            if (!isValidLabelName(name))
                return fail("invalid label name " + quoted(name));
            if (name == "__name__")
                return fail("label name \"__name__\" is reserved");
            for (const Label &l : labels)
                if (l.first == name)
                    return fail("duplicate label name " + quoted(name));
            c.skipBlanks();
            if (c.peek() != '=')
                return fail("expected '=' after label name " + quoted(name));
            ++c.pos;
            c.skipBlanks();
            if (c.peek() != '"')
                return fail("expected '\"' to start the value of label " + quoted(name));
            ++c.pos;
            std::string value;
            bool closed = false;
            while (!c.atEnd()) {
                const char ch = c.line[c.pos++];
                if (ch == '"') {
                    closed = true;
                    break;
                }
                if (ch != '\\') {
                    value += ch;
                    continue;
                }
                if (c.atEnd())
                    break;
                const char esc = c.line[c.pos++];
                if (esc == '\\' || esc == '"')
                    value += esc;
                else if (esc == 'n')
                    value += '\n';
                else
                    return fail(std::string("invalid escape sequence '\\") + esc +
                                "' in value of label " + quoted(name));
            }
            if (!closed)
                return fail("unterminated value of label " + quoted(name));
            if (!isValidUtf8(value))
                return fail("value of label " + quoted(name) + " is not valid UTF-8");
            labels.emplace_back(std::string(name), std::move(value));
            c.skipBlanks();
            if (c.peek() == ',') {
                ++c.pos;
            } else if (c.peek() != '}') {
                return fail("expected ',' or '}' after value of label " + quoted(name));
            }
        }
    }

    std::optional<Error> checkTypedSample(const MetricFamily &family, std::string_view name,
                                          const std::vector<Label> &labels)
    {
        auto labelValue = [&labels](std::string_view n) -> const std::string * {
            for (const Label &l : labels)
                if (l.first == n)
                    return &l.second;
            return nullptr;
        };
        auto requireFloatLabel = [&](std::string_view labelName) -> std::optional<Error> {
            const std::string *v = labelValue(labelName);
            if (!v)
                return fail("sample " + quoted(name) + " of " +
                            std::string(metricTypeName(family.type)) + " " + quoted(family.name) +
                            " needs a \"" + std::string(labelName) + "\" label");
            if (!parseFloat(*v))
                return fail("invalid \"" + std::string(labelName) + "\" value " + quoted(*v));
            return std::nullopt;
        };
        const bool isBase = name == family.name;
        if (family.type == MetricType::Histogram) {
            if (isBase)
                return fail("sample " + quoted(name) + " of histogram " + quoted(family.name) +
                            " must end in _bucket, _sum or _count");
            if (name.ends_with("_bucket"))
                return requireFloatLabel("le");
        } else if (family.type == MetricType::Summary && isBase) {
            return requireFloatLabel("quantile");
        }
        return std::nullopt;
    }

    std::optional<Error> parseSample(Cursor &c)
    {
        const std::string_view name = c.token(/*stopAtBrace=*/true);
        if (!isValidMetricName(name))
            return fail("invalid metric name " + quoted(name));
        std::vector<Label> labels;
        c.skipBlanks();
        if (c.peek() == '{') {
            if (auto err = parseLabels(c, labels))
                return err;
        }
        c.skipBlanks();
        const std::string_view valueText = c.token();
        if (valueText.empty())
            return fail("expected value after metric " + quoted(name));
        const auto value = parseFloat(valueText);
        if (!value)
            return fail("invalid value " + quoted(valueText) + " for metric " + quoted(name));
        Sample sample;
        c.skipBlanks();
        if (!c.atEnd()) {
            const std::string_view tsText = c.token();
            std::int64_t ts = 0;
            auto [ptr, ec] = std::from_chars(tsText.data(), tsText.data() + tsText.size(), ts);
            if (ec != std::errc() || ptr != tsText.data() + tsText.size())
                return fail("invalid timestamp " + quoted(tsText) +
                            " (expected integer milliseconds)");
            sample.timestampMs = ts;
            c.skipBlanks();
            if (!c.atEnd())
                return fail("unexpected text after timestamp: " + quoted(c.rest()));
        }
        const std::size_t idx = familyForSample(name);
        MetricFamily &family = m_families[idx];
        if (auto err = checkTypedSample(family, name, labels))
            return err;
        sample.name = std::string(name);
        sample.labels = Labels(std::move(labels));
        sample.value = *value;
        family.samples.push_back(std::move(sample));
        return std::nullopt;
    }

    std::string_view m_text;
    int m_lineNo = 0;
    Scrape m_families;
    std::vector<FamilyState> m_state;
    std::unordered_map<std::string, std::size_t> m_byName;
};

} // namespace

bool isValidMetricName(std::string_view name)
{
    if (name.empty() || !(isNameStart(name[0]) || name[0] == ':'))
        return false;
    for (char c : name)
        if (!(isNameStart(c) || isDigit(c) || c == ':'))
            return false;
    return true;
}

bool isValidUtf8(std::string_view text)
{
    // RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned int min = 0, cp = 0;
        if ((c & 0xE0) == 0xC0) {
            len = 2, min = 0x80, cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, min = 0x800, cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, min = 0x10000, cp = c & 0x07;
        } else {
            return false;
        }
        if (i + len > text.size())
            return false;
        for (std::size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(text[i + k]);
            if ((cc & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

bool isValidLabelName(std::string_view name)
{
    if (name.empty() || !isNameStart(name[0]))
        return false;
    for (char c : name)
        if (!(isNameStart(c) || isDigit(c)))
            return false;
    return true;
}

Result<Scrape> parseExposition(std::string_view text) { return ExpositionParser(text).run(); }

} // namespace opsdeck::telemetry
