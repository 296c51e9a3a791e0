// Type checking after parsing, mirroring Prometheus's checkAST in order and wording,
// so the first error reported is the one promtool reports.
#include "functions.h"
#include "parse_failure.h"
#include "regex.h"

#include <algorithm>

namespace opsdeck::telemetry::promql {

namespace {

ValueType check(Node &n);

void expectType(Node &n, ValueType want, const std::string &context)
{
    const ValueType got = check(n);
    if (got != want)
        throw ParseFailure{n.pos, std::string("expected type ") + valueTypeName(want) + " in " + context +
                                      ", got " + valueTypeName(got)};
}

Node &mut(const NodePtr &p) { return const_cast<Node &>(*p); } // parse-time only, before sharing

ValueType check(Node &n)
{
    switch (n.kind) {
    case NodeKind::Number: n.type = ValueType::Scalar; break;
    case NodeKind::String: n.type = ValueType::String; break;
    case NodeKind::Paren: n.type = check(mut(n.args[0])); break;
    case NodeKind::VectorSelector: {
        n.type = ValueType::Vector;
        if (!n.metricName.empty()) {
            for (std::size_t i = 0; i + 1 < n.matchers.size(); ++i)
                if (n.matchers[i].name == "__name__")
                    throw ParseFailure{n.pos, "metric name must not be set twice: \"" + n.metricName +
                                                  "\" or \"" + n.matchers[i].value + "\""};
            break;
        }
        bool nonEmpty = false;
        for (const auto &m : n.matchers) {
            switch (m.op) {
            case LabelMatcher::Op::Equal: nonEmpty |= !m.value.empty(); break;
            case LabelMatcher::Op::NotEqual: nonEmpty |= m.value.empty(); break;
            case LabelMatcher::Op::RegexMatch: nonEmpty |= !(*AnchoredRegex::compile(m.value))->matches(""); break;
            case LabelMatcher::Op::RegexNoMatch: nonEmpty |= (*AnchoredRegex::compile(m.value))->matches(""); break;
            }
        }
        if (!nonEmpty)
            throw ParseFailure{n.pos, "vector selector must contain at least one non-empty matcher"};
        break;
    }
    case NodeKind::MatrixSelector:
        check(mut(n.args[0]));
        n.type = ValueType::Matrix;
        break;
    case NodeKind::Subquery: {
        const ValueType t = check(mut(n.args[0]));
        if (t != ValueType::Vector)
            throw ParseFailure{n.pos, std::string("subquery is only allowed on instant vector, got ") +
                                          valueTypeName(t) + " instead"};
        n.type = ValueType::Matrix;
        break;
    }
    case NodeKind::Unary: {
        const ValueType t = check(mut(n.args[0]));
        if (t != ValueType::Scalar && t != ValueType::Vector)
            throw ParseFailure{n.pos, std::string("unary expression only allowed on expressions of type "
                                                  "scalar or instant vector, got \"") + valueTypeName(t) + "\""};
        n.type = t;
        break;
    }
    case NodeKind::Call: {
        const FunctionInfo &f = *n.func;
        const std::string fname(f.name);
        const std::size_t nargs = f.argTypes.size();
        if (f.variadic == 0) {
            if (nargs != n.args.size())
                throw ParseFailure{n.pos, "expected " + std::to_string(nargs) + " argument(s) in call to \"" +
                                              fname + "\", got " + std::to_string(n.args.size())};
        } else {
            const std::size_t na = nargs - 1;
            if (na > n.args.size())
                throw ParseFailure{n.pos, "expected at least " + std::to_string(na) + " argument(s) in call to \"" +
                                              fname + "\", got " + std::to_string(n.args.size())};
            if (f.variadic > 0 && na + static_cast<std::size_t>(f.variadic) < n.args.size())
                throw ParseFailure{n.pos, "expected at most " + std::to_string(na + f.variadic) +
                                              " argument(s) in call to \"" + fname + "\", got " +
                                              std::to_string(n.args.size())};
        }
        for (std::size_t i = 0; i < n.args.size(); ++i)
            expectType(mut(n.args[i]), f.argTypes[std::min(i, nargs - 1)], "call to function \"" + fname + "\"");
        n.type = f.returnType;
        break;
    }
    case NodeKind::Aggregate:
        expectType(mut(n.args[0]), ValueType::Vector, "aggregation expression");
        if (n.aggOp == AggOp::Topk || n.aggOp == AggOp::Bottomk || n.aggOp == AggOp::Quantile)
            expectType(mut(n.args[1]), ValueType::Scalar, "aggregation parameter");
        if (n.aggOp == AggOp::CountValues)
            expectType(mut(n.args[1]), ValueType::String, "aggregation parameter");
        n.type = ValueType::Vector;
        break;
    case NodeKind::Binary: {
        const ValueType lt = check(mut(n.args[0]));
        const ValueType rt = check(mut(n.args[1]));
        const int opPos = n.opPos;
        const std::string opName = binOpName(n.op);
        if (n.returnBool && !isComparison(n.op))
            throw ParseFailure{opPos, "bool modifier can only be used on comparison operators"};
        if (isComparison(n.op) && !n.returnBool && lt == ValueType::Scalar && rt == ValueType::Scalar)
            throw ParseFailure{opPos, "comparisons between scalars must use BOOL modifier"};
        auto &vm = *n.matching;
        if (isSetOperator(n.op) && vm.card == Cardinality::OneToOne)
            vm.card = Cardinality::ManyToMany;
        if (vm.on)
            for (const auto &l1 : vm.labels)
                for (const auto &l2 : vm.include)
                    if (l1 == l2)
                        throw ParseFailure{opPos, "label \"" + l1 + "\" must not occur in ON and GROUP clause at once"};
        if (lt != ValueType::Scalar && lt != ValueType::Vector)
            throw ParseFailure{n.args[0]->pos, "binary expression must contain only scalar and instant vector types"};
        if (rt != ValueType::Scalar && rt != ValueType::Vector)
            throw ParseFailure{n.args[1]->pos, "binary expression must contain only scalar and instant vector types"};
        if (lt != ValueType::Vector || rt != ValueType::Vector) {
            if (!vm.labels.empty() || vm.on)
                throw ParseFailure{n.pos, "vector matching only allowed between instant vectors"};
            n.matching.reset();
        } else if (isSetOperator(n.op) && (vm.card == Cardinality::OneToMany || vm.card == Cardinality::ManyToOne)) {
            throw ParseFailure{n.pos, "no grouping allowed for \"" + opName + "\" operation"};
        }
        if ((lt == ValueType::Scalar || rt == ValueType::Scalar) && isSetOperator(n.op))
            throw ParseFailure{n.pos, "set operator \"" + opName + "\" not allowed in binary scalar expression"};
        n.type = (lt == ValueType::Scalar && rt == ValueType::Scalar) ? ValueType::Scalar : ValueType::Vector;
        break;
    }
    }
    return n.type;
}

} // namespace

ValueType checkTypes(Node &root) { return check(root); }

} // namespace opsdeck::telemetry::promql
