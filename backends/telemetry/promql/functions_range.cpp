// Range-vector functions: rate/increase/delta with Prometheus's extrapolation, irate,
// idelta, deriv, predict_linear, changes, resets and the *_over_time family.
#include "evaluator.h"
#include "functions.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

namespace opsdeck::telemetry::promql {

void kahanAdd(double v, double &sum, double &c)
{
    const double t = sum + v;
    // Using the larger magnitude as the reference keeps the lost low-order bits in c.
    if (std::fabs(sum) >= std::fabs(v))
        c += (sum - t) + v;
    else
        c += (v - t) + sum;
    sum = t;
}

namespace {

using Points = std::span<const Point>;

// promql/functions.go extrapolatedRate, 2.42 semantics.
std::optional<double> extrapolatedRate(const Points &pts, const MatrixArg &m, bool isCounter, bool isRate)
{
    if (pts.size() < 2)
        return std::nullopt;
    double result = pts.back().v - pts.front().v;
    if (isCounter) {
        double last = 0;
        for (const auto &p : pts) {
            if (p.v < last)
                result += last; // counter reset: add what was there before it
            last = p.v;
        }
    }
    double durationToStart = static_cast<double>(pts.front().t - m.rangeStart) / 1000.0;
    const double durationToEnd = static_cast<double>(m.rangeEnd - pts.back().t) / 1000.0;
    const double sampledInterval = static_cast<double>(pts.back().t - pts.front().t) / 1000.0;
    const double averageBetween = sampledInterval / static_cast<double>(pts.size() - 1);
    if (isCounter && result > 0 && pts.front().v >= 0) {
        // A counter cannot go below zero: do not extrapolate past the point it would hit 0.
        const double durationToZero = sampledInterval * (pts.front().v / result);
        if (durationToZero < durationToStart)
            durationToStart = durationToZero;
    }
    const double threshold = averageBetween * 1.1;
    double extrapolateTo = sampledInterval;
    extrapolateTo += durationToStart < threshold ? durationToStart : averageBetween / 2;
    extrapolateTo += durationToEnd < threshold ? durationToEnd : averageBetween / 2;
    // One factor, then one multiplication: the rounding Prometheus's output has.
    double factor = extrapolateTo / sampledInterval;
    if (isRate)
        factor /= static_cast<double>(m.rangeMs) / 1000.0;
    return result * factor;
}

std::optional<double> instantValue(const Points &pts, bool isRate)
{
    if (pts.size() < 2)
        return std::nullopt;
    const Point &last = pts[pts.size() - 1];
    const Point &prev = pts[pts.size() - 2];
    double result = (isRate && last.v < prev.v) ? last.v : last.v - prev.v;
    const std::int64_t interval = last.t - prev.t;
    if (interval == 0)
        return std::nullopt;
    if (isRate)
        result /= static_cast<double>(interval) / 1000.0;
    return result;
}

// Least squares with x in seconds relative to interceptTime (Prometheus linearRegression).
std::pair<double, double> linearRegression(const Points &pts, std::int64_t interceptTime)
{
    double n = 0, sumX = 0, cX = 0, sumY = 0, cY = 0, sumXY = 0, cXY = 0, sumX2 = 0, cX2 = 0;
    const double initY = pts.front().v;
    bool constY = true;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        if (constY && i > 0 && pts[i].v != initY)
            constY = false;
        n += 1;
        const double x = static_cast<double>(pts[i].t - interceptTime) / 1e3;
        kahanAdd(x, sumX, cX);
        kahanAdd(pts[i].v, sumY, cY);
        kahanAdd(x * pts[i].v, sumXY, cXY);
        kahanAdd(x * x, sumX2, cX2);
    }
    if (constY) {
        if (std::isinf(initY))
            return {std::nan(""), std::nan("")};
        return {0.0, initY};
    }
    sumX += cX;
    sumY += cY;
    sumXY += cXY;
    sumX2 += cX2;
    const double covXY = sumXY - sumX * sumY / n;
    const double varX = sumX2 - sumX * sumX / n;
    const double slope = covXY / varX;
    return {slope, sumY / n - slope * sumX / n};
}

double sumOverTime(const Points &pts)
{
    double sum = 0, c = 0;
    for (const auto &p : pts)
        kahanAdd(p.v, sum, c);
    return std::isinf(sum) ? sum : sum + c;
}

double avgOverTime(const Points &pts)
{
    double mean = 0, count = 0, c = 0;
    for (const auto &p : pts) {
        count += 1;
        if (std::isinf(mean)) {
            // Inf stays Inf unless an opposite Inf or NaN arrives (Inf - Inf would be NaN).
            if (std::isinf(p.v) && (mean > 0) == (p.v > 0))
                continue;
            if (!std::isinf(p.v) && !std::isnan(p.v))
                continue;
        }
        kahanAdd(p.v / count - mean / count, mean, c);
    }
    return std::isinf(mean) ? mean : mean + c;
}

double varianceOverTime(const Points &pts)
{
    double count = 0, mean = 0, cMean = 0, aux = 0, cAux = 0;
    for (const auto &p : pts) {
        count += 1;
        const double delta = p.v - (mean + cMean);
        kahanAdd(delta / count, mean, cMean);
        kahanAdd(delta * (p.v - (mean + cMean)), aux, cAux);
    }
    return (aux + cAux) / count;
}

// Double exponential smoothing, as Prometheus's holt_winters (sf: smoothing, tf: trend).
double holtWinters(const Points &pts, double sf, double tf)
{
    double s0 = 0, s1 = pts[0].v, b = pts[1].v - pts[0].v;
    for (std::size_t i = 1; i < pts.size(); ++i) {
        const double x = sf * pts[i].v;
        if (i > 1)
            b = tf * (s1 - s0) + (1 - tf) * b; // trend update, skipped for the first step
        const double y = (1 - sf) * (s1 + b);
        s0 = s1;
        s1 = x + y;
    }
    return s1;
}

} // namespace

bool takesRangeVector(FuncId id)
{
    switch (id) {
    case FuncId::AbsentOverTime: case FuncId::AvgOverTime: case FuncId::Changes: case FuncId::CountOverTime:
    case FuncId::Delta: case FuncId::Deriv: case FuncId::Idelta: case FuncId::Increase: case FuncId::Irate:
    case FuncId::LastOverTime: case FuncId::MaxOverTime: case FuncId::MinOverTime: case FuncId::PredictLinear:
    case FuncId::PresentOverTime: case FuncId::QuantileOverTime: case FuncId::Rate: case FuncId::Resets:
    case FuncId::StddevOverTime: case FuncId::StdvarOverTime: case FuncId::SumOverTime:
    case FuncId::HoltWinters:
        return true;
    default:
        return false;
    }
}

Value evalRangeVectorCall(Evaluator &ev, const Node &call, std::int64_t t)
{
    const FuncId id = call.func->id;
    // quantile_over_time(q, m) has the matrix second; every other one has it first.
    const std::size_t matrixIndex = id == FuncId::QuantileOverTime ? 1 : 0;
    double scalarParam = 0;
    if (id == FuncId::QuantileOverTime)
        scalarParam = ev.eval(call.arg(0), t).scalar;
    if (id == FuncId::PredictLinear)
        scalarParam = ev.eval(call.arg(1), t).scalar;
    double trendFactor = 0;
    if (id == FuncId::HoltWinters) {
        scalarParam = ev.eval(call.arg(1), t).scalar;
        trendFactor = ev.eval(call.arg(2), t).scalar;
        auto fixed6 = [](double v) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%f", v); // Go's %f
            return std::string(buf);
        };
        if (!(scalarParam > 0 && scalarParam < 1))
            throwEvalError("invalid smoothing factor. Expected: 0 < sf < 1, got: " + fixed6(scalarParam));
        if (!(trendFactor > 0 && trendFactor < 1))
            throwEvalError("invalid trend factor. Expected: 0 < tf < 1, got: " + fixed6(trendFactor));
    }
    MatrixArg m = ev.evalMatrixArg(call.arg(matrixIndex), t);

    Value out;
    out.type = ValueType::Vector;
    if (id == FuncId::AbsentOverTime) {
        if (!m.entries.empty())
            return out;
        // Labels come from the selector's equality matchers, as for absent().
        Value a;
        a.type = ValueType::Vector;
        Labels labels;
        const Node &arg = unwrapParens(call.arg(0));
        if (arg.kind == NodeKind::MatrixSelector) {
            std::vector<std::string> seen;
            for (const auto &mt : arg.arg(0).matchers) {
                if (mt.name == "__name__")
                    continue;
                const bool dup = std::find(seen.begin(), seen.end(), mt.name) != seen.end();
                if (mt.op == LabelMatcher::Op::Equal && !dup) {
                    labels.set(mt.name, mt.value);
                    seen.push_back(mt.name);
                } else {
                    labels.remove(mt.name);
                }
            }
        }
        out.vector.push_back(InstantSample{labels, 1});
        return out;
    }

    out.vector.reserve(m.entries.size());
    for (const auto &entry : m.entries) {
        const Points pts = entry.points;
        std::optional<double> v;
        switch (id) {
        case FuncId::Rate: v = extrapolatedRate(pts, m, true, true); break;
        case FuncId::Increase: v = extrapolatedRate(pts, m, true, false); break;
        case FuncId::Delta: v = extrapolatedRate(pts, m, false, false); break;
        case FuncId::Irate: v = instantValue(pts, true); break;
        case FuncId::Idelta: v = instantValue(pts, false); break;
        case FuncId::Deriv:
            if (pts.size() >= 2)
                v = linearRegression(pts, pts.front().t).first;
            break;
        case FuncId::PredictLinear:
            if (pts.size() >= 2) {
                auto [slope, intercept] = linearRegression(pts, t);
                v = slope * scalarParam + intercept;
            }
            break;
        case FuncId::Changes:
        case FuncId::Resets: {
            double count = 0;
            for (std::size_t i = 1; i < pts.size(); ++i) {
                const double prev = pts[i - 1].v, cur = pts[i].v;
                if (id == FuncId::Changes ? (cur != prev && !(std::isnan(cur) && std::isnan(prev))) : cur < prev)
                    count += 1;
            }
            v = count;
            break;
        }
        case FuncId::AvgOverTime: v = avgOverTime(pts); break;
        case FuncId::SumOverTime: v = sumOverTime(pts); break;
        case FuncId::CountOverTime: v = static_cast<double>(pts.size()); break;
        case FuncId::PresentOverTime: v = 1; break;
        case FuncId::LastOverTime: v = pts.back().v; break;
        case FuncId::MaxOverTime:
        case FuncId::MinOverTime: {
            double best = pts.front().v;
            for (const auto &p : pts) {
                const bool better = id == FuncId::MaxOverTime ? p.v > best : p.v < best;
                if (better || std::isnan(best))
                    best = p.v;
            }
            v = best;
            break;
        }
        case FuncId::QuantileOverTime: {
            std::vector<double> values;
            values.reserve(pts.size());
            for (const auto &p : pts)
                values.push_back(p.v);
            v = quantileOf(scalarParam, std::move(values));
            break;
        }
        case FuncId::HoltWinters:
            if (pts.size() >= 2)
                v = holtWinters(pts, scalarParam, trendFactor);
            break;
        case FuncId::StddevOverTime: v = std::sqrt(varianceOverTime(pts)); break;
        case FuncId::StdvarOverTime: v = varianceOverTime(pts); break;
        default: break;
        }
        if (!v)
            continue;
        // last_over_time acts like an offset and keeps the metric name; the rest drop it.
        out.vector.push_back(InstantSample{id == FuncId::LastOverTime ? *entry.labels : *entry.labelsNoName, *v});
    }
    if (id != FuncId::LastOverTime && !m.uniqueWithoutName)
        ensureUniqueLabelsets(out.vector);
    return out;
}

} // namespace opsdeck::telemetry::promql
