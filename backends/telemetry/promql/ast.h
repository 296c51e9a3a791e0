#pragma once
// The parsed PromQL expression tree. One node struct for every kind keeps the parser and
// the evaluator simple; each field says which kinds use it. Nodes are immutable once
// parsed and shared between copies of an Expr.
#include "promql.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace opsdeck::telemetry::promql {

enum class NodeKind {
    Number,         // 1, 0x1f, Inf, NaN
    String,         // "text"
    VectorSelector, // foo{job="x"} offset 5m
    MatrixSelector, // foo[5m]  (child 0 is the vector selector, which holds offset / @)
    Subquery,       // expr[30m:1m] offset 5m
    Call,           // rate(x[5m])
    Aggregate,      // sum by (job) (x)
    Binary,         // a + on(job) group_left b
    Unary,          // -a
    Paren,          // (a)
};

enum class BinOp {
    Add, Sub, Mul, Div, Mod, Pow, Atan2,
    Eq, Ne, Gt, Lt, Ge, Le,
    And, Or, Unless,
};

enum class AggOp {
    Sum, Avg, Min, Max, Count, Group, Stddev, Stdvar, Topk, Bottomk, Quantile, CountValues,
};

// How the two sides of a vector/vector binary operation are paired up.
enum class Cardinality { OneToOne, ManyToOne, OneToMany, ManyToMany };

struct VectorMatching {
    Cardinality card = Cardinality::OneToOne;
    bool on = false;                   // on(...) rather than ignoring(...)
    std::vector<std::string> labels;   // the on/ignoring list
    std::vector<std::string> include;  // group_left/group_right extra labels
};

// @ modifier: a fixed time, or the query's start() / end().
struct AtModifier {
    enum class Kind { Fixed, Start, End } kind = Kind::Fixed;
    std::int64_t ms = 0;
};

struct FunctionInfo; // functions.h

struct Node {
    NodeKind kind = NodeKind::Number;
    ValueType type = ValueType::Scalar; // result type, checked at parse time
    int pos = 0;                        // byte offset where the node starts (for errors)
    int depth = 1;                      // height of the subtree (the parser caps it)

    // Number / String
    double number = 0;
    std::string text;

    // VectorSelector (offset/at also used by Subquery)
    std::string metricName;
    std::vector<LabelMatcher> matchers; // includes __name__="metricName" when named
    std::int64_t offsetMs = 0;
    bool offsetSet = false; // "offset 0s" counts as set (a second offset is an error)
    std::optional<AtModifier> at;

    // MatrixSelector / Subquery
    std::int64_t rangeMs = 0;
    std::int64_t stepMs = 0; // subquery step; 0 = default evaluation interval

    // Children: Call args; Aggregate [expr, param?]; Binary [lhs, rhs]; Unary/Paren
    // [expr]; MatrixSelector [vector selector]; Subquery [expr].
    std::vector<std::shared_ptr<const Node>> args;

    // Call
    const FunctionInfo *func = nullptr;

    // Aggregate
    AggOp aggOp = AggOp::Sum;
    std::vector<std::string> grouping;
    bool without = false;

    // Binary / Unary (Unary uses op Add or Sub)
    BinOp op = BinOp::Add;
    int opPos = 0; // where the operator is: some type errors point there
    bool returnBool = false;
    std::optional<VectorMatching> matching; // set for vector/vector operations

    const Node &arg(std::size_t i) const { return *args[i]; }
};

using NodePtr = std::shared_ptr<const Node>;

// Names as Prometheus spells them (operators as written, aggregations lowercase).
const char *binOpName(BinOp op);
const char *aggOpName(AggOp op);
const char *valueTypeName(ValueType t); // "scalar", "instant vector", "range vector", "string"
bool isComparison(BinOp op);
bool isSetOperator(BinOp op);

// model.Duration.String(): 1h30m, 5m, 1d, 2w, 0s.
std::string formatDuration(std::int64_t ms);

} // namespace opsdeck::telemetry::promql
