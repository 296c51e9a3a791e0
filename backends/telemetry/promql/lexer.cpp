#include "lexer.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace opsdeck::telemetry::promql {

namespace {

bool isAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlnum(char c) { return isAlpha(c) || isDigit(c); }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool equalsNoCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

int hexValue(char c)
{
    if (isDigit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void appendUtf8(std::string &out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

class Lexer {
public:
    explicit Lexer(std::string_view in) : m_in(in) {}

    LexResult run()
    {
        LexResult out;
        while (true) {
            skipSpaceAndComments();
            if (m_pos >= static_cast<int>(m_in.size())) {
                if (m_braceOpen)
                    return fail(out, m_pos, "unexpected end of input inside braces");
                if (m_bracketOpen)
                    return fail(out, m_pos, "unclosed left bracket");
                if (m_parenDepth > 0)
                    return fail(out, m_pos, "unclosed left parenthesis");
                out.tokens.push_back(Token{TokenKind::End, "", m_pos});
                return out;
            }
            if (auto err = next(out.tokens)) {
                out.error = std::move(err);
                return out;
            }
        }
    }

private:
    static LexResult fail(LexResult &out, int pos, std::string msg)
    {
        out.error = LexError{pos, std::move(msg)};
        return out;
    }

    char peek(int ahead = 0) const
    {
        const int p = m_pos + ahead;
        return p < static_cast<int>(m_in.size()) ? m_in[p] : '\0';
    }

    void skipSpaceAndComments()
    {
        while (m_pos < static_cast<int>(m_in.size())) {
            if (isSpace(m_in[m_pos])) {
                ++m_pos;
            } else if (m_in[m_pos] == '#') {
                while (m_pos < static_cast<int>(m_in.size()) && m_in[m_pos] != '\n')
                    ++m_pos;
            } else {
                break;
            }
        }
    }

    std::optional<LexError> next(std::vector<Token> &toks)
    {
        const int start = m_pos;
        const char c = m_in[m_pos];
        auto simple = [&](TokenKind k, int len) {
            toks.push_back(Token{k, std::string(m_in.substr(start, len)), start});
            m_pos += len;
            return std::nullopt;
        };
        if (m_braceOpen) {
            // Inside {...} only label names, strings, matcher operators and commas may appear.
            if (c == '}') {
                m_braceOpen = false;
                return simple(TokenKind::RightBrace, 1);
            }
            if (c == ',')
                return simple(TokenKind::Comma, 1);
            if (c == '"' || c == '\'' || c == '`')
                return lexString(toks);
            if (c == '=' && peek(1) == '~')
                return simple(TokenKind::Operator, 2);
            if (c == '!' && (peek(1) == '~' || peek(1) == '='))
                return simple(TokenKind::Operator, 2);
            if (c == '=')
                return simple(TokenKind::Assign, 1);
            if (isAlpha(c))
                return lexIdentifier(toks);
            return LexError{start, std::string("unexpected character inside braces: '") + c + "'"};
        }
        if (isDigit(c) || (c == '.' && isDigit(peek(1))))
            return lexNumberOrDuration(toks);
        if (c == ':' && m_bracketOpen)
            return simple(TokenKind::Colon, 1); // subquery [range:step]
        if (isAlpha(c) || c == ':')
            return lexIdentifier(toks);
        if (c == '"' || c == '\'' || c == '`')
            return lexString(toks);
        switch (c) {
        case '(':
            ++m_parenDepth;
            return simple(TokenKind::LeftParen, 1);
        case ')':
            if (m_parenDepth == 0)
                return LexError{start + 1, "unexpected right parenthesis ')'"};
            --m_parenDepth;
            return simple(TokenKind::RightParen, 1);
        case '{':
            m_braceOpen = true;
            return simple(TokenKind::LeftBrace, 1);
        case '}':
            return LexError{start, "unexpected right brace '}'"};
        case '[':
            if (m_bracketOpen)
                return LexError{start, "unexpected left bracket '['"};
            m_bracketOpen = true;
            return simple(TokenKind::LeftBracket, 1);
        case ']':
            if (!m_bracketOpen)
                return LexError{start, "unexpected right bracket ']'"};
            m_bracketOpen = false;
            return simple(TokenKind::RightBracket, 1);
        case ',':
            return simple(TokenKind::Comma, 1);
        case ':':
            return simple(TokenKind::Colon, 1);
        case '@':
            return simple(TokenKind::At, 1);
        case '=':
            if (peek(1) == '=')
                return simple(TokenKind::Operator, 2);
            if (peek(1) == '~')
                return simple(TokenKind::Operator, 2);
            return simple(TokenKind::Assign, 1);
        case '!':
            if (peek(1) == '=' || peek(1) == '~')
                return simple(TokenKind::Operator, 2);
            return LexError{start, std::string("unexpected character after '!': '") + peek(1) + "'"};
        case '<':
        case '>':
            return simple(TokenKind::Operator, peek(1) == '=' ? 2 : 1);
        case '+': case '-': case '*': case '/': case '%': case '^':
            return simple(TokenKind::Operator, 1);
        default:
            return LexError{start, std::string("unexpected character: '") + c + "'"};
        }
    }

    std::optional<LexError> lexIdentifier(std::vector<Token> &toks)
    {
        const int start = m_pos;
        bool hasColon = false;
        while (m_pos < static_cast<int>(m_in.size()) && (isAlnum(m_in[m_pos]) || m_in[m_pos] == ':')) {
            hasColon |= m_in[m_pos] == ':';
            ++m_pos;
        }
        std::string word(m_in.substr(start, m_pos - start));
        if (!m_braceOpen && (equalsNoCase(word, "inf") || equalsNoCase(word, "nan"))) {
            Token t{TokenKind::Number, word, start};
            t.number = equalsNoCase(word, "inf") ? std::numeric_limits<double>::infinity()
                                                  : std::numeric_limits<double>::quiet_NaN();
            toks.push_back(std::move(t));
            return std::nullopt;
        }
        toks.push_back(Token{hasColon ? TokenKind::MetricIdentifier : TokenKind::Identifier, word, start});
        return std::nullopt;
    }

    std::optional<LexError> lexNumberOrDuration(std::vector<Token> &toks)
    {
        const int start = m_pos;
        auto acceptRun = [&](auto pred) {
            while (m_pos < static_cast<int>(m_in.size()) && pred(m_in[m_pos]))
                ++m_pos;
        };
        bool hex = false;
        if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
            hex = true;
            m_pos += 2;
            acceptRun([](char ch) { return hexValue(ch) >= 0; });
        } else {
            acceptRun(isDigit);
            if (peek() == '.') {
                ++m_pos;
                acceptRun(isDigit);
            }
            if (peek() == 'e' || peek() == 'E') {
                // only an exponent if digits follow; otherwise 'e' is junk (handled below)
                const int save = m_pos;
                ++m_pos;
                if (peek() == '+' || peek() == '-')
                    ++m_pos;
                if (isDigit(peek()))
                    acceptRun(isDigit);
                else
                    m_pos = save;
            }
        }
        const int numberEnd = m_pos;
        if (!isAlnum(peek())) {
            std::string text(m_in.substr(start, numberEnd - start));
            auto v = parseNumber(text);
            if (!v && hex)
                return LexError{start, "error parsing number: strconv.ParseFloat: parsing \"" + text +
                                           "\": invalid syntax"};
            if (!v)
                return LexError{start, "bad number or duration syntax: \"" + text + "\""};
            Token t{TokenKind::Number, text, start};
            t.number = *v;
            toks.push_back(std::move(t));
            return std::nullopt;
        }
        if (!hex && acceptRemainingDuration()) {
            // Lexically a duration (1h30m, 5m, 100ms); units out of order or a fraction
            // ("5m5h", "1.5m") are left for the parser to reject, as Prometheus does.
            std::string word(m_in.substr(start, m_pos - start));
            Token t{TokenKind::Duration, word, start};
            t.durationMs = parseDuration(word).value_or(-1);
            toks.push_back(std::move(t));
            return std::nullopt;
        }
        if (hex && numberEnd == start + 2)
            return LexError{start, "error parsing number: strconv.ParseFloat: parsing \"" +
                                       std::string(m_in.substr(start, 2)) + "\": invalid syntax"};
        return LexError{start, "bad number or duration syntax: \"" + std::string(m_in.substr(start, m_pos - start)) +
                                   "\""};
    }

    // Prometheus's acceptRemainingDuration: unit letters, then optional digit+unit groups,
    // then no more alphanumerics. Leaves m_pos where Prometheus's lexer stops.
    bool acceptRemainingDuration()
    {
        auto accept = [&](std::string_view set) {
            if (m_pos < static_cast<int>(m_in.size()) && set.find(m_in[m_pos]) != std::string_view::npos) {
                ++m_pos;
                return true;
            }
            return false;
        };
        if (!accept("smhdwy"))
            return false;
        accept("s"); // ms
        while (accept("0123456789")) {
            while (accept("0123456789")) {
            }
            if (!accept("smhdw"))
                return false;
            accept("s");
        }
        if (m_pos < static_cast<int>(m_in.size()) && isAlnum(m_in[m_pos])) {
            ++m_pos; // the offending character is part of the reported text
            return false;
        }
        return true;
    }

    std::optional<LexError> lexString(std::vector<Token> &toks)
    {
        const int start = m_pos;
        const char quote = m_in[m_pos++];
        std::string value;
        const int n = static_cast<int>(m_in.size());
        if (quote == '`') {
            while (m_pos < n && m_in[m_pos] != '`')
                value += m_in[m_pos++];
            if (m_pos >= n)
                return LexError{start, "unterminated raw string"};
            ++m_pos;
            toks.push_back(Token{TokenKind::String, value, start});
            return std::nullopt;
        }
        while (true) {
            if (m_pos >= n || m_in[m_pos] == '\n')
                return LexError{start, "unterminated quoted string"};
            const char c = m_in[m_pos++];
            if (c == quote)
                break;
            if (c != '\\') {
                value += c;
                continue;
            }
            if (m_pos >= n)
                return LexError{start, "unterminated quoted string"};
            const char e = m_in[m_pos++];
            switch (e) {
            case 'a': value += '\a'; break;
            case 'b': value += '\b'; break;
            case 'f': value += '\f'; break;
            case 'n': value += '\n'; break;
            case 'r': value += '\r'; break;
            case 't': value += '\t'; break;
            case 'v': value += '\v'; break;
            case '\\': value += '\\'; break;
            case '\'':
            case '"':
                if (e != quote)
                    return LexError{m_pos - 2, "unknown escape sequence"};
                value += e;
                break;
            case 'x': case 'u': case 'U': {
                const int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                std::uint32_t cp = 0;
                for (int i = 0; i < digits; ++i) {
                    const int h = hexValue(peek());
                    if (h < 0)
                        return LexError{m_pos, "illegal character in escape sequence"};
                    cp = cp * 16 + static_cast<std::uint32_t>(h);
                    ++m_pos;
                }
                if (e == 'x')
                    value += static_cast<char>(cp);
                else
                    appendUtf8(value, cp);
                break;
            }
            default:
                if (e >= '0' && e <= '7') {
                    std::uint32_t cp = static_cast<std::uint32_t>(e - '0');
                    for (int i = 0; i < 2; ++i) {
                        if (peek() < '0' || peek() > '7')
                            return LexError{m_pos, "illegal character in escape sequence"};
                        cp = cp * 8 + static_cast<std::uint32_t>(peek() - '0');
                        ++m_pos;
                    }
                    value += static_cast<char>(cp);
                    break;
                }
                return LexError{m_pos - 2, "unknown escape sequence"};
            }
        }
        toks.push_back(Token{TokenKind::String, value, start});
        return std::nullopt;
    }

    std::string_view m_in;
    int m_pos = 0;
    int m_parenDepth = 0;
    bool m_braceOpen = false;
    bool m_bracketOpen = false;
};

} // namespace

LexResult lex(std::string_view input) { return Lexer(input).run(); }

std::optional<std::int64_t> parseDuration(std::string_view text)
{
    // Units must appear in this order, each at most once (Prometheus model.ParseDuration).
    static const struct { std::string_view unit; std::int64_t ms; } kUnits[] = {
        {"y", 365LL * 24 * 3600 * 1000}, {"w", 7LL * 24 * 3600 * 1000}, {"d", 24LL * 3600 * 1000},
        {"h", 3600LL * 1000}, {"m", 60LL * 1000}, {"s", 1000}, {"ms", 1},
    };
    if (text.empty())
        return std::nullopt;
    std::int64_t total = 0;
    std::size_t nextUnit = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t j = i;
        while (j < text.size() && isDigit(text[j]))
            ++j;
        if (j == i)
            return std::nullopt;
        std::int64_t n = 0;
        auto [p, ec] = std::from_chars(text.data() + i, text.data() + j, n);
        if (ec != std::errc())
            return std::nullopt;
        std::size_t k = j;
        while (k < text.size() && !isDigit(text[k]))
            ++k;
        std::string_view unit = text.substr(j, k - j);
        bool found = false;
        for (; nextUnit < std::size(kUnits); ++nextUnit) {
            if (kUnits[nextUnit].unit == unit) {
                // about 292 million years fit in int64 milliseconds; beyond that is an error
                if (n > (std::numeric_limits<std::int64_t>::max() - total) / kUnits[nextUnit].ms)
                    return std::nullopt;
                total += n * kUnits[nextUnit].ms;
                ++nextUnit;
                found = true;
                break;
            }
        }
        if (!found)
            return std::nullopt;
        i = k;
    }
    return total;
}

std::optional<double> parseNumber(std::string_view text)
{
    std::string_view s = text;
    bool neg = false;
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
        neg = s[0] == '-';
        s.remove_prefix(1);
    }
    if (equalsNoCase(s, "inf") || equalsNoCase(s, "infinity"))
        return neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    if (equalsNoCase(s, "nan"))
        return std::numeric_limits<double>::quiet_NaN();
    if (s.empty())
        return std::nullopt;
    double v = 0;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        std::uint64_t u = 0;
        auto [p, ec] = std::from_chars(s.data() + 2, s.data() + s.size(), u, 16);
        if (ec != std::errc() || p != s.data() + s.size())
            return std::nullopt;
        v = static_cast<double>(u);
    } else {
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::general);
        if (ec == std::errc::result_out_of_range) {
            // Go returns ±Inf (or 0) for out-of-range literals rather than failing.
            bool tiny = s.find_first_of("eE") != std::string_view::npos &&
                        s.find('-', s.find_first_of("eE")) != std::string_view::npos;
            v = tiny ? 0.0 : std::numeric_limits<double>::infinity();
        } else if (ec != std::errc() || p != s.data() + s.size()) {
            return std::nullopt;
        }
    }
    return neg ? -v : v;
}

std::string positionPrefix(std::string_view input, int pos)
{
    int line = 1;
    int lastBreak = -1;
    for (int i = 0; i < pos && i < static_cast<int>(input.size()); ++i) {
        if (input[i] == '\n') {
            ++line;
            lastBreak = i;
        }
    }
    return std::to_string(line) + ":" + std::to_string(pos - lastBreak) + ":";
}

} // namespace opsdeck::telemetry::promql
