#include "alert_template.h"

#include "template_ast.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace opsdeck::telemetry::rules {

const std::vector<std::string> &templateFunctionNames()
{
    static const std::vector<std::string> names = {
        "humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp",
        "printf", "print", "toUpper", "toLower", "title", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not"};
    return names;
}

bool isTemplateVariable(const std::string &name)
{
    // "" is `$` alone: the whole data, as Go's root variable
    static const std::vector<std::string> names = {"labels", "externalLabels", "externalURL", "value", ""};
    return std::find(names.begin(), names.end(), name) != names.end();
}

namespace {

bool isKnownFunction(const std::string &n)
{
    const auto &names = templateFunctionNames();
    return std::find(names.begin(), names.end(), n) != names.end();
}

// Parses one action's contents ("humanize $value | printf ...").
class ActionParser {
public:
    // `base`: offset of `text` within the whole template, so commands know their position.
    ActionParser(std::string_view text, int line, std::size_t base) : m_text(text), m_line(line), m_base(base) {}

    Result<std::shared_ptr<Pipeline>> parsePipeline(bool inParen)
    {
        auto pipe = std::make_shared<Pipeline>();
        for (;;) {
            Command cmd;
            for (;;) {
                skipSpace();
                if (atEnd() || peek() == '|' || peek() == ')')
                    break;
                const std::size_t start = m_pos;
                if (cmd.operands.empty())
                    cmd.offset = m_base + start;
                auto operand = parseOperand();
                if (!operand)
                    return Error{operand.error()};
                cmd.source += (cmd.source.empty() ? "" : " ") + std::string(m_text.substr(start, m_pos - start));
                cmd.operands.push_back(std::move(*operand));
            }
            if (cmd.operands.empty())
                return Error{fail(atEnd() && !inParen && pipe->commands.empty() ? "missing value for command"
                                                                                : "missing value for command")};
            pipe->commands.push_back(std::move(cmd));
            skipSpace();
            if (!atEnd() && peek() == '|') {
                ++m_pos;
                continue;
            }
            break;
        }
        if (inParen) {
            if (atEnd() || peek() != ')')
                return Error{fail("unclosed left paren")};
            ++m_pos;
        } else if (!atEnd()) {
            return Error{fail(std::string("unexpected \"") + peek() + "\" in command")};
        }
        return pipe;
    }

private:
    bool atEnd() const { return m_pos >= m_text.size(); }
    char peek() const { return m_text[m_pos]; }
    void skipSpace()
    {
        while (!atEnd() && std::isspace(static_cast<unsigned char>(peek())))
            ++m_pos;
    }
    std::string fail(const std::string &why) const { return std::to_string(m_line) + ": " + why; }

    std::string identifier()
    {
        const std::size_t start = m_pos;
        while (!atEnd() && (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_'))
            ++m_pos;
        return std::string(m_text.substr(start, m_pos - start));
    }

    std::vector<std::string> fieldChain()
    {
        std::vector<std::string> fields;
        while (!atEnd() && peek() == '.') {
            ++m_pos;
            fields.push_back(identifier());
        }
        return fields;
    }

    Result<Operand> parseOperand()
    {
        Operand op;
        const char c = peek();
        if (c == '$') {
            ++m_pos;
            op.kind = Operand::Kind::Variable;
            op.name = identifier();
            if (!isTemplateVariable(op.name))
                return Error{fail("undefined variable \"$" + op.name + "\"")};
            op.fields = fieldChain();
            return op;
        }
        if (c == '.') {
            op.kind = Operand::Kind::Field;
            op.fields = fieldChain();
            if (op.fields.size() == 1 && op.fields[0].empty())
                op.fields.clear(); // a lone dot
            return op;
        }
        if (c == '"' || c == '`') {
            op.kind = Operand::Kind::String;
            const char quote = c;
            ++m_pos;
            while (!atEnd() && peek() != quote) {
                if (quote == '"' && peek() == '\\' && m_pos + 1 < m_text.size()) {
                    ++m_pos;
                    const char e = peek();
                    op.text += e == 'n' ? '\n' : e == 't' ? '\t' : e;
                } else {
                    op.text += peek();
                }
                ++m_pos;
            }
            if (atEnd())
                return Error{fail("unterminated quoted string")};
            ++m_pos;
            return op;
        }
        if (c == '(') {
            ++m_pos;
            op.kind = Operand::Kind::Paren;
            auto inner = parsePipeline(true);
            if (!inner)
                return Error{inner.error()};
            op.pipeline = *inner;
            return op;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+') {
            const std::string rest(m_text.substr(m_pos));
            char *end = nullptr;
            op.number = std::strtod(rest.c_str(), &end);
            if (end == rest.c_str())
                return Error{fail(std::string("unexpected \"") + c + "\" in command")};
            op.kind = Operand::Kind::Number;
            const std::string literal(rest.c_str(), static_cast<std::size_t>(end - rest.c_str()));
            op.isInteger = literal.find_first_of(".eEnNiI") == std::string::npos;
            m_pos += literal.size();
            return op;
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            op.name = identifier();
            // if / else / with / end are handled by AlertTemplate::parse
            static const std::vector<std::string> kControl = {"if", "else", "end", "range", "with",
                                                              "define", "template", "block", "break", "continue"};
            if (std::find(kControl.begin(), kControl.end(), op.name) != kControl.end())
                return Error{fail("\"" + op.name + "\" actions are not supported by OpsDeck templates")};
            if (!isKnownFunction(op.name))
                return Error{fail("function \"" + op.name + "\" not defined")};
            op.kind = Operand::Kind::Function;
            return op;
        }
        return Error{fail(std::string("unexpected \"") + c + "\" in command")};
    }

    std::string_view m_text;
    int m_line;
    std::size_t m_base;
    std::size_t m_pos = 0;
};

} // namespace

Result<AlertTemplate> AlertTemplate::parse(std::string_view text, const std::string &name)
{
    using Piece = TemplateNode::Piece;
    using Kind = TemplateNode::Kind;
    auto root = std::make_shared<TemplateNode>();
    // Open if / with blocks, innermost last. Appends only ever go to the innermost
    // block's current branch, so pointers to the outer ones stay valid.
    struct Frame {
        Piece *block;
        bool inElse = false;
        bool chainedElseIf = false; // closed by the same {{end}} as its parent
    };
    std::vector<Frame> open;
    const auto current = [&]() -> std::vector<Piece> & {
        if (open.empty())
            return root->pieces;
        return open.back().inElse ? open.back().block->elseBranch : open.back().block->thenBranch;
    };
    const auto fail = [&](int line, const std::string &why) {
        return Error{"template: " + name + ":" + std::to_string(line) + ": " + why};
    };
    std::size_t pos = 0;
    int line = 1;
    std::string pendingText;
    const auto flushText = [&] {
        if (!pendingText.empty())
            current().push_back(Piece{Kind::Text, std::move(pendingText), nullptr, {}, {}});
        pendingText.clear();
    };
    const auto countLines = [](std::string_view s) {
        return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
    };
    const auto parsePipe = [&](std::string_view body, int atLine) -> Result<std::shared_ptr<Pipeline>> {
        ActionParser parser(body, atLine, static_cast<std::size_t>(body.data() - text.data()));
        auto pipe = parser.parsePipeline(false);
        if (!pipe)
            return Error{"template: " + name + ":" + pipe.error()};
        return *pipe;
    };
    while (pos < text.size()) {
        const std::size_t openAt = text.find("{{", pos);
        if (openAt == std::string_view::npos) {
            pendingText += text.substr(pos);
            break;
        }
        std::string_view literal = text.substr(pos, openAt - pos);
        std::size_t contentStart = openAt + 2;
        // "{{- " trims whitespace before the action
        if (contentStart + 1 < text.size() && text[contentStart] == '-' &&
            std::isspace(static_cast<unsigned char>(text[contentStart + 1]))) {
            while (!literal.empty() && std::isspace(static_cast<unsigned char>(literal.back())))
                literal.remove_suffix(1);
            ++contentStart;
        }
        pendingText += literal;
        line += countLines(text.substr(pos, openAt - pos));
        const std::size_t close = text.find("}}", contentStart);
        if (close == std::string_view::npos)
            return fail(line, "unclosed action");
        std::size_t contentEnd = close;
        bool trimAfter = false;
        if (contentEnd > contentStart + 1 && text[contentEnd - 1] == '-' &&
            std::isspace(static_cast<unsigned char>(text[contentEnd - 2]))) {
            --contentEnd;
            trimAfter = true;
        }
        std::string_view content = text.substr(contentStart, contentEnd - contentStart);
        pos = close + 2;
        if (trimAfter)
            while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos])))
                ++pos;
        std::string_view trimmed = content;
        while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front())))
            trimmed.remove_prefix(1);
        while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back())))
            trimmed.remove_suffix(1);
        const int actionLine = line;
        line += countLines(content);
        if (trimmed.starts_with("/*") && trimmed.ends_with("*/"))
            continue; // a comment prints nothing
        if (trimmed.empty())
            return fail(actionLine, "missing value for command");
        const auto keyword = [&](std::string_view kw) {
            return trimmed == kw || (trimmed.starts_with(kw) && trimmed.size() > kw.size() &&
                                     std::isspace(static_cast<unsigned char>(trimmed[kw.size()])));
        };
        flushText();
        if (keyword("if") || keyword("with")) {
            const bool isIf = keyword("if");
            auto cond = parsePipe(trimmed.substr(isIf ? 2 : 4), actionLine);
            if (!cond)
                return Error{cond.error()};
            current().push_back(Piece{isIf ? Kind::If : Kind::With, {}, *cond, {}, {}});
            open.push_back({&current().back()});
        } else if (keyword("else")) {
            if (open.empty() || open.back().inElse)
                return fail(actionLine, "unexpected {{else}}");
            open.back().inElse = true;
            std::string_view rest = trimmed.substr(4);
            while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.front())))
                rest.remove_prefix(1);
            if (!rest.empty()) {
                if (!(rest.starts_with("if") && rest.size() > 2 && std::isspace(static_cast<unsigned char>(rest[2]))))
                    return fail(actionLine, "unexpected \"" + std::string(rest) + "\" in else");
                auto cond = parsePipe(rest.substr(2), actionLine);
                if (!cond)
                    return Error{cond.error()};
                current().push_back(Piece{Kind::If, {}, *cond, {}, {}});
                open.push_back({&current().back(), false, true});
            }
        } else if (keyword("end")) {
            if (open.empty())
                return fail(actionLine, "unexpected {{end}}");
            while (open.back().chainedElseIf)
                open.pop_back();
            open.pop_back();
        } else {
            auto pipe = parsePipe(trimmed, actionLine);
            if (!pipe)
                return Error{pipe.error()};
            current().push_back(Piece{Kind::Print, {}, *pipe, {}, {}});
        }
    }
    if (!open.empty())
        return fail(line, "unexpected EOF");
    flushText();
    AlertTemplate t;
    t.m_name = name;
    t.m_text = std::string(text);
    t.m_root = std::move(root);
    return t;
}

std::string checkAlertTemplate(std::string_view text, const std::string &alertName)
{
    auto tmpl = AlertTemplate::parse(text, "__alert_" + alertName);
    return tmpl ? std::string() : tmpl.error();
}

} // namespace opsdeck::telemetry::rules
