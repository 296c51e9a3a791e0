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
        "printf", "print", "toUpper", "toLower", "title"};
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
    ActionParser(std::string_view text, int line) : m_text(text), m_line(line) {}

    Result<std::shared_ptr<Pipeline>> parsePipeline(bool inParen)
    {
        auto pipe = std::make_shared<Pipeline>();
        for (;;) {
            Command cmd;
            for (;;) {
                skipSpace();
                if (atEnd() || peek() == '|' || peek() == ')')
                    break;
                auto operand = parseOperand();
                if (!operand)
                    return Error{operand.error()};
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
            static const std::vector<std::string> kControl = {"if", "else", "end", "range", "with",
                                                              "define", "template", "block"};
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
    std::size_t m_pos = 0;
};

} // namespace

Result<AlertTemplate> AlertTemplate::parse(std::string_view text, const std::string &name)
{
    auto root = std::make_shared<TemplateNode>();
    std::size_t pos = 0;
    int line = 1;
    std::string pendingText;
    const auto countLines = [](std::string_view s) {
        return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
    };
    while (pos < text.size()) {
        const std::size_t open = text.find("{{", pos);
        if (open == std::string_view::npos) {
            pendingText += text.substr(pos);
            break;
        }
        std::string_view literal = text.substr(pos, open - pos);
        std::size_t contentStart = open + 2;
        // "{{- " trims whitespace before the action
        if (contentStart + 1 < text.size() && text[contentStart] == '-' &&
            std::isspace(static_cast<unsigned char>(text[contentStart + 1]))) {
            while (!literal.empty() && std::isspace(static_cast<unsigned char>(literal.back())))
                literal.remove_suffix(1);
            ++contentStart;
        }
        pendingText += literal;
        line += countLines(text.substr(pos, open - pos));
        const std::size_t close = text.find("}}", contentStart);
        if (close == std::string_view::npos)
            return Error{"template: " + name + ":" + std::to_string(line) + ": unclosed action"};
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
        // Comments and Prometheus's own variable definitions print nothing.
        std::string_view trimmed = content;
        while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front())))
            trimmed.remove_prefix(1);
        while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back())))
            trimmed.remove_suffix(1);
        if (trimmed.starts_with("/*") && trimmed.ends_with("*/"))
            continue;
        if (trimmed.empty())
            return Error{"template: " + name + ":" + std::to_string(line) + ": missing value for command"};
        ActionParser parser(trimmed, line);
        auto pipe = parser.parsePipeline(false);
        if (!pipe)
            return Error{"template: " + name + ":" + pipe.error()};
        root->pieces.push_back({std::move(pendingText), nullptr});
        pendingText.clear();
        root->pieces.push_back({{}, *pipe});
        line += countLines(content);
    }
    if (!pendingText.empty())
        root->pieces.push_back({std::move(pendingText), nullptr});
    AlertTemplate t;
    t.m_name = name;
    t.m_root = std::move(root);
    return t;
}

std::string checkAlertTemplate(std::string_view text, const std::string &alertName)
{
    auto tmpl = AlertTemplate::parse(text, "__alert_" + alertName);
    return tmpl ? std::string() : tmpl.error();
}

} // namespace opsdeck::telemetry::rules
