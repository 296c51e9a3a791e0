// Evaluation core: the query entry points, selector lookups with lookback and staleness,
// subqueries and dispatch to the per-concern files.
#include "evaluator.h"
#include "functions.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace opsdeck::telemetry::promql {

void throwEvalError(std::string message) { throw EvalError{std::move(message)}; }

namespace {

// Memory guard for subqueries like x[1y:1s]; Prometheus relies on its sample limit.
constexpr std::int64_t kMaxSubquerySteps = 1'000'000;

struct LabelsPtrHash {
    std::size_t operator()(const Labels *l) const { return l->hash(); }
};
struct LabelsPtrEq {
    bool operator()(const Labels *a, const Labels *b) const { return *a == *b; }
};

template <typename Items>
void ensureUnique(const Items &items)
{
    if (items.size() < 2)
        return;
    std::unordered_set<const Labels *, LabelsPtrHash, LabelsPtrEq> seen;
    seen.reserve(items.size());
    for (const auto &item : items)
        if (!seen.insert(&item.metric).second)
            throwEvalError("vector cannot contain metrics with the same labelset");
}

// The point at or before ref, within the lookback window, unless it is a stale marker.
const Point *pointAt(std::span<const Point> pts, std::int64_t ref, std::int64_t lookback)
{
    auto it = std::upper_bound(pts.begin(), pts.end(), ref, [](std::int64_t t, const Point &p) { return t < p.t; });
    if (it == pts.begin())
        return nullptr;
    --it;
    if (it->t < ref - lookback || isStaleNaN(it->v))
        return nullptr;
    return &*it;
}

} // namespace

void ensureUniqueLabelsets(const Vector &v) { ensureUnique(v); }
void ensureUniqueLabelsets(const Matrix &m) { ensureUnique(m); }

const Node &unwrapParens(const Node &n)
{
    const Node *p = &n;
    while (p->kind == NodeKind::Paren)
        p = p->args[0].get();
    return *p;
}

double goMax(double a, double b)
{
    if (std::isinf(a) && a > 0)
        return a;
    if (std::isinf(b) && b > 0)
        return b;
    if (std::isnan(a) || std::isnan(b))
        return std::nan("");
    return a > b ? a : b;
}

double goMin(double a, double b)
{
    if (std::isinf(a) && a < 0)
        return a;
    if (std::isinf(b) && b < 0)
        return b;
    if (std::isnan(a) || std::isnan(b))
        return std::nan("");
    return a < b ? a : b;
}

double quantileOf(double q, std::vector<double> values)
{
    if (values.empty() || std::isnan(q))
        return std::nan("");
    if (q < 0)
        return -INFINITY;
    if (q > 1)
        return INFINITY;
    // NaN sorts first, as in Prometheus's vectorByValueHeap.
    std::sort(values.begin(), values.end(), [](double a, double b) {
        if (std::isnan(a))
            return !std::isnan(b);
        return a < b;
    });
    const double n = static_cast<double>(values.size());
    const double rank = q * (n - 1);
    const double lower = std::max(0.0, std::floor(rank));
    const double upper = std::min(n - 1, lower + 1);
    const double weight = rank - std::floor(rank);
    return values[static_cast<std::size_t>(lower)] * (1 - weight) + values[static_cast<std::size_t>(upper)] * weight;
}

Evaluator::Evaluator(const SeriesSource &source, const EvalOptions &opts, std::int64_t startMs, std::int64_t endMs,
                     std::int64_t intervalMs)
    : m_source(source), m_opts(opts), m_start(startMs), m_end(endMs), m_interval(intervalMs)
{
}

std::int64_t Evaluator::refTime(const Node &selector, std::int64_t t) const
{
    std::int64_t base = t;
    if (selector.at) {
        switch (selector.at->kind) {
        case AtModifier::Kind::Fixed: base = selector.at->ms; break;
        case AtModifier::Kind::Start: base = m_start; break;
        case AtModifier::Kind::End: base = m_end; break;
        }
    }
    return base - selector.offsetMs;
}

void Evaluator::prefetch(const Node &root) { prefetchNode(root, m_start, m_end); }

// [lo, hi] is the span of evaluation times this node will be evaluated at.
void Evaluator::prefetchNode(const Node &n, std::int64_t lo, std::int64_t hi)
{
    switch (n.kind) {
    case NodeKind::VectorSelector:
    case NodeKind::MatrixSelector: {
        const Node &vs = n.kind == NodeKind::VectorSelector ? n : n.arg(0);
        const std::int64_t refLo = refTime(vs, lo), refHi = refTime(vs, hi);
        const std::int64_t before = n.kind == NodeKind::VectorSelector ? m_opts.lookbackDeltaMs : n.rangeMs;
        // Sorted by labels (selectBatch's contract): topk/bottomk tie-breaking depends on it.
        SeriesBatch series = m_source.selectBatch(vs.matchers, std::min(refLo, refHi) - before, std::max(refLo, refHi));
        if (n.kind == NodeKind::MatrixSelector) {
            NoNameLabels &nn = m_noName[&vs];
            nn.labels.reserve(series.size());
            for (const auto &l : series.labels)
                nn.labels.push_back(l.withoutName()); // shares a block cached by the label set
            // One metric name for all (the usual `name[5m]`): distinct full label sets stay
            // distinct without it. Otherwise check, by pointers into nn.labels.
            const bool oneName = std::any_of(vs.matchers.begin(), vs.matchers.end(), [](const LabelMatcher &m) {
                return m.name == "__name__" && m.op == LabelMatcher::Op::Equal;
            });
            if (!oneName) {
                std::unordered_set<const Labels *, LabelsPtrHash, LabelsPtrEq> seen;
                seen.reserve(nn.labels.size());
                for (const auto &l : nn.labels)
                    if (!seen.insert(&l).second) {
                        nn.unique = false;
                        break;
                    }
            }
        }
        m_series[&vs] = std::move(series);
        return;
    }
    case NodeKind::Subquery: {
        const std::int64_t refLo = refTime(n, lo), refHi = refTime(n, hi);
        prefetchNode(n.arg(0), std::min(refLo, refHi) - n.rangeMs, std::max(refLo, refHi));
        return;
    }
    default:
        for (const auto &a : n.args)
            prefetchNode(*a, lo, hi);
    }
}

Vector Evaluator::evalVectorSelector(const Node &n, std::int64_t t, bool keepTimestamps, std::vector<std::int64_t> *ts)
{
    const std::int64_t ref = refTime(n, t);
    Vector out;
    const SeriesBatch &all = m_series[&n];
    out.reserve(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (const Point *p = pointAt(all.pointsOf(i), ref, m_opts.lookbackDeltaMs)) {
            out.push_back(InstantSample{all.labels[i], p->v});
            if (keepTimestamps && ts)
                ts->push_back(p->t);
        }
    }
    return out;
}

Matrix Evaluator::evalMatrixSelector(const Node &n, std::int64_t t)
{
    const Node &vs = n.arg(0);
    const std::int64_t ref = refTime(vs, t);
    const std::int64_t from = ref - n.rangeMs;
    Matrix out;
    const SeriesBatch &all = m_series[&vs];
    for (std::size_t i = 0; i < all.size(); ++i) {
        const std::span<const Point> pts = all.pointsOf(i);
        auto first = std::lower_bound(pts.begin(), pts.end(), from,
                                      [](const Point &p, std::int64_t v) { return p.t < v; });
        RangeSeries rs{all.labels[i], {}};
        for (auto it = first; it != pts.end() && it->t <= ref; ++it)
            if (!isStaleNaN(it->v))
                rs.points.push_back(*it);
        if (!rs.points.empty())
            out.push_back(std::move(rs));
    }
    return out;
}

Matrix Evaluator::evalSubquery(const Node &n, std::int64_t t)
{
    const std::int64_t step = n.stepMs > 0 ? n.stepMs : m_interval;
    if (step <= 0)
        throwEvalError("subquery needs a positive step (EvalOptions::defaultSubqueryStepMs is " +
                       std::to_string(m_interval) + ")");
    const std::int64_t ref = refTime(n, t);
    const std::int64_t from = ref - n.rangeMs;
    if (n.rangeMs / step > kMaxSubquerySteps)
        throwEvalError("subquery " + formatDuration(n.rangeMs) + ":" + formatDuration(step) + " has more than " +
                       std::to_string(kMaxSubquerySteps) + " steps; use a larger step");
    // Inner steps are aligned to multiples of the step (absolute time), as Prometheus does.
    std::int64_t first = step * (from / step);
    if (first < from)
        first += step;
    Matrix out;
    std::unordered_map<Labels, std::size_t, LabelsHash> index;
    for (std::int64_t ts = first; ts <= ref; ts += step) {
        Value v = eval(n.arg(0), ts);
        for (auto &s : v.vector) {
            auto [it, added] = index.try_emplace(s.metric, out.size());
            if (added)
                out.push_back(RangeSeries{std::move(s.metric), {}});
            out[it->second].points.push_back(Point{ts, s.value});
        }
    }
    return out;
}

MatrixArg Evaluator::evalMatrixArg(const Node &arg, std::int64_t t)
{
    const Node &n = unwrapParens(arg);
    MatrixArg out;
    out.rangeMs = n.rangeMs;
    if (n.kind == NodeKind::MatrixSelector) {
        const Node &vs = n.arg(0);
        out.rangeEnd = refTime(vs, t);
        out.rangeStart = out.rangeEnd - n.rangeMs;
        const SeriesBatch &all = m_series[&vs];
        const NoNameLabels &nn = m_noName[&vs];
        out.uniqueWithoutName = nn.unique;
        out.entries.reserve(all.size());
        for (std::size_t i = 0; i < all.size(); ++i) {
            const std::span<const Point> pts = all.pointsOf(i);
            auto first = std::lower_bound(pts.begin(), pts.end(), out.rangeStart,
                                          [](const Point &p, std::int64_t v) { return p.t < v; });
            auto last = std::upper_bound(first, pts.end(), out.rangeEnd,
                                         [](std::int64_t v, const Point &p) { return v < p.t; });
            if (first == last)
                continue;
            std::span<const Point> window(&*first, static_cast<std::size_t>(last - first));
            if (std::any_of(window.begin(), window.end(), [](const Point &p) { return isStaleNaN(p.v); })) {
                // rare: copy the window without its staleness markers
                std::vector<Point> kept;
                for (const auto &p : window)
                    if (!isStaleNaN(p.v))
                        kept.push_back(p);
                if (kept.empty())
                    continue;
                out.ownedPoints.push_back(std::move(kept));
                window = out.ownedPoints.back();
            }
            out.entries.push_back({&all.labels[i], &nn.labels[i], window});
        }
        // (moving inner vectors keeps their buffers, so spans into ownedPoints stay valid)
    } else if (n.kind == NodeKind::Subquery) {
        out.rangeEnd = refTime(n, t);
        out.rangeStart = out.rangeEnd - n.rangeMs;
        out.ownedSeries = evalSubquery(n, t);
        out.ownedNoName.reserve(out.ownedSeries.size());
        for (const auto &s : out.ownedSeries)
            out.ownedNoName.push_back(s.metric.withoutName());
        for (std::size_t i = 0; i < out.ownedSeries.size(); ++i)
            out.entries.push_back({&out.ownedSeries[i].metric, &out.ownedNoName[i], out.ownedSeries[i].points});
    } else {
        throwEvalError("expected a range vector selector or subquery");
    }
    return out;
}

const AnchoredRegex &Evaluator::regexFor(const Node &n, const std::string &pattern, const char *function)
{
    auto it = m_regexes.find(&n);
    if (it == m_regexes.end()) {
        auto re = AnchoredRegex::compile(pattern);
        if (!re)
            throwEvalError(std::string("invalid regular expression in ") + function + "(): " + pattern);
        it = m_regexes.emplace(&n, *re).first;
    }
    return *it->second;
}

Value Evaluator::eval(const Node &n, std::int64_t t)
{
    Value out;
    out.type = n.type;
    switch (n.kind) {
    case NodeKind::Number:
        out.scalar = n.number;
        return out;
    case NodeKind::String:
        out.string = n.text;
        return out;
    case NodeKind::Paren:
        return eval(n.arg(0), t);
    case NodeKind::VectorSelector:
        out.vector = evalVectorSelector(n, t, false, nullptr);
        return out;
    case NodeKind::MatrixSelector:
        out.matrix = evalMatrixSelector(n, t);
        return out;
    case NodeKind::Subquery:
        out.matrix = evalSubquery(n, t);
        return out;
    case NodeKind::Unary: {
        out = eval(n.arg(0), t);
        if (n.op == BinOp::Sub) {
            out.scalar = -out.scalar;
            for (auto &s : out.vector) {
                s.metric.remove("__name__");
                s.value = -s.value;
            }
            ensureUniqueLabelsets(out.vector);
        }
        return out;
    }
    case NodeKind::Call:
        return evalCall(n, t);
    case NodeKind::Aggregate:
        return evalAggregate(n, t);
    case NodeKind::Binary:
        return evalBinary(n, t);
    }
    return out;
}

Value evalTimestampOfSelector(Evaluator &ev, const Node &selector, std::int64_t t)
{
    std::vector<std::int64_t> ts;
    Value out;
    out.vector = ev.evalVectorSelector(selector, t, true, &ts);
    for (std::size_t i = 0; i < out.vector.size(); ++i) {
        out.vector[i].metric.remove("__name__");
        out.vector[i].value = static_cast<double>(ts[i]) / 1000.0;
    }
    ensureUniqueLabelsets(out.vector);
    return out;
}

namespace {

bool keepsOrder(const Node &root)
{
    const Node &n = unwrapParens(root);
    if (n.kind == NodeKind::Call)
        return n.func->id == FuncId::Sort || n.func->id == FuncId::SortDesc;
    return n.kind == NodeKind::Aggregate && (n.aggOp == AggOp::Topk || n.aggOp == AggOp::Bottomk);
}

void sortByLabels(Vector &v)
{
    auto byLabels = [](const InstantSample &a, const InstantSample &b) { return a.metric < b.metric; };
    if (!std::is_sorted(v.begin(), v.end(), byLabels)) // selections and rate() & co. come sorted
        std::sort(v.begin(), v.end(), byLabels);
}

} // namespace

Result<Value> evalInstant(const Expr &expr, const SeriesSource &source, std::int64_t tMs, const EvalOptions &opts)
{
    if (!expr.root())
        return Error{"empty expression"};
    try {
        Evaluator ev(source, opts, tMs, tMs, opts.defaultSubqueryStepMs);
        ev.prefetch(*expr.root());
        Value v = ev.eval(*expr.root(), tMs);
        if (v.type == ValueType::Vector && !keepsOrder(*expr.root()))
            sortByLabels(v.vector);
        if (v.type == ValueType::Matrix)
            std::sort(v.matrix.begin(), v.matrix.end(),
                      [](const RangeSeries &a, const RangeSeries &b) { return a.metric < b.metric; });
        return v;
    } catch (const EvalError &e) {
        return Error{e.message};
    }
}

Result<Value> evalRange(const Expr &expr, const SeriesSource &source, std::int64_t startMs, std::int64_t endMs,
                        std::int64_t stepMs, const EvalOptions &opts)
{
    if (!expr.root())
        return Error{"empty expression"};
    if (stepMs <= 0)
        return Error{"zero or negative query resolution step widths are not accepted. Try a positive integer"};
    if (endMs < startMs)
        return Error{"end timestamp must not be before start time"};
    if ((endMs - startMs) / stepMs >= 11000)
        return Error{"exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query "
                     "resolution (?step=XX)"};
    const ValueType t = expr.root()->type;
    if (t != ValueType::Scalar && t != ValueType::Vector)
        return Error{std::string("invalid expression type \"") + valueTypeName(t) +
                     "\" for range query, must be Scalar or instant Vector"};
    try {
        Evaluator ev(source, opts, startMs, endMs, opts.defaultSubqueryStepMs);
        ev.prefetch(*expr.root());
        Value out;
        out.type = ValueType::Matrix;
        std::unordered_map<Labels, std::size_t, LabelsHash> index;
        auto add = [&](const Labels &metric, std::int64_t ts, double v) {
            auto [it, added] = index.try_emplace(metric, out.matrix.size());
            if (added)
                out.matrix.push_back(RangeSeries{metric, {}});
            out.matrix[it->second].points.push_back(Point{ts, v});
        };
        for (std::int64_t ts = startMs; ts <= endMs; ts += stepMs) {
            Value v = ev.eval(*expr.root(), ts);
            if (v.type == ValueType::Scalar)
                add(Labels{}, ts, v.scalar);
            else
                for (const auto &s : v.vector)
                    add(s.metric, ts, s.value);
        }
        std::sort(out.matrix.begin(), out.matrix.end(),
                  [](const RangeSeries &a, const RangeSeries &b) { return a.metric < b.metric; });
        return out;
    } catch (const EvalError &e) {
        return Error{e.message};
    }
}

} // namespace opsdeck::telemetry::promql
