// A small lexer and recursive-descent parser in the shape of apimachinery's labels.Parse,
// so the same text means the same thing here as on the API server.
#include "label_selector.h"

#include <algorithm>
#include <charconv>

namespace opsdeck::remote {

namespace {

enum class Tok { Identifier, Bang, Equals, DoubleEquals, NotEquals, In, NotIn, Open, Close, Comma, Greater, Less, End };

struct Token {
    Tok kind = Tok::End;
    std::string text;
    std::size_t column = 0; // 1-based
};

bool special(char c) { return c == '!' || c == '(' || c == ')' || c == ',' || c == '=' || c == '>' || c == '<'; }
bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

std::vector<Token> lex(std::string_view text)
{
    std::vector<Token> out;
    std::size_t i = 0;
    while (true) {
        while (i < text.size() && space(text[i]))
            ++i;
        Token t;
        t.column = i + 1;
        if (i >= text.size()) {
            out.push_back(t);
            return out;
        }
        const char c = text[i];
        const bool pairEq = i + 1 < text.size() && text[i + 1] == '=';
        if (c == '!' && pairEq) {
            t = {Tok::NotEquals, "!=", i + 1};
            i += 2;
        } else if (c == '=' && pairEq) {
            t = {Tok::DoubleEquals, "==", i + 1};
            i += 2;
        } else if (special(c)) {
            static const std::pair<char, Tok> singles[] = {{'!', Tok::Bang},  {'=', Tok::Equals}, {'(', Tok::Open},
                                                           {')', Tok::Close}, {',', Tok::Comma},  {'>', Tok::Greater},
                                                           {'<', Tok::Less}};
            for (const auto &[ch, kind] : singles)
                if (ch == c)
                    t = {kind, std::string(1, c), i + 1};
            ++i;
        } else {
            const std::size_t start = i;
            while (i < text.size() && !space(text[i]) && !special(text[i]))
                ++i;
            t.text = std::string(text.substr(start, i - start));
            t.kind = t.text == "in" ? Tok::In : t.text == "notin" ? Tok::NotIn : Tok::Identifier;
        }
        out.push_back(std::move(t));
    }
}

std::string describe(const Token &t) { return t.kind == Tok::End ? "the end" : "'" + t.text + "'"; }

class Parser {
public:
    Parser(std::string_view text) : m_text(text), m_tokens(lex(text)) {}

    Result<std::vector<LabelSelector::Requirement>> run()
    {
        std::vector<LabelSelector::Requirement> out;
        if (peek().kind == Tok::End)
            return out;
        while (true) {
            auto requirement = parseRequirement();
            if (!requirement)
                return Error{requirement.error()};
            out.push_back(std::move(*requirement));
            const Token &next = take();
            if (next.kind == Tok::End)
                return out;
            if (next.kind != Tok::Comma)
                return fail(next, "found " + describe(next) + ", expected ',' or the end");
        }
    }

private:
    using Op = LabelSelector::Op;

    const Token &peek() const { return m_tokens[m_at]; }
    const Token &take() { return m_tokens[std::min(m_at++, m_tokens.size() - 1)]; }
    Error fail(const Token &at, const std::string &why) const
    {
        return Error{"label selector \"" + std::string(m_text) + "\": column " + std::to_string(at.column) + ": " + why};
    }

    Result<LabelSelector::Requirement> parseRequirement()
    {
        LabelSelector::Requirement r;
        bool negated = false;
        if (peek().kind == Tok::Bang) {
            take();
            negated = true;
        }
        const Token &key = take();
        if (key.kind != Tok::Identifier)
            return fail(key, "found " + describe(key) + ", expected a label key");
        if (std::string why = labelKeyProblem(key.text); !why.empty())
            return fail(key, "invalid label key \"" + key.text + "\": " + why);
        r.key = key.text;
        if (negated || peek().kind == Tok::End || peek().kind == Tok::Comma) {
            r.op = negated ? Op::DoesNotExist : Op::Exists;
            return r;
        }
        const Token &op = take();
        switch (op.kind) {
        case Tok::Equals:
        case Tok::DoubleEquals: r.op = Op::Equals; break;
        case Tok::NotEquals: r.op = Op::NotEquals; break;
        case Tok::In: r.op = Op::In; break;
        case Tok::NotIn: r.op = Op::NotIn; break;
        case Tok::Greater: r.op = Op::GreaterThan; break;
        case Tok::Less: r.op = Op::LessThan; break;
        default:
            return fail(op, "found " + describe(op) + ", expected one of =, ==, !=, in, notin, >, < after \"" + r.key + "\"");
        }
        if (r.op == Op::In || r.op == Op::NotIn)
            return parseSet(std::move(r), op);
        return parseSingle(std::move(r), op);
    }

    Result<LabelSelector::Requirement> parseSingle(LabelSelector::Requirement r, const Token &op)
    {
        std::string value;
        const Token &v = peek();
        if (v.kind == Tok::Identifier) {
            value = take().text;
        } else if (v.kind == Tok::In || v.kind == Tok::NotIn) {
            value = take().text; // "app=in" is a value that happens to read "in"
        } else if (v.kind != Tok::End && v.kind != Tok::Comma) {
            return fail(v, "found " + describe(v) + ", expected a value after '" + op.text + "'");
        }
        if (r.op == Op::GreaterThan || r.op == Op::LessThan) {
            long long n = 0;
            const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (value.empty() || ec != std::errc() || end != value.data() + value.size())
                return fail(v, "'" + op.text + "' needs an integer, got \"" + value + "\"");
        } else if (std::string why = labelValueProblem(value); !why.empty()) {
            return fail(v, "invalid value \"" + value + "\" for \"" + r.key + "\": " + why);
        }
        r.values = {std::move(value)};
        return r;
    }

    Result<LabelSelector::Requirement> parseSet(LabelSelector::Requirement r, const Token &op)
    {
        const Token &open = take();
        if (open.kind != Tok::Open)
            return fail(open, "found " + describe(open) + ", expected '(' after '" + op.text + "'");
        if (peek().kind == Tok::Close)
            return fail(peek(), "'" + op.text + "' needs at least one value in its parentheses");
        while (true) {
            std::string value;
            if (peek().kind == Tok::Identifier || peek().kind == Tok::In || peek().kind == Tok::NotIn)
                value = peek().text;
            else if (peek().kind != Tok::Comma && peek().kind != Tok::Close)
                return fail(peek(), "found " + describe(peek()) + ", expected a value or ')'");
            if (!value.empty()) {
                if (std::string why = labelValueProblem(value); !why.empty())
                    return fail(peek(), "invalid value \"" + value + "\" for \"" + r.key + "\": " + why);
                take();
            }
            r.values.push_back(std::move(value));
            const Token &next = take();
            if (next.kind == Tok::Close)
                return r;
            if (next.kind != Tok::Comma)
                return fail(next, "found " + describe(next) + ", expected ',' or ')' after a value");
        }
    }

    std::string_view m_text;
    std::vector<Token> m_tokens;
    std::size_t m_at = 0;
};

// [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?, at most 63 characters.
std::string nameProblem(std::string_view name, const char *what)
{
    if (name.size() > 63)
        return std::string(what) + " longer than 63 characters";
    if (!alnum(name.front()) || !alnum(name.back()))
        return std::string(what) + " must start and end with a letter or digit";
    for (char c : name)
        if (!alnum(c) && c != '-' && c != '_' && c != '.')
            return std::string(what) + " may contain only letters, digits, '-', '_' and '.' (found '" + std::string(1, c) + "')";
    return {};
}

} // namespace

std::string labelKeyProblem(std::string_view key)
{
    if (key.empty())
        return "empty key";
    std::string_view name = key;
    if (const auto slash = key.find('/'); slash != std::string_view::npos) {
        const std::string_view prefix = key.substr(0, slash);
        name = key.substr(slash + 1);
        if (prefix.empty())
            return "empty prefix before '/'";
        if (prefix.size() > 253)
            return "prefix longer than 253 characters";
        for (std::size_t i = 0; i < prefix.size(); ++i) {
            const char c = prefix[i];
            const bool edge = i == 0 || i + 1 == prefix.size();
            const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (!edge && (c == '-' || c == '.'));
            if (!ok)
                return "prefix \"" + std::string(prefix) + "\" must be a lower-case DNS subdomain (e.g. app.kubernetes.io)";
        }
        if (name.empty())
            return "empty name after '/'";
    }
    return nameProblem(name, "name");
}

std::string labelValueProblem(std::string_view value)
{
    return value.empty() ? std::string() : nameProblem(value, "value");
}

Result<LabelSelector> LabelSelector::parse(std::string_view text)
{
    auto requirements = Parser(text).run();
    if (!requirements)
        return Error{requirements.error()};
    LabelSelector out;
    out.m_requirements = std::move(*requirements);
    return out;
}

bool LabelSelector::matches(const sim::StringMap &labels) const
{
    const auto integer = [](const std::string &s, long long &out) {
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return !s.empty() && ec == std::errc() && end == s.data() + s.size();
    };
    for (const Requirement &r : m_requirements) {
        const auto it = labels.find(r.key);
        const bool has = it != labels.end();
        const bool listed = has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
        long long have = 0, want = 0;
        switch (r.op) {
        case Op::Equals:
        case Op::In:
            if (!listed)
                return false;
            break;
        case Op::NotEquals:
        case Op::NotIn:
            if (listed)
                return false;
            break;
        case Op::Exists:
            if (!has)
                return false;
            break;
        case Op::DoesNotExist:
            if (has)
                return false;
            break;
        case Op::GreaterThan:
        case Op::LessThan:
            if (!has || !integer(it->second, have) || !integer(r.values.front(), want))
                return false;
            if (r.op == Op::GreaterThan ? !(have > want) : !(have < want))
                return false;
            break;
        }
    }
    return true;
}

std::string LabelSelector::toString() const
{
    std::string out;
    for (const Requirement &r : m_requirements) {
        if (!out.empty())
            out += ',';
        const auto set = [&r] {
            std::string s = " (";
            for (std::size_t i = 0; i < r.values.size(); ++i)
                s += (i ? "," : "") + r.values[i];
            return s + ")";
        };
        switch (r.op) {
        case Op::Equals: out += r.key + "=" + r.values.front(); break;
        case Op::NotEquals: out += r.key + "!=" + r.values.front(); break;
        case Op::In: out += r.key + " in" + set(); break;
        case Op::NotIn: out += r.key + " notin" + set(); break;
        case Op::Exists: out += r.key; break;
        case Op::DoesNotExist: out += "!" + r.key; break;
        case Op::GreaterThan: out += r.key + ">" + r.values.front(); break;
        case Op::LessThan: out += r.key + "<" + r.values.front(); break;
        }
    }
    return out;
}

} // namespace opsdeck::remote
