// Functions over instant vectors and scalars, and dispatch for every function call.
#include "evaluator.h"
#include "../exposition.h"
#include "functions.h"
#include "lexer.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <unordered_map>

namespace opsdeck::telemetry::promql {

namespace {

double mathFunction(FuncId id, double v)
{
    switch (id) {
    case FuncId::Abs: return std::fabs(v);
    case FuncId::Ceil: return std::ceil(v);
    case FuncId::Floor: return std::floor(v);
    case FuncId::Exp: return std::exp(v);
    case FuncId::Ln: return std::log(v);
    case FuncId::Log2: return std::log2(v);
    case FuncId::Log10: return std::log10(v);
    case FuncId::Sqrt: return std::sqrt(v);
    case FuncId::Sin: return std::sin(v);
    case FuncId::Cos: return std::cos(v);
    case FuncId::Tan: return std::tan(v);
    case FuncId::Asin: return std::asin(v);
    case FuncId::Acos: return std::acos(v);
    case FuncId::Atan: return std::atan(v);
    case FuncId::Sinh: return std::sinh(v);
    case FuncId::Cosh: return std::cosh(v);
    case FuncId::Tanh: return std::tanh(v);
    case FuncId::Asinh: return std::asinh(v);
    case FuncId::Acosh: return std::acosh(v);
    case FuncId::Atanh: return std::atanh(v);
    case FuncId::Deg: return v * 180 / std::numbers::pi;
    case FuncId::Rad: return v * std::numbers::pi / 180;
    case FuncId::Sgn: return v < 0 ? -1.0 : v > 0 ? 1.0 : v; // keeps NaN and ±0
    default: return v;
    }
}

// absent(): labels from the selector's equality matchers, if the argument is a selector.
Labels absentLabels(const Node &arg)
{
    Labels labels;
    if (arg.kind != NodeKind::VectorSelector)
        return labels;
    std::vector<std::string> seen;
    for (const auto &m : arg.matchers) {
        if (m.name == "__name__")
            continue;
        const bool dup = std::find(seen.begin(), seen.end(), m.name) != seen.end();
        if (m.op == LabelMatcher::Op::Equal && !dup) {
            labels.set(m.name, m.value);
            seen.push_back(m.name);
        } else {
            labels.remove(m.name);
        }
    }
    return labels;
}

// Civil date of a Unix time in UTC (Howard Hinnant's days-to-civil algorithm).
struct CivilTime {
    std::int64_t year;
    int month, day, hour, minute, dayOfWeek, dayOfYear, daysInMonth;
};

CivilTime civilFromUnixSeconds(std::int64_t secs)
{
    std::int64_t days = secs / 86400;
    std::int64_t rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    CivilTime c{};
    c.hour = static_cast<int>(rem / 3600);
    c.minute = static_cast<int>(rem % 3600 / 60);
    c.dayOfWeek = static_cast<int>(((days % 7) + 11) % 7); // 1970-01-01 was a Thursday (4)
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    c.year = yoe + era * 400 + (c.month <= 2 ? 1 : 0);
    const bool leap = (c.year % 4 == 0 && c.year % 100 != 0) || c.year % 400 == 0;
    static const int kCumulative[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    static const int kLengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    c.dayOfYear = kCumulative[c.month - 1] + c.day + (leap && c.month > 2 ? 1 : 0);
    c.daysInMonth = kLengths[c.month - 1] + (leap && c.month == 2 ? 1 : 0);
    return c;
}

double dateFunction(FuncId id, double v)
{
    if (std::isnan(v) || std::isinf(v))
        return std::nan(""); // no calendar date
    const CivilTime c = civilFromUnixSeconds(static_cast<std::int64_t>(v));
    switch (id) {
    case FuncId::DayOfMonth: return c.day;
    case FuncId::DayOfWeek: return c.dayOfWeek;
    case FuncId::DayOfYear: return c.dayOfYear;
    case FuncId::DaysInMonth: return c.daysInMonth;
    case FuncId::Hour: return c.hour;
    case FuncId::Minute: return c.minute;
    case FuncId::Month: return c.month;
    default: return static_cast<double>(c.year);
    }
}

struct Bucket {
    double upperBound;
    double count;
};

// promql/quantile.go bucketQuantile.
double bucketQuantile(double q, std::vector<Bucket> buckets)
{
    if (std::isnan(q))
        return std::nan("");
    if (q < 0)
        return -INFINITY;
    if (q > 1)
        return INFINITY;
    std::sort(buckets.begin(), buckets.end(), [](const Bucket &a, const Bucket &b) { return a.upperBound < b.upperBound; });
    if (!std::isinf(buckets.back().upperBound) || buckets.back().upperBound < 0)
        return std::nan("");
    // Merge buckets with the same bound (e.g. "1" and "1.0"), then force monotonic counts.
    std::vector<Bucket> merged;
    for (const auto &b : buckets) {
        if (!merged.empty() && merged.back().upperBound == b.upperBound)
            merged.back().count += b.count;
        else
            merged.push_back(b);
    }
    double max = -INFINITY;
    for (auto &b : merged) {
        if (b.count > max)
            max = b.count;
        else if (b.count < max)
            b.count = max;
    }
    if (merged.size() < 2)
        return std::nan("");
    const double observations = merged.back().count;
    if (observations == 0)
        return std::nan("");
    double rank = q * observations;
    std::size_t b = 0;
    while (b < merged.size() - 1 && !(merged[b].count >= rank))
        ++b;
    if (b == merged.size() - 1)
        return merged[merged.size() - 2].upperBound;
    if (b == 0 && merged[0].upperBound <= 0)
        return merged[0].upperBound;
    double bucketStart = 0;
    const double bucketEnd = merged[b].upperBound;
    double count = merged[b].count;
    if (b > 0) {
        bucketStart = merged[b - 1].upperBound;
        count -= merged[b - 1].count;
        rank -= merged[b - 1].count;
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

Vector histogramQuantile(double q, Vector in)
{
    struct Group {
        Labels metric;
        std::vector<Bucket> buckets;
    };
    std::vector<Group> groups;
    std::unordered_map<Labels, std::size_t, LabelsHash> index;
    for (auto &s : in) {
        auto bound = parseNumber(s.metric.get("le"));
        if (!bound)
            continue; // no or malformed le label: not a bucket
        Labels key = s.metric;
        key.remove("le"); // the name stays in the key: different histograms stay apart
        auto [it, added] = index.try_emplace(key, groups.size());
        if (added) {
            Labels metric = key;
            metric.remove("__name__");
            groups.push_back(Group{std::move(metric), {}});
        }
        groups[it->second].buckets.push_back(Bucket{*bound, s.value});
    }
    Vector out;
    for (auto &g : groups)
        out.push_back(InstantSample{std::move(g.metric), bucketQuantile(q, std::move(g.buckets))});
    return out;
}

void sortVector(Vector &v, bool descending)
{
    // NaN sorts to the bottom in both directions (Prometheus reverses a NaN-first heap order).
    std::stable_sort(v.begin(), v.end(), [descending](const InstantSample &a, const InstantSample &b) {
        if (std::isnan(a.value) || std::isnan(b.value))
            return !std::isnan(a.value) && std::isnan(b.value);
        return descending ? a.value > b.value : a.value < b.value;
    });
}

} // namespace

Value Evaluator::evalCall(const Node &n, std::int64_t t)
{
    const FuncId id = n.func->id;
    if (takesRangeVector(id))
        return evalRangeVectorCall(*this, n, t);

    Value out;
    out.type = n.func->returnType;
    switch (id) {
    case FuncId::Time:
        out.scalar = static_cast<double>(t) / 1000.0;
        return out;
    case FuncId::Pi:
        out.scalar = std::numbers::pi;
        return out;
    case FuncId::Vector:
        out.vector.push_back(InstantSample{Labels{}, eval(n.arg(0), t).scalar});
        return out;
    case FuncId::Scalar: {
        Value v = eval(n.arg(0), t);
        out.scalar = v.vector.size() == 1 ? v.vector[0].value : std::nan("");
        return out;
    }
    case FuncId::Timestamp: {
        const Node &arg = unwrapParens(n.arg(0));
        if (arg.kind == NodeKind::VectorSelector)
            return evalTimestampOfSelector(*this, arg, t);
        out.vector = eval(n.arg(0), t).vector;
        for (auto &s : out.vector) {
            s.metric.remove("__name__");
            s.value = static_cast<double>(t) / 1000.0;
        }
        break;
    }
    case FuncId::Absent: {
        if (eval(n.arg(0), t).vector.empty())
            out.vector.push_back(InstantSample{absentLabels(n.arg(0)), 1});
        return out;
    }
    case FuncId::HistogramQuantile: {
        const double q = eval(n.arg(0), t).scalar;
        out.vector = histogramQuantile(q, eval(n.arg(1), t).vector);
        break;
    }
    case FuncId::Clamp:
    case FuncId::ClampMin:
    case FuncId::ClampMax: {
        out.vector = eval(n.arg(0), t).vector;
        const double a = eval(n.arg(1), t).scalar;
        const double b = id == FuncId::Clamp ? eval(n.arg(2), t).scalar : 0;
        if (id == FuncId::Clamp && b < a) {
            out.vector.clear(); // clamp(v, min, max) with max < min selects nothing
            return out;
        }
        for (auto &s : out.vector) {
            s.metric.remove("__name__");
            if (id == FuncId::Clamp)
                s.value = goMax(a, goMin(b, s.value));
            else if (id == FuncId::ClampMin)
                s.value = goMax(a, s.value);
            else
                s.value = goMin(a, s.value);
        }
        break;
    }
    case FuncId::Round: {
        out.vector = eval(n.arg(0), t).vector;
        const double toNearest = n.args.size() > 1 ? eval(n.arg(1), t).scalar : 1.0;
        const double inverse = 1.0 / toNearest; // rounding to 1/x is cheaper than to x
        for (auto &s : out.vector) {
            s.metric.remove("__name__");
            s.value = std::floor(s.value * inverse + 0.5) / inverse;
        }
        break;
    }
    case FuncId::LabelReplace: {
        const std::string dst = eval(n.arg(1), t).string;
        const std::string repl = eval(n.arg(2), t).string;
        const std::string src = eval(n.arg(3), t).string;
        const std::string pattern = eval(n.arg(4), t).string;
        const AnchoredRegex &re = regexFor(n, pattern, "label_replace");
        if (!isValidLabelName(dst))
            throwEvalError("invalid destination label name in label_replace(): " + dst);
        out.vector = eval(n.arg(0), t).vector;
        std::vector<std::string> groups;
        for (auto &s : out.vector)
            if (re.match(s.metric.get(src), groups))
                s.metric.set(dst, re.expand(repl, groups));
        break;
    }
    case FuncId::LabelJoin: {
        const std::string dst = eval(n.arg(1), t).string;
        const std::string sep = eval(n.arg(2), t).string;
        std::vector<std::string> srcs;
        for (std::size_t i = 3; i < n.args.size(); ++i) {
            srcs.push_back(eval(n.arg(i), t).string);
            if (!isValidLabelName(srcs.back()))
                throwEvalError("invalid source label name in label_join(): " + srcs.back());
        }
        if (!isValidLabelName(dst))
            throwEvalError("invalid destination label name in label_join(): " + dst);
        out.vector = eval(n.arg(0), t).vector;
        for (auto &s : out.vector) {
            std::string joined;
            for (std::size_t i = 0; i < srcs.size(); ++i)
                joined += (i ? sep : std::string()) + s.metric.get(srcs[i]);
            s.metric.set(dst, joined);
        }
        break;
    }
    case FuncId::DayOfMonth: case FuncId::DayOfWeek: case FuncId::DayOfYear: case FuncId::DaysInMonth:
    case FuncId::Hour: case FuncId::Minute: case FuncId::Month: case FuncId::Year:
        // Without an argument they apply to vector(time()).
        if (n.args.empty())
            out.vector.push_back(InstantSample{Labels{}, static_cast<double>(t) / 1000.0});
        else
            out.vector = eval(n.arg(0), t).vector;
        for (auto &s : out.vector) {
            s.metric.remove("__name__");
            s.value = dateFunction(id, s.value);
        }
        break;
    case FuncId::Sort:
    case FuncId::SortDesc:
        out.vector = eval(n.arg(0), t).vector;
        sortVector(out.vector, id == FuncId::SortDesc);
        break;
    default:
        // The simple math functions: value in, value out, metric name dropped.
        out.vector = eval(n.arg(0), t).vector;
        for (auto &s : out.vector) {
            s.metric.remove("__name__");
            s.value = mathFunction(id, s.value);
        }
        break;
    }
    ensureUniqueLabelsets(out.vector);
    return out;
}

} // namespace opsdeck::telemetry::promql
