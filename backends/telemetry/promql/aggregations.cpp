// Aggregation operators (sum, avg, topk, quantile, count_values, ...) with by/without
// grouping, following promql/engine.go aggregation() in Prometheus 2.42.
#include "evaluator.h"
#include "label_signature.h"
#include "../exposition.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

namespace opsdeck::telemetry::promql {

namespace {

// Go strconv.FormatFloat(v, 'f', -1, 64): count_values' label values.
std::string formatFixed(double v)
{
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    char buf[512];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    return std::string(buf, res.ptr);
}

// A min-heap ordered by `less`, with Go container/heap's exact sift order, so ties in
// topk/bottomk resolve to the same series Prometheus picks.
template <typename Less>
struct GoHeap {
    std::vector<InstantSample> items;
    Less less;
    bool lessAt(std::size_t i, std::size_t j) const { return less(items[i].value, items[j].value); }
    void up(std::size_t j)
    {
        while (j > 0) {
            const std::size_t i = (j - 1) / 2;
            if (!lessAt(j, i))
                break;
            std::swap(items[i], items[j]);
            j = i;
        }
    }
    bool down(std::size_t i0)
    {
        std::size_t i = i0;
        const std::size_t n = items.size();
        while (true) {
            const std::size_t j1 = 2 * i + 1;
            if (j1 >= n)
                break;
            std::size_t j = j1;
            if (j1 + 1 < n && lessAt(j1 + 1, j1))
                j = j1 + 1;
            if (!lessAt(j, i))
                break;
            std::swap(items[i], items[j]);
            i = j;
        }
        return i > i0;
    }
    void push(InstantSample s)
    {
        items.push_back(std::move(s));
        up(items.size() - 1);
    }
    void replaceTop(InstantSample s)
    {
        items[0] = std::move(s);
        if (!down(0))
            up(0);
    }
};

// vectorByValueHeap / vectorByReverseValueHeap: NaN counts as the least element.
struct TopkLess {
    bool operator()(double a, double b) const { return std::isnan(a) || a < b; }
};
struct BottomkLess {
    bool operator()(double a, double b) const { return std::isnan(a) || a > b; }
};

struct Group {
    Labels metric;
    double value = 0;
    double mean = 0;
    double count = 0;
    std::vector<double> values;     // quantile
    GoHeap<TopkLess> top;           // topk
    GoHeap<BottomkLess> bottom;     // bottomk
};

} // namespace

Value Evaluator::evalAggregate(const Node &n, std::int64_t t)
{
    const AggOp op = n.aggOp;
    Value out;
    out.type = ValueType::Vector;
    double param = 0;
    std::string valueLabel;
    std::vector<std::string> grouping = n.grouping;
    if (op == AggOp::Topk || op == AggOp::Bottomk || op == AggOp::Quantile)
        param = eval(n.arg(1), t).scalar;
    if (op == AggOp::CountValues) {
        valueLabel = eval(n.arg(1), t).string;
        if (!isValidLabelName(valueLabel))
            throwEvalError("invalid label name \"" + valueLabel + "\"");
        if (!n.without)
            grouping.push_back(valueLabel);
    }
    std::int64_t k = 0;
    if (op == AggOp::Topk || op == AggOp::Bottomk) {
        if (std::isnan(param) || param >= 9.2233720368547758e18 || param < -9.2233720368547758e18)
            throwEvalError("Scalar value " + formatValue(param) + " overflows int64");
        k = static_cast<std::int64_t>(param);
        if (k < 1)
            return out;
    }

    Vector input = eval(n.arg(0), t).vector;
    std::vector<Group> groups;
    // The group a series falls in: the listed labels (by) or all but them (without).
    const LabelSubset subset(grouping, !n.without);
    SignatureIndex index;
    for (auto &s : input) {
        if (op == AggOp::CountValues)
            s.metric.set(valueLabel, formatFixed(s.value));
        const std::uint64_t signature = subset.hash(s.metric);
        const std::size_t found = index.find(
            signature, [&](std::size_t g) { return subset.same(groups[g].metric, s.metric); });
        if (found == SignatureIndex::npos) {
            index.add(signature); // entry number == groups.size()
            Group g;
            g.metric = subset.project(s.metric);
            g.value = s.value;
            g.mean = s.value;
            g.count = 1;
            if (op == AggOp::Stddev || op == AggOp::Stdvar)
                g.value = 0;
            else if (op == AggOp::Group)
                g.value = 1;
            else if (op == AggOp::Quantile)
                g.values.push_back(s.value);
            else if (op == AggOp::Topk)
                g.top.push(std::move(s));
            else if (op == AggOp::Bottomk)
                g.bottom.push(std::move(s));
            groups.push_back(std::move(g));
            continue;
        }
        Group &g = groups[found];
        switch (op) {
        case AggOp::Sum: g.value += s.value; break;
        case AggOp::Avg:
            g.count += 1;
            if (std::isinf(g.mean)) {
                // Inf - Inf would turn a correct infinite mean into NaN.
                if (std::isinf(s.value) && (g.mean > 0) == (s.value > 0))
                    break;
                if (!std::isinf(s.value) && !std::isnan(s.value))
                    break;
            }
            // Divide each side first to avoid overflow, as Prometheus does.
            g.mean += s.value / g.count - g.mean / g.count;
            break;
        case AggOp::Group: break;
        case AggOp::Count:
        case AggOp::CountValues: g.count += 1; break;
        case AggOp::Max:
            if (g.value < s.value || std::isnan(g.value))
                g.value = s.value;
            break;
        case AggOp::Min:
            if (g.value > s.value || std::isnan(g.value))
                g.value = s.value;
            break;
        case AggOp::Stddev:
        case AggOp::Stdvar: {
            g.count += 1;
            const double delta = s.value - g.mean;
            g.mean += delta / g.count;
            g.value += delta * (s.value - g.mean);
            break;
        }
        case AggOp::Topk:
            if (static_cast<std::int64_t>(g.top.items.size()) < k)
                g.top.push(std::move(s));
            else if (g.top.items[0].value < s.value || (std::isnan(g.top.items[0].value) && !std::isnan(s.value)))
                g.top.replaceTop(std::move(s));
            break;
        case AggOp::Bottomk:
            if (static_cast<std::int64_t>(g.bottom.items.size()) < k)
                g.bottom.push(std::move(s));
            else if (g.bottom.items[0].value > s.value ||
                     (std::isnan(g.bottom.items[0].value) && !std::isnan(s.value)))
                g.bottom.replaceTop(std::move(s));
            break;
        case AggOp::Quantile: g.values.push_back(s.value); break;
        }
    }

    for (auto &g : groups) {
        double v = g.value;
        switch (op) {
        case AggOp::Avg: v = g.mean; break;
        case AggOp::Count:
        case AggOp::CountValues: v = g.count; break;
        case AggOp::Stdvar: v = g.value / g.count; break;
        case AggOp::Stddev: v = std::sqrt(g.value / g.count); break;
        case AggOp::Quantile: v = quantileOf(param, std::move(g.values)); break;
        case AggOp::Topk:
        case AggOp::Bottomk: {
            // Largest first for topk, smallest first for bottomk (NaN last in both).
            auto &items = op == AggOp::Topk ? g.top.items : g.bottom.items;
            std::sort(items.begin(), items.end(), [op](const InstantSample &a, const InstantSample &b) {
                if (std::isnan(a.value) || std::isnan(b.value))
                    return !std::isnan(a.value) && std::isnan(b.value);
                return op == AggOp::Topk ? a.value > b.value : a.value < b.value;
            });
            for (auto &s : items)
                out.vector.push_back(std::move(s));
            continue;
        }
        default: break;
        }
        out.vector.push_back(InstantSample{std::move(g.metric), v});
    }
    return out;
}

} // namespace opsdeck::telemetry::promql
