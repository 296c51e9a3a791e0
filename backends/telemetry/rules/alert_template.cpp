#include "alert_template.h"

#include "go_format.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <optional>
#include <variant>
#include <vector>

namespace opsdeck::telemetry::rules {

// ---- the humanize family (prometheus/template/template.go) -----------------------

std::string humanize(double v)
{
    if (v == 0 || std::isnan(v) || std::isinf(v))
        return goFormatG(v, 4);
    std::string prefix;
    if (std::fabs(v) >= 1) {
        for (const char *p : {"k", "M", "G", "T", "P", "E", "Z", "Y"}) {
            if (std::fabs(v) < 1000)
                break;
            prefix = p;
            v /= 1000;
        }
        return goFormatG(v, 4) + prefix;
    }
    for (const char *p : {"m", "u", "n", "p", "f", "a", "z", "y"}) {
        if (std::fabs(v) >= 1)
            break;
        prefix = p;
        v *= 1000;
    }
    return goFormatG(v, 4) + prefix;
}

std::string humanize1024(double v)
{
    if (std::fabs(v) <= 1 || std::isnan(v) || std::isinf(v))
        return goFormatG(v, 4);
    std::string prefix;
    for (const char *p : {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"}) {
        if (std::fabs(v) < 1024)
            break;
        prefix = p;
        v /= 1024;
    }
    return goFormatG(v, 4) + prefix;
}

std::string humanizeDuration(double v)
{
    if (std::isnan(v) || std::isinf(v))
        return goFormatG(v, 4);
    if (v == 0)
        return goFormatG(v, 4) + "s";
    if (std::fabs(v) >= 1) {
        std::string sign;
        if (v < 0) {
            sign = "-";
            v = -v;
        }
        const auto duration = static_cast<long long>(v);
        const long long seconds = duration % 60;
        const long long minutes = (duration / 60) % 60;
        const long long hours = (duration / 60 / 60) % 24;
        const long long days = duration / 60 / 60 / 24;
        const auto s = [](long long n) { return std::to_string(n); };
        if (days != 0)
            return sign + s(days) + "d " + s(hours) + "h " + s(minutes) + "m " + s(seconds) + "s";
        if (hours != 0)
            return sign + s(hours) + "h " + s(minutes) + "m " + s(seconds) + "s";
        if (minutes != 0)
            return sign + s(minutes) + "m " + s(seconds) + "s";
        return sign + goFormatG(v, 4) + "s";
    }
    std::string prefix;
    for (const char *p : {"m", "u", "n", "p", "f", "a", "z", "y"}) {
        if (std::fabs(v) >= 1)
            break;
        prefix = p;
        v *= 1000;
    }
    return goFormatG(v, 4) + prefix + "s";
}

std::string humanizePercentage(double ratio) { return goFormatG(ratio * 100, 4) + "%"; }

namespace {

std::string humanizeTimestamp(double v)
{
    if (std::isnan(v) || std::isinf(v))
        return goFormatG(v, 4);
    // Go prints time.Time as "2006-01-02 15:04:05.999999999 -0700 MST" in UTC
    const double whole = std::floor(v);
    const auto secs = static_cast<std::time_t>(whole);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    std::string out = buf;
    if (const auto nanos = static_cast<long long>(std::llround((v - whole) * 1e9)); nanos > 0) {
        std::string frac = std::to_string(nanos + 1000000000LL).substr(1);
        while (!frac.empty() && frac.back() == '0')
            frac.pop_back();
        out += "." + frac;
    }
    return out + " +0000 UTC";
}

// ---- values during execution -------------------------------------------------------

struct MapRef {
    const std::map<std::string, std::string> *map = nullptr;
};
struct DataRef {}; // `.` or `$`: the whole TemplateData
using TValue = std::variant<double, std::string, MapRef, DataRef, long long>; // long long: integer literals

std::string printValue(const TValue &v)
{
    if (const auto *d = std::get_if<double>(&v))
        return goFormatFloat(*d);
    if (const auto *s = std::get_if<std::string>(&v))
        return *s;
    if (const auto *i = std::get_if<long long>(&v))
        return std::to_string(*i);
    if (const auto *m = std::get_if<MapRef>(&v)) {
        std::string out = "map[";
        bool first = true;
        for (const auto &[k, val] : *m->map) {
            out += (first ? "" : " ") + k + ":" + val;
            first = false;
        }
        return out + "]";
    }
    return "{...}";
}

} // namespace

// ---- syntax tree ---------------------------------------------------------------------

struct Pipeline;

struct Operand {
    enum class Kind { Function, Variable, Field, String, Number, Paren };
    Kind kind = Kind::String;
    std::string name;                // function or variable name (without $)
    std::vector<std::string> fields; // .a.b after a variable or the dot
    std::string text;                // string literal value
    double number = 0;
    bool isInteger = false; // Go templates type `42` as int and `4.2` as float64
    std::shared_ptr<Pipeline> pipeline; // for Paren
};

struct Command {
    std::vector<Operand> operands;
};

struct Pipeline {
    std::vector<Command> commands;
};

struct TemplateNode {
    // Alternating pieces: literal text or an action to print.
    struct Piece {
        std::string text;
        std::shared_ptr<Pipeline> action; // null for text
    };
    std::vector<Piece> pieces;
};

namespace {

const std::vector<std::string> kFunctions = {
    "humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp",
    "printf", "print", "toUpper", "toLower", "title"};
const std::vector<std::string> kVariables = {"labels", "externalLabels", "externalURL", "value", ""};

bool isKnownFunction(const std::string &n)
{
    return std::find(kFunctions.begin(), kFunctions.end(), n) != kFunctions.end();
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
            if (std::find(kVariables.begin(), kVariables.end(), op.name) == kVariables.end())
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

// ---- execution -------------------------------------------------------------------------

class Executor {
public:
    explicit Executor(const TemplateData &data) : m_data(data) {}

    Result<TValue> run(const Pipeline &pipe)
    {
        std::optional<TValue> piped;
        for (const Command &cmd : pipe.commands) {
            auto v = runCommand(cmd, piped);
            if (!v)
                return v;
            piped = *v;
        }
        return *piped;
    }

private:
    Result<TValue> operandValue(const Operand &op)
    {
        switch (op.kind) {
        case Operand::Kind::String:
            return TValue{op.text};
        case Operand::Kind::Number:
            if (op.isInteger)
                return TValue{static_cast<long long>(op.number)};
            return TValue{op.number};
        case Operand::Kind::Paren:
            return run(*op.pipeline);
        case Operand::Kind::Variable:
            return resolve(variableRoot(op.name), op.fields);
        case Operand::Kind::Field:
            return resolve(TValue{DataRef{}}, op.fields);
        case Operand::Kind::Function:
            return Error{"can't evaluate function " + op.name + " here"};
        }
        return Error{"bad operand"};
    }

    TValue variableRoot(const std::string &name) const
    {
        if (name == "labels")
            return MapRef{&m_data.labels};
        if (name == "externalLabels")
            return MapRef{&m_data.externalLabels};
        if (name == "externalURL")
            return m_data.externalUrl;
        if (name == "value")
            return m_data.value;
        return DataRef{};
    }

    Result<TValue> resolve(TValue v, const std::vector<std::string> &fields) const
    {
        for (const std::string &f : fields) {
            if (std::holds_alternative<MapRef>(v)) {
                const auto &m = *std::get<MapRef>(v).map;
                const auto it = m.find(f);
                v = it == m.end() ? std::string() : it->second; // missingkey=zero
            } else if (std::holds_alternative<DataRef>(v)) {
                if (f == "Labels")
                    v = MapRef{&m_data.labels};
                else if (f == "ExternalLabels")
                    v = MapRef{&m_data.externalLabels};
                else if (f == "ExternalURL")
                    v = m_data.externalUrl;
                else if (f == "Value")
                    v = m_data.value;
                else
                    return Error{"can't evaluate field " + f + " in type *template.tmplData"};
            } else {
                return Error{"can't evaluate field " + f + " in a " +
                             (std::holds_alternative<double>(v) ? "float64" : "string")};
            }
        }
        return v;
    }

    Result<TValue> runCommand(const Command &cmd, const std::optional<TValue> &piped)
    {
        const Operand &head = cmd.operands.front();
        if (head.kind != Operand::Kind::Function) {
            if (cmd.operands.size() > 1 || piped)
                return Error{"can't give argument to non-function " + printValue(*operandValue(head))};
            return operandValue(head);
        }
        std::vector<TValue> args;
        for (std::size_t i = 1; i < cmd.operands.size(); ++i) {
            auto v = operandValue(cmd.operands[i]);
            if (!v)
                return v;
            args.push_back(*v);
        }
        if (piped)
            args.push_back(*piped);
        return call(head.name, args);
    }

    static Result<double> toFloat(const TValue &v)
    {
        if (const auto *d = std::get_if<double>(&v))
            return *d;
        if (const auto *i = std::get_if<long long>(&v))
            return static_cast<double>(*i);
        if (const auto *s = std::get_if<std::string>(&v)) {
            char *end = nullptr;
            const double d = std::strtod(s->c_str(), &end);
            if (s->empty() || *end != '\0')
                return Error{"strconv.ParseFloat: parsing \"" + *s + "\": invalid syntax"};
            return d;
        }
        return Error{"can't convert map to float"};
    }

    static GoValue toGo(const TValue &v)
    {
        if (const auto *d = std::get_if<double>(&v))
            return *d;
        if (const auto *i = std::get_if<long long>(&v))
            return *i;
        return printValue(v);
    }

    static Result<TValue> call(const std::string &fn, const std::vector<TValue> &args)
    {
        const auto wantArgs = [&](std::size_t n) -> std::string {
            if (args.size() == n)
                return {};
            return "wrong number of args for " + fn + ": want " + std::to_string(n) + " got " +
                   std::to_string(args.size());
        };
        using Numeric = std::function<std::string(double)>;
        static const std::map<std::string, Numeric> numeric = {
            {"humanize", humanize},
            {"humanize1024", humanize1024},
            {"humanizeDuration", humanizeDuration},
            {"humanizePercentage", humanizePercentage},
            {"humanizeTimestamp", humanizeTimestamp}};
        if (const auto it = numeric.find(fn); it != numeric.end()) {
            if (auto why = wantArgs(1); !why.empty())
                return Error{why};
            auto d = toFloat(args[0]);
            if (!d)
                return Error{"error calling " + fn + ": " + d.error()};
            return TValue{it->second(*d)};
        }
        if (fn == "printf") {
            if (args.empty())
                return Error{"wrong number of args for printf: want at least 1 got 0"};
            std::vector<GoValue> rest;
            for (std::size_t i = 1; i < args.size(); ++i)
                rest.push_back(toGo(args[i]));
            return TValue{goSprintf(printValue(args[0]), rest)};
        }
        if (fn == "print") {
            // fmt.Sprint adds spaces between operands when neither is a string
            std::string out;
            for (std::size_t i = 0; i < args.size(); ++i) {
                const bool isString = std::holds_alternative<std::string>(args[i]);
                if (i > 0 && !isString && !std::holds_alternative<std::string>(args[i - 1]))
                    out += ' ';
                out += printValue(args[i]);
            }
            return TValue{out};
        }
        if (fn == "toUpper" || fn == "toLower" || fn == "title") {
            if (auto why = wantArgs(1); !why.empty())
                return Error{why};
            std::string s = printValue(args[0]);
            bool wordStart = true;
            for (char &c : s) {
                const auto u = static_cast<unsigned char>(c);
                if (fn == "toUpper")
                    c = static_cast<char>(std::toupper(u));
                else if (fn == "toLower")
                    c = static_cast<char>(std::tolower(u));
                else if (wordStart && std::isalpha(u))
                    c = static_cast<char>(std::toupper(u));
                wordStart = !std::isalnum(u) && c != '_' && c != '\'';
            }
            return TValue{s};
        }
        return Error{"function \"" + fn + "\" not defined"};
    }

    const TemplateData &m_data;
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

Result<std::string> AlertTemplate::expand(const TemplateData &data) const
{
    std::string out;
    Executor exec(data);
    for (const auto &piece : m_root->pieces) {
        if (!piece.action) {
            out += piece.text;
            continue;
        }
        auto v = exec.run(*piece.action);
        if (!v)
            return Error{"template: " + m_name + ":1:" + " executing \"" + m_name + "\": " + v.error()};
        out += printValue(*v);
    }
    return out;
}

std::string expandAlertTemplate(std::string_view text, const std::string &alertName,
                                const TemplateData &data)
{
    // Fast path: most label values hold no template at all.
    if (text.find("{{") == std::string_view::npos)
        return std::string(text);
    auto tmpl = AlertTemplate::parse(text, "__alert_" + alertName);
    if (!tmpl)
        return "<error expanding template: " + tmpl.error() + ">";
    auto out = tmpl->expand(data);
    if (!out)
        return "<error expanding template: " + out.error() + ">";
    return *out;
}

std::string checkAlertTemplate(std::string_view text, const std::string &alertName)
{
    auto tmpl = AlertTemplate::parse(text, "__alert_" + alertName);
    return tmpl ? std::string() : tmpl.error();
}

} // namespace opsdeck::telemetry::rules
