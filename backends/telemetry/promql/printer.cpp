// Expr::toString, formatValue and the small naming helpers, matching Prometheus's
// printer.go and Go's number formatting so round-trips and test output compare equal.
#include "ast.h"
#include "../go_quote.h"
#include "functions.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace opsdeck::telemetry::promql {

const char *binOpName(BinOp op)
{
    switch (op) {
    case BinOp::Add: return "+";
    case BinOp::Sub: return "-";
    case BinOp::Mul: return "*";
    case BinOp::Div: return "/";
    case BinOp::Mod: return "%";
    case BinOp::Pow: return "^";
    case BinOp::Atan2: return "atan2";
    case BinOp::Eq: return "==";
    case BinOp::Ne: return "!=";
    case BinOp::Gt: return ">";
    case BinOp::Lt: return "<";
    case BinOp::Ge: return ">=";
    case BinOp::Le: return "<=";
    case BinOp::And: return "and";
    case BinOp::Or: return "or";
    case BinOp::Unless: return "unless";
    }
    return "?";
}

const char *aggOpName(AggOp op)
{
    switch (op) {
    case AggOp::Sum: return "sum";
    case AggOp::Avg: return "avg";
    case AggOp::Min: return "min";
    case AggOp::Max: return "max";
    case AggOp::Count: return "count";
    case AggOp::Group: return "group";
    case AggOp::Stddev: return "stddev";
    case AggOp::Stdvar: return "stdvar";
    case AggOp::Topk: return "topk";
    case AggOp::Bottomk: return "bottomk";
    case AggOp::Quantile: return "quantile";
    case AggOp::CountValues: return "count_values";
    }
    return "?";
}

const char *valueTypeName(ValueType t)
{
    switch (t) {
    case ValueType::Scalar: return "scalar";
    case ValueType::Vector: return "instant vector";
    case ValueType::Matrix: return "range vector";
    case ValueType::String: return "string";
    }
    return "?";
}

bool isComparison(BinOp op)
{
    return op == BinOp::Eq || op == BinOp::Ne || op == BinOp::Gt || op == BinOp::Lt || op == BinOp::Ge ||
           op == BinOp::Le;
}

bool isSetOperator(BinOp op) { return op == BinOp::And || op == BinOp::Or || op == BinOp::Unless; }

std::string formatDuration(std::int64_t ms)
{
    if (ms == 0)
        return "0s";
    std::string out;
    auto unit = [&](const char *name, std::int64_t mult, bool exact) {
        if (exact && ms % mult != 0)
            return;
        if (const std::int64_t v = ms / mult; v > 0) {
            out += std::to_string(v) + name;
            ms -= v * mult;
        }
    };
    // Years and weeks only when exact: "90d" reads better than "12w6d".
    unit("y", 365LL * 24 * 3600 * 1000, true);
    unit("w", 7LL * 24 * 3600 * 1000, true);
    unit("d", 24LL * 3600 * 1000, false);
    unit("h", 3600LL * 1000, false);
    unit("m", 60LL * 1000, false);
    unit("s", 1000, false);
    unit("ms", 1, false);
    return out;
}

std::string formatValue(double v)
{
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    // Shortest round-trip digits, then Go's 'g' rule for the shortest form: exponent
    // notation when the decimal exponent is < -4 or >= 6 (so 1e+06 but 100000).
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    const auto ePos = sci.find('e');
    const int exp = std::stoi(sci.substr(ePos + 1));
    if (exp < -4 || exp >= 6) {
        // Go prints at least two exponent digits, as does to_chars: 1e+06, 1.5e-07.
        return sci;
    }
    res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    return std::string(buf, res.ptr);
}

namespace {

std::string join(const std::vector<std::string> &items)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? ", " : "") + items[i];
    return out;
}

std::string modifiers(const Node &n)
{
    std::string out;
    if (n.at) {
        if (n.at->kind == AtModifier::Kind::Start)
            out += " @ start()";
        else if (n.at->kind == AtModifier::Kind::End)
            out += " @ end()";
        else {
            char buf[64];
            std::snprintf(buf, sizeof buf, " @ %.3f", static_cast<double>(n.at->ms) / 1000.0);
            out += buf;
        }
    }
    if (n.offsetMs > 0)
        out += " offset " + formatDuration(n.offsetMs);
    else if (n.offsetMs < 0)
        out += " offset -" + formatDuration(-n.offsetMs);
    return out;
}

std::string selectorBody(const Node &n)
{
    std::vector<std::string> parts;
    for (const auto &m : n.matchers) {
        if (m.name == "__name__" && m.op == LabelMatcher::Op::Equal && m.value == n.metricName)
            continue;
        static const char *kOps[] = {"=", "!=", "=~", "!~"};
        parts.push_back(m.name + kOps[static_cast<int>(m.op)] + goQuote(m.value));
    }
    if (parts.empty())
        return n.metricName;
    std::sort(parts.begin(), parts.end());
    std::string inner;
    for (std::size_t i = 0; i < parts.size(); ++i)
        inner += (i ? "," : "") + parts[i];
    return n.metricName + "{" + inner + "}";
}

std::string print(const Node &n)
{
    switch (n.kind) {
    case NodeKind::Number: return formatValue(n.number);
    case NodeKind::String: return goQuote(n.text);
    case NodeKind::Paren: return "(" + print(n.arg(0)) + ")";
    case NodeKind::Unary: return std::string(n.op == BinOp::Sub ? "-" : "+") + print(n.arg(0));
    case NodeKind::VectorSelector: return selectorBody(n) + modifiers(n);
    case NodeKind::MatrixSelector:
        return selectorBody(n.arg(0)) + "[" + formatDuration(n.rangeMs) + "]" + modifiers(n.arg(0));
    case NodeKind::Subquery:
        return print(n.arg(0)) + "[" + formatDuration(n.rangeMs) + ":" +
               (n.stepMs ? formatDuration(n.stepMs) : "") + "]" + modifiers(n);
    case NodeKind::Call: {
        std::string out = std::string(n.func->name) + "(";
        for (std::size_t i = 0; i < n.args.size(); ++i)
            out += (i ? ", " : "") + print(n.arg(i));
        return out + ")";
    }
    case NodeKind::Aggregate: {
        std::string out = aggOpName(n.aggOp);
        if (n.without)
            out += " without (" + join(n.grouping) + ") ";
        else if (!n.grouping.empty())
            out += " by (" + join(n.grouping) + ") ";
        out += "(";
        if (n.args.size() > 1)
            out += print(n.arg(1)) + ", ";
        return out + print(n.arg(0)) + ")";
    }
    case NodeKind::Binary: {
        std::string matching;
        if (n.matching && (n.matching->on || !n.matching->labels.empty())) {
            matching = std::string(n.matching->on ? " on" : " ignoring") + " (" + join(n.matching->labels) + ")";
            if (n.matching->card == Cardinality::ManyToOne)
                matching += " group_left (" + join(n.matching->include) + ")";
            else if (n.matching->card == Cardinality::OneToMany)
                matching += " group_right (" + join(n.matching->include) + ")";
        }
        return print(n.arg(0)) + " " + binOpName(n.op) + (n.returnBool ? " bool" : "") + matching + " " +
               print(n.arg(1));
    }
    }
    return {};
}

} // namespace

std::string Expr::toString() const { return m_root ? print(*m_root) : std::string(); }

} // namespace opsdeck::telemetry::promql
