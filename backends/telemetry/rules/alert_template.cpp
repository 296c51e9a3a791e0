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

namespace {

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

} // namespace opsdeck::telemetry::rules
