#include "alert_template.h"

#include "go_format.h"
#include "template_ast.h"

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

namespace {

struct MapRef {
    const std::map<std::string, std::string> *map = nullptr;
};
struct DataRef {}; // `.` or `$`: the whole TemplateData
// long long: integer literals; bool: results of eq / lt / not ...
using TValue = std::variant<double, std::string, MapRef, DataRef, long long, bool>;

// Go's template truth: false, 0, "" and empty maps are false, everything else true.
bool truthy(const TValue &v)
{
    if (const auto *d = std::get_if<double>(&v))
        return *d != 0;
    if (const auto *s = std::get_if<std::string>(&v))
        return !s->empty();
    if (const auto *m = std::get_if<MapRef>(&v))
        return !m->map->empty();
    if (const auto *i = std::get_if<long long>(&v))
        return *i != 0;
    if (const auto *b = std::get_if<bool>(&v))
        return *b;
    return true;
}

std::string printValue(const TValue &v)
{
    if (const auto *d = std::get_if<double>(&v))
        return goFormatFloat(*d);
    if (const auto *s = std::get_if<std::string>(&v))
        return *s;
    if (const auto *i = std::get_if<long long>(&v))
        return std::to_string(*i);
    if (const auto *b = std::get_if<bool>(&v))
        return *b ? "true" : "false";
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

namespace {

// ---- execution -------------------------------------------------------------------------

class Executor {
public:
    explicit Executor(const TemplateData &data) : m_data(data) {}

    // Runs a list of pieces (a template body or a branch), appending to `out`.
    Result<bool> execute(const std::vector<TemplateNode::Piece> &pieces, std::string &out)
    {
        using Kind = TemplateNode::Kind;
        for (const auto &piece : pieces) {
            if (piece.kind == Kind::Text) {
                out += piece.text;
                continue;
            }
            auto v = run(*piece.action);
            if (!v)
                return Error{v.error()};
            if (piece.kind == Kind::Print) {
                out += printValue(*v);
                continue;
            }
            const bool take = truthy(*v);
            const TValue savedDot = m_dot;
            if (piece.kind == Kind::With && take)
                m_dot = *v; // `with` rebinds the dot inside its body
            auto ran = execute(take ? piece.thenBranch : piece.elseBranch, out);
            m_dot = savedDot;
            if (!ran)
                return ran;
        }
        return true;
    }

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
            return resolve(m_dot, op.fields);
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

public:
    // Where the first execution error happened, for Go's "at <cmd>" error context.
    const Command *failedCommand = nullptr;

private:

    Result<TValue> runCommand(const Command &cmd, const std::optional<TValue> &piped)
    {
        auto result = runCommandUnlocated(cmd, piped);
        if (!result && !failedCommand)
            failedCommand = &cmd;
        return result;
    }

    Result<TValue> runCommandUnlocated(const Command &cmd, const std::optional<TValue> &piped)
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

    // Go compares only values of the same basic kind: float64 with float64, int with
    // int, string with string (bools only for eq / ne).
    static Result<int> compare(const TValue &a, const TValue &b, bool equalityOnly)
    {
        const auto order = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
        if (a.index() != b.index())
            return Error{"incompatible types for comparison"};
        if (const auto *d = std::get_if<double>(&a))
            return order(*d, std::get<double>(b));
        if (const auto *i = std::get_if<long long>(&a))
            return order(*i, std::get<long long>(b));
        if (const auto *s = std::get_if<std::string>(&a))
            return order(*s, std::get<std::string>(b));
        if (const auto *x = std::get_if<bool>(&a); x && equalityOnly)
            return *x == std::get<bool>(b) ? 0 : 1;
        return Error{equalityOnly ? "non-comparable type" : "invalid type for comparison"};
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
        if (fn == "not") {
            if (auto why = wantArgs(1); !why.empty())
                return Error{why};
            return TValue{!truthy(args[0])};
        }
        if (fn == "and" || fn == "or") {
            if (args.empty())
                return Error{"wrong number of args for " + fn + ": want at least 1 got 0"};
            // the first argument that decides, as Go returns it (not a bool)
            for (const TValue &a : args)
                if (truthy(a) == (fn == "or"))
                    return a;
            return args.back();
        }
        if (fn == "eq" || fn == "ne" || fn == "lt" || fn == "le" || fn == "gt" || fn == "ge") {
            if (args.size() < 2 || (fn != "eq" && args.size() != 2))
                return Error{"wrong number of args for " + fn + ": want 2 got " + std::to_string(args.size())};
            if (fn == "eq") {
                for (std::size_t i = 1; i < args.size(); ++i) {
                    auto c = compare(args[0], args[i], true);
                    if (!c)
                        return Error{"error calling eq: " + c.error()};
                    if (*c == 0)
                        return TValue{true};
                }
                return TValue{false};
            }
            auto c = compare(args[0], args[1], fn == "ne");
            if (!c)
                return Error{"error calling " + fn + ": " + c.error()};
            const int r = *c;
            const bool result = fn == "ne" ? r != 0 : fn == "lt" ? r < 0 : fn == "le" ? r <= 0 : fn == "gt" ? r > 0 : r >= 0;
            return TValue{result};
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
    TValue m_dot = DataRef{};
};


} // namespace

Result<std::string> AlertTemplate::expand(const TemplateData &data) const
{
    std::string out;
    Executor exec(data);
    auto ran = exec.execute(m_root->pieces, out);
    if (ran)
        return out;
    // Go reports line:column in the text Prometheus really parses: its variable
    // definitions prefix the template on line 1.
    static constexpr std::size_t kDefinitionsLength =
        std::string_view("{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}"
                         "{{$externalURL := .ExternalURL}}{{$value := .Value}}")
            .size();
    std::string where = "template: " + m_name + ":1:";
    std::string at;
    if (const Command *cmd = exec.failedCommand) {
        const std::string_view before = std::string_view(m_text).substr(0, cmd->offset);
        const auto newlines = std::count(before.begin(), before.end(), '\n');
        const std::size_t lastNewline = before.rfind('\n');
        const std::size_t column =
            lastNewline == std::string_view::npos ? kDefinitionsLength + cmd->offset : cmd->offset - lastNewline - 1;
        where = "template: " + m_name + ":" + std::to_string(1 + newlines) + ":" + std::to_string(column) + ":";
        at = " at <" + cmd->source + ">";
    }
    return Error{"error executing template " + m_name + ": " + where + " executing \"" + m_name + "\"" + at + ": " +
                 ran.error()};
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

} // namespace opsdeck::telemetry::rules
