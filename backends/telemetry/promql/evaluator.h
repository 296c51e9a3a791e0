#pragma once
// The PromQL evaluator (internal). One Evaluator serves one query: it fetches every
// selector's series once for the whole query window, then evaluates the tree at each
// timestamp against those cached points. Split by concern across evaluator.cpp
// (selectors, dispatch), functions*.cpp, aggregations.cpp and binary_ops.cpp.
#include "ast.h"
#include "regex.h"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace opsdeck::telemetry::promql {

using Vector = std::vector<InstantSample>;
using Matrix = std::vector<RangeSeries>;

// Thrown inside the evaluator only; evalInstant/evalRange turn it into an Error.
struct EvalError {
    std::string message;
};
[[noreturn]] void throwEvalError(std::string message);

// Prometheus's "vector cannot contain metrics with the same labelset" check.
void ensureUniqueLabelsets(const Vector &v);
void ensureUniqueLabelsets(const Matrix &m);

// A range-vector argument: its series plus the window they were cut from (rate needs it).
// For a plain selector the entries point into the evaluator's cache (no copies per step);
// subquery results are owned here.
struct MatrixArg {
    struct Entry {
        const Labels *labels;         // with __name__
        const Labels *labelsNoName;   // the same without __name__ (what most functions output)
        std::span<const Point> points; // in the window, stale markers removed
    };
    std::vector<Entry> entries;
    bool uniqueWithoutName = false; // no two entries share labelsNoName (checked once)
    std::int64_t rangeStart = 0;    // inclusive, ms
    std::int64_t rangeEnd = 0;      // inclusive, ms
    std::int64_t rangeMs = 0;
    // storage behind the spans when they cannot point into the cache
    Matrix ownedSeries;
    std::vector<Labels> ownedNoName;
    std::vector<std::vector<Point>> ownedPoints;
};

class Evaluator {
public:
    Evaluator(const SeriesSource &source, const EvalOptions &opts, std::int64_t startMs, std::int64_t endMs,
              std::int64_t intervalMs);

    // Fetches every selector's series for the whole query window, once.
    void prefetch(const Node &root);

    Value eval(const Node &n, std::int64_t t);

    // Each of these lives in the file named for its concern.
    Value evalCall(const Node &n, std::int64_t t);      // functions.cpp
    Value evalAggregate(const Node &n, std::int64_t t); // aggregations.cpp
    Value evalBinary(const Node &n, std::int64_t t);    // binary_ops.cpp

    MatrixArg evalMatrixArg(const Node &n, std::int64_t t);
    const AnchoredRegex &regexFor(const Node &n, const std::string &pattern, const char *function);
    std::int64_t lookbackMs() const { return m_opts.lookbackDeltaMs; }

private:
    Vector evalVectorSelector(const Node &n, std::int64_t t, bool keepTimestamps, std::vector<std::int64_t> *ts);
    Matrix evalMatrixSelector(const Node &n, std::int64_t t);
    Matrix evalSubquery(const Node &n, std::int64_t t);
    void prefetchNode(const Node &n, std::int64_t lo, std::int64_t hi);
    std::int64_t refTime(const Node &selector, std::int64_t t) const;

    friend Value evalTimestampOfSelector(Evaluator &ev, const Node &selector, std::int64_t t);

    const SeriesSource &m_source;
    EvalOptions m_opts;
    std::int64_t m_start;
    std::int64_t m_end;
    std::int64_t m_interval;
    std::unordered_map<const Node *, SeriesBatch> m_series;
    // Per matrix selector: each series' labels without __name__, and whether those are
    // still unique (then rate() & co. can skip the duplicate-labelset check every step).
    struct NoNameLabels {
        std::vector<Labels> labels;
        bool unique = true;
    };
    std::unordered_map<const Node *, NoNameLabels> m_noName;
    std::unordered_map<const Node *, std::shared_ptr<const AnchoredRegex>> m_regexes;
};

// timestamp(v) on a plain selector returns the samples' own times (functions.cpp).
Value evalTimestampOfSelector(Evaluator &ev, const Node &selector, std::int64_t t);

// Shared numeric helpers (Prometheus quantile.go / Go math semantics).
double quantileOf(double q, std::vector<double> values);
double goMax(double a, double b);
double goMin(double a, double b);
const Node &unwrapParens(const Node &n);

} // namespace opsdeck::telemetry::promql

namespace opsdeck::telemetry::promql {
enum class FuncId;
// Functions taking a range vector (rate, *_over_time, ...): functions_range.cpp.
bool takesRangeVector(FuncId id);
Value evalRangeVectorCall(Evaluator &ev, const Node &call, std::int64_t t);
// Go's math.Mod / math.Pow edge cases match C's fmod / pow; Kahan summation step:
void kahanAdd(double v, double &sum, double &c);
} // namespace opsdeck::telemetry::promql
