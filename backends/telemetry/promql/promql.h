#pragma once
// PromQL: the subset ops teams use, with Prometheus 2.x semantics (lookback 5 m,
// rate extrapolation, histogram_quantile interpolation, vector matching).
// This header is the contract other code relies on; internals live beside it.
#include "../labels.h"
#include "../result.h"
#include "../series_source.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace opsdeck::telemetry::promql {

struct Node; // the parsed expression tree (ast.h)

// A parsed expression, cheap to copy and safe to evaluate many times (rules do).
class Expr {
public:
    Expr() = default;
    explicit Expr(std::shared_ptr<const Node> root) : m_root(std::move(root)) {}
    const Node *root() const { return m_root.get(); }
    std::string toString() const; // canonical form, as Prometheus prints it
private:
    std::shared_ptr<const Node> m_root;
};

// Errors read like Prometheus's: "1:35: parse error: unclosed left parenthesis"
// (line:column, 1-based, of the offending token, then what was expected).
Result<Expr> parse(std::string_view text);

struct InstantSample {
    Labels metric; // includes __name__ unless a function or operator dropped it
    double value = 0;
};

struct RangeSeries {
    Labels metric;
    std::vector<Point> points;
};

enum class ValueType { Scalar, Vector, Matrix, String };

struct Value {
    ValueType type = ValueType::Vector;
    double scalar = 0;                 // when type == Scalar
    std::string string;                // when type == String
    std::vector<InstantSample> vector; // when type == Vector
    std::vector<RangeSeries> matrix;   // when type == Matrix (range selectors, range queries)
};

struct EvalOptions {
    std::int64_t lookbackDeltaMs = 5 * 60 * 1000;
    // Step of subqueries written without one (`x[30m:]`): the rule evaluation interval.
    std::int64_t defaultSubqueryStepMs = 60 * 1000;
};

// Instant query at time t (ms), as /api/v1/query.
Result<Value> evalInstant(const Expr &expr, const SeriesSource &source, std::int64_t tMs,
                          const EvalOptions &opts = {});

// Range query, as /api/v1/query_range: returns a Matrix with one point per step
// where the expression had a value.
Result<Value> evalRange(const Expr &expr, const SeriesSource &source, std::int64_t startMs,
                        std::int64_t endMs, std::int64_t stepMs, const EvalOptions &opts = {});

// Formats a float as Prometheus does in API JSON and promtool output
// ("NaN", "+Inf", shortest round-trip decimal, exponent form like 1e+06).
std::string formatValue(double v);

} // namespace opsdeck::telemetry::promql
