// Binary operators: arithmetic, comparisons (filtering or bool), set operators, and
// vector matching (on/ignoring, group_left/group_right), as engine.go VectorBinop does.
#include "evaluator.h"
#include "label_signature.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace opsdeck::telemetry::promql {

namespace {

bool isOddInt(double x)
{
    if (std::fabs(x) >= 9007199254740992.0) // 2^53: every such double is even
        return false;
    double integral = 0;
    const double frac = std::modf(x, &integral);
    return frac == 0 && (static_cast<std::int64_t>(integral) & 1) == 1;
}

// Go's math.Pow, step for step: integer exponents by repeated squaring, so x^2, x^3 ...
// round exactly as in Prometheus (glibc's correctly rounded pow can differ in the last bit).
double goPow(double x, double y)
{
    if (y == 0 || x == 1)
        return 1;
    if (y == 1)
        return x;
    if (std::isnan(x) || std::isnan(y))
        return std::nan("");
    if (x == 0) {
        if (y < 0)
            return (std::signbit(x) && isOddInt(y)) ? -INFINITY : INFINITY;
        return (std::signbit(x) && isOddInt(y)) ? x : 0.0;
    }
    if (std::isinf(y)) {
        if (x == -1)
            return 1;
        return (std::fabs(x) < 1) == (y > 0) ? 0.0 : INFINITY;
    }
    if (std::isinf(x)) {
        if (x < 0)
            return goPow(1 / x, -y); // Pow(-0, -y)
        return y < 0 ? 0.0 : INFINITY;
    }
    if (y == 0.5)
        return std::sqrt(x);
    if (y == -0.5)
        return 1 / std::sqrt(x);
    double yi = 0;
    double yf = std::modf(std::fabs(y), &yi);
    if (yf != 0 && x < 0)
        return std::nan("");
    if (yi >= 9.223372036854775808e18) {
        if (x == -1)
            return 1;
        return (std::fabs(x) < 1) == (y > 0) ? 0.0 : INFINITY;
    }
    double a1 = 1.0;
    long ae = 0;
    if (yf != 0) {
        if (yf > 0.5) {
            yf--;
            yi++;
        }
        a1 = std::exp(yf * std::log(x));
    }
    int xeInt = 0;
    double x1 = std::frexp(x, &xeInt);
    long xe = xeInt;
    for (auto i = static_cast<std::int64_t>(yi); i != 0; i >>= 1) {
        if (xe < -(1 << 12) || (1 << 12) < xe) {
            ae += xe; // catastrophic overflow: let ldexp handle it
            break;
        }
        if ((i & 1) == 1) {
            a1 *= x1;
            ae += xe;
        }
        x1 *= x1;
        xe <<= 1;
        if (x1 < .5) {
            x1 += x1;
            xe--;
        }
    }
    if (y < 0) {
        a1 = 1 / a1;
        ae = -ae;
    }
    if (ae > 100000)
        ae = 100000;
    if (ae < -100000)
        ae = -100000;
    return std::ldexp(a1, static_cast<int>(ae));
}

// Returns the value and whether to keep the sample (comparisons return lhs, test).
std::pair<double, bool> applyOp(BinOp op, double l, double r)
{
    switch (op) {
    case BinOp::Add: return {l + r, true};
    case BinOp::Sub: return {l - r, true};
    case BinOp::Mul: return {l * r, true};
    case BinOp::Div: return {l / r, true};
    case BinOp::Mod: return {std::fmod(l, r), true};
    case BinOp::Pow: return {goPow(l, r), true};
    case BinOp::Atan2: return {std::atan2(l, r), true};
    case BinOp::Eq: return {l, l == r};
    case BinOp::Ne: return {l, l != r};
    case BinOp::Gt: return {l, l > r};
    case BinOp::Lt: return {l, l < r};
    case BinOp::Ge: return {l, l >= r};
    case BinOp::Le: return {l, l <= r};
    default: return {l, false};
    }
}

bool dropsMetricName(BinOp op)
{
    switch (op) {
    case BinOp::Add: case BinOp::Sub: case BinOp::Mul: case BinOp::Div: case BinOp::Mod: case BinOp::Pow:
        return true; // atan2 keeps the name in 2.42 (checked with promtool)
    default:
        return false;
    }
}

bool listed(const std::vector<std::string> &names, const std::string &n)
{
    return std::find(names.begin(), names.end(), n) != names.end();
}

Labels matchedLabels(const Labels &l, const VectorMatching &m)
{
    std::vector<Label> kept;
    for (const auto &item : l.items())
        if (m.on ? listed(m.labels, item.first) : !(item.first == "__name__" || listed(m.labels, item.first)))
            kept.push_back(item);
    return Labels(std::move(kept));
}

// Prometheus's labels.String(): every label inside the braces, __name__ included.
std::string promLabelsString(const Labels &l)
{
    std::string out = "{";
    for (const auto &[name, value] : l.items()) {
        if (out.size() > 1)
            out += ", ";
        out += name + "=\"" + value + "\"";
    }
    return out + "}";
}

Labels resultMetric(const Labels &lhs, const Labels &rhs, BinOp op, const VectorMatching &m)
{
    Labels out = lhs;
    if (dropsMetricName(op))
        out.remove("__name__");
    if (m.card == Cardinality::OneToOne) {
        if (m.on) {
            std::vector<Label> kept;
            for (const auto &item : out.items())
                if (listed(m.labels, item.first))
                    kept.push_back(item);
            out = Labels(std::move(kept));
        } else {
            for (const auto &name : m.labels)
                out.remove(name);
        }
    }
    // group_left/group_right extra labels come from the "one" side.
    for (const auto &name : m.include)
        out.set(name, rhs.get(name));
    return out;
}

Vector vectorBinop(BinOp op, Vector lhs, Vector rhs, const VectorMatching &m, bool returnBool)
{
    const bool swapped = m.card == Cardinality::OneToMany;
    if (swapped)
        std::swap(lhs, rhs); // treat group_right as group_left with sides swapped
    // Matching signature: the on() labels, or all but the ignoring() labels and the name.
    const LabelSubset signature(m.labels, m.on);
    SignatureIndex rightIndex(rhs.size()); // entry i is rhs[i]: a duplicate throws
    for (std::size_t i = 0; i < rhs.size(); ++i) {
        const std::uint64_t h = signature.hash(rhs[i].metric);
        const std::size_t dup =
            rightIndex.find(h, [&](std::size_t e) { return signature.same(rhs[e].metric, rhs[i].metric); });
        if (dup != SignatureIndex::npos) {
            throwEvalError("found duplicate series for the match group " +
                           promLabelsString(matchedLabels(rhs[i].metric, m)) + " on the " +
                           (swapped ? "left" : "right") + " hand-side of the operation: [" +
                           promLabelsString(rhs[i].metric) + ", " + promLabelsString(rhs[dup].metric) +
                           "];many-to-many matching not allowed: matching labels must be unique on one side");
        }
        rightIndex.add(h);
    }
    // Which right-hand entries matched already (one-to-one), or with which result label
    // sets (many-to-one: each must be unique).
    std::vector<char> matchedOnce(m.card == Cardinality::OneToOne ? rhs.size() : 0, 0);
    std::unordered_map<std::size_t, std::unordered_set<Labels, LabelsHash>> matchedMetrics;
    Vector out;
    for (auto &ls : lhs) {
        const std::size_t r = rightIndex.find(signature.hash(ls.metric), [&](std::size_t e) {
            return signature.same(rhs[e].metric, ls.metric);
        });
        if (r == SignatureIndex::npos)
            continue;
        const InstantSample &rs = rhs[r];
        double vl = ls.value, vr = rs.value;
        if (swapped)
            std::swap(vl, vr);
        auto [value, keep] = applyOp(op, vl, vr);
        if (returnBool)
            value = keep ? 1.0 : 0.0;
        else if (!keep)
            continue;
        Labels metric = resultMetric(ls.metric, rs.metric, op, m);
        if (returnBool)
            metric.remove("__name__");
        if (m.card == Cardinality::OneToOne) {
            if (matchedOnce[r])
                throwEvalError("multiple matches for labels: many-to-one matching must be explicit "
                               "(group_left/group_right)");
            matchedOnce[r] = 1;
        } else if (!matchedMetrics[r].insert(metric).second) {
            throwEvalError("multiple matches for labels: grouping labels must ensure unique matches");
        }
        out.push_back(InstantSample{std::move(metric), value});
    }
    return out;
}

// The signatures of v's samples, to test others against.
class SignatureSet {
public:
    SignatureSet(const Vector &v, const LabelSubset &signature) : m_v(v), m_signature(signature), m_index(v.size())
    {
        for (const auto &s : v)
            m_index.add(signature.hash(s.metric));
    }
    bool contains(const Labels &l) const
    {
        return m_index.find(m_signature.hash(l), [&](std::size_t e) { return m_signature.same(m_v[e].metric, l); }) !=
               SignatureIndex::npos;
    }

private:
    const Vector &m_v;
    const LabelSubset &m_signature;
    SignatureIndex m_index;
};

Vector setOperation(BinOp op, Vector lhs, Vector rhs, const VectorMatching &m)
{
    const LabelSubset signature(m.labels, m.on);
    Vector out;
    switch (op) {
    case BinOp::And: {
        if (lhs.empty() || rhs.empty())
            return out;
        const SignatureSet right(rhs, signature);
        for (auto &s : lhs)
            if (right.contains(s.metric))
                out.push_back(std::move(s));
        return out;
    }
    case BinOp::Or: {
        if (lhs.empty())
            return rhs;
        if (rhs.empty())
            return lhs;
        std::vector<InstantSample> added;
        {
            const SignatureSet left(lhs, signature);
            for (auto &s : rhs)
                if (!left.contains(s.metric))
                    added.push_back(std::move(s));
        }
        out = std::move(lhs);
        for (auto &s : added)
            out.push_back(std::move(s));
        return out;
    }
    default: { // unless
        if (lhs.empty() || rhs.empty())
            return lhs;
        const SignatureSet right(rhs, signature);
        for (auto &s : lhs)
            if (!right.contains(s.metric))
                out.push_back(std::move(s));
        return out;
    }
    }
}

} // namespace

Value Evaluator::evalBinary(const Node &n, std::int64_t t)
{
    Value lhs = eval(n.arg(0), t);
    Value rhs = eval(n.arg(1), t);
    Value out;
    out.type = n.type;
    const bool lScalar = lhs.type == ValueType::Scalar, rScalar = rhs.type == ValueType::Scalar;
    if (lScalar && rScalar) {
        auto [value, keep] = applyOp(n.op, lhs.scalar, rhs.scalar);
        out.scalar = isComparison(n.op) ? (keep ? 1.0 : 0.0) : value;
        return out;
    }
    if (!lScalar && !rScalar) {
        const VectorMatching &m = *n.matching;
        if (isSetOperator(n.op))
            out.vector = setOperation(n.op, std::move(lhs.vector), std::move(rhs.vector), m);
        else
            out.vector = vectorBinop(n.op, std::move(lhs.vector), std::move(rhs.vector), m, n.returnBool);
        ensureUniqueLabelsets(out.vector);
        return out;
    }
    // Vector and scalar: the vector's samples carry through.
    const bool scalarOnLeft = lScalar;
    Vector &vec = scalarOnLeft ? rhs.vector : lhs.vector;
    const double scalar = scalarOnLeft ? lhs.scalar : rhs.scalar;
    const bool dropName = dropsMetricName(n.op) || n.returnBool;
    out.vector.reserve(vec.size());
    for (auto &s : vec) {
        const double l = scalarOnLeft ? scalar : s.value;
        const double r = scalarOnLeft ? s.value : scalar;
        auto [value, keep] = applyOp(n.op, l, r);
        // A comparison keeps the vector's value even when the vector is on the right.
        if (isComparison(n.op) && scalarOnLeft)
            value = r;
        if (n.returnBool) {
            value = keep ? 1.0 : 0.0;
            keep = true;
        }
        if (!keep)
            continue;
        if (dropName)
            s.metric.remove("__name__");
        out.vector.push_back(InstantSample{std::move(s.metric), value});
    }
    ensureUniqueLabelsets(out.vector);
    return out;
}

} // namespace opsdeck::telemetry::promql
