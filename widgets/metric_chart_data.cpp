#include "metric_chart_data.h"

#include <algorithm>
#include <cmath>

namespace opsdeck::widgets::chartdata {

void decimate(const QList<QPointF> &in, const Transform &tf, QList<QPointF> &out)
{
    out.clear();
    const qsizetype n = in.size();
    if (tf.columns <= 0 || n <= qsizetype(tf.columns) * 2) {
        out.reserve(n);
        for (const QPointF &p : in)
            if (!std::isnan(p.y())) // a gap, not a point
                out.append(QPointF(p.x() + tf.shift, p.y() * tf.scale));
        return;
    }
    out.reserve(qsizetype(tf.columns) * 2);
    const double width = std::max(1.0, tf.x1 - tf.x0);
    const double perColumn = width / double(tf.columns);
    qsizetype i = 0;
    while (i < n) {
        const double x = in[i].x() + tf.shift;
        const long column = long(std::floor((x - tf.x0) / perColumn));
        qsizetype minI = i, maxI = i;
        for (++i; i < n; ++i) {
            const double xi = in[i].x() + tf.shift;
            if (long(std::floor((xi - tf.x0) / perColumn)) != column)
                break;
            if (in[i].y() < in[minI].y())
                minI = i;
            if (in[i].y() > in[maxI].y())
                maxI = i;
        }
        // The column's extremes in time order: the drawn line spans exactly what a
        // full-resolution line would cover in that column.
        const qsizetype a = std::min(minI, maxI), b = std::max(minI, maxI);
        out.append(QPointF(in[a].x() + tf.shift, in[a].y() * tf.scale));
        if (b != a)
            out.append(QPointF(in[b].x() + tf.shift, in[b].y() * tf.scale));
    }
}

std::ptrdiff_t Grid::indexOf(double epochMs) const
{
    if (n == 0)
        return -1;
    const double f = (epochMs - double(base)) / double(step);
    const auto i = std::ptrdiff_t(std::llround(f));
    return i >= 0 && std::size_t(i) < n ? i : -1;
}

Grid Grid::over(const QList<ChartSeries> &series, qint64 fromMs, qint64 toMs)
{
    Grid g;
    qint64 step = 0;
    double lo = qInf(), hi = -qInf();
    for (const ChartSeries &s : series) {
        if (s.points.isEmpty())
            continue;
        lo = std::min(lo, s.points.constFirst().x());
        hi = std::max(hi, s.points.constLast().x());
        // Range query points are step apart; the smallest gap anywhere is the step.
        for (qsizetype i = 1; i < s.points.size() && i < 64; ++i) {
            const qint64 gap = qint64(s.points[i].x() - s.points[i - 1].x());
            if (gap > 0 && (step == 0 || gap < step))
                step = gap;
        }
    }
    if (!std::isfinite(lo))
        return g;
    g.base = qint64(lo);
    g.step = step > 0 ? step : std::max<qint64>(1, toMs - fromMs);
    // A runaway grid (odd data) would cost memory, not correctness: cap it.
    g.n = std::size_t(std::min<qint64>((qint64(hi) - g.base) / g.step + 1, 400'000));
    return g;
}

void stack(const QList<QPointF> &points, const Grid &grid, const std::vector<double> &base,
           std::vector<double> &top)
{
    top.assign(base.begin(), base.end());
    for (const QPointF &p : points) {
        const auto i = grid.indexOf(p.x());
        if (i >= 0)
            top[std::size_t(i)] = base[std::size_t(i)] + p.y();
    }
}

void gridToPoints(const Grid &grid, const std::vector<double> &values, const Transform &tf,
                  QList<QPointF> &out)
{
    out.clear();
    const std::size_t n = std::min(grid.size(), values.size());
    const std::size_t every = tf.columns > 0 && n > std::size_t(tf.columns)
                                  ? (n + std::size_t(tf.columns) - 1) / std::size_t(tf.columns)
                                  : 1;
    out.reserve(qsizetype(n / every + 2));
    for (std::size_t i = 0; i < n; i += every) {
        const std::size_t k = std::min(i + every - 1, n - 1);
        out.append(QPointF(double(grid.timeAt(k)) + tf.shift, values[k] * tf.scale));
    }
}

void simplify(QList<QPointF> &points, double pxPerX, double pxPerY, double tolerancePx)
{
    const qsizetype n = points.size();
    if (n < 3 || !(pxPerX > 0) || !(pxPerY > 0))
        return;
    std::vector<char> keep(std::size_t(n), 0);
    keep.front() = keep.back() = 1;
    const double tolerance2 = tolerancePx * tolerancePx;
    // Iterative (a long noisy series would recurse thousands deep).
    std::vector<std::pair<qsizetype, qsizetype>> spans{{0, n - 1}};
    while (!spans.empty()) {
        const auto [a, b] = spans.back();
        spans.pop_back();
        if (b - a < 2)
            continue;
        const double ax = points[a].x() * pxPerX, ay = points[a].y() * pxPerY;
        const double dx = points[b].x() * pxPerX - ax, dy = points[b].y() * pxPerY - ay;
        const double length2 = dx * dx + dy * dy;
        double worst = -1;
        qsizetype worstAt = -1;
        for (qsizetype i = a + 1; i < b; ++i) {
            const double px = points[i].x() * pxPerX - ax, py = points[i].y() * pxPerY - ay;
            // Squared distance to the chord (x is monotonic, so the chord's line will do).
            const double cross = px * dy - py * dx;
            const double d2 = length2 > 0 ? cross * cross / length2 : px * px + py * py;
            if (d2 > worst) {
                worst = d2;
                worstAt = i;
            }
        }
        if (worst > tolerance2) {
            keep[std::size_t(worstAt)] = 1;
            spans.push_back({a, worstAt});
            spans.push_back({worstAt, b});
        }
    }
    qsizetype out = 0;
    for (qsizetype i = 0; i < n; ++i)
        if (keep[std::size_t(i)])
            points[out++] = points[i];
    points.resize(out);
}

void envelope(const QList<ChartSeries> &series, const Grid &grid, bool above, bool stacked,
              std::vector<double> &env)
{
    env.assign(grid.size(), qQNaN());
    for (const ChartSeries &s : series) {
        for (const QPointF &p : s.points) {
            const auto i = grid.indexOf(p.x());
            if (i < 0)
                continue;
            double &e = env[std::size_t(i)];
            if (std::isnan(e))
                e = p.y();
            else if (stacked)
                e += p.y();
            else
                e = above ? std::max(e, p.y()) : std::min(e, p.y());
        }
    }
}

void breachBand(const Grid &grid, const std::vector<double> &env, const Transform &tf,
                double threshold, bool above, QList<QPointF> &upper, QList<QPointF> &lower)
{
    upper.clear();
    lower.clear();
    const std::size_t n = std::min(grid.size(), env.size());
    const std::size_t every = tf.columns > 0 && n > std::size_t(tf.columns)
                                  ? (n + std::size_t(tf.columns) - 1) / std::size_t(tf.columns)
                                  : 1;
    upper.reserve(qsizetype(n / every + 2));
    lower.reserve(qsizetype(n / every + 2));
    for (std::size_t i = 0; i < n; i += every) {
        double worst = qQNaN();
        const std::size_t end = std::min(i + every, n);
        for (std::size_t k = i; k < end; ++k) {
            const double v = env[k] * tf.scale;
            if (std::isnan(v))
                continue;
            worst = std::isnan(worst) ? v : above ? std::max(worst, v) : std::min(worst, v);
        }
        const double x = double(grid.timeAt(i)) + tf.shift;
        const double edge = std::isnan(worst) ? threshold
                            : above           ? std::max(worst, threshold)
                                              : std::min(worst, threshold);
        upper.append(QPointF(x, above ? edge : threshold));
        lower.append(QPointF(x, above ? threshold : edge));
    }
}

YRange niceRange(double yMin, double yMax, double floor, double ceiling, bool badBelow)
{
    YRange r;
    if (yMax < yMin)
        std::swap(yMin, yMax);
    double span = yMax - yMin;
    if (span <= 0 && yMax == 0)
        yMax = span = 1; // all zero: a 0..1 axis, not ten labels reading "0.000"
    else if (span <= 0)
        span = std::abs(yMax) * 0.1;
    double lo = (!badBelow && yMin >= 0) ? 0 : yMin - span * 0.15;
    double hi = yMax + span * 0.15;
    lo = std::max(lo, floor);
    hi = std::min(hi, ceiling);
    if (hi <= lo)
        hi = lo + std::max(std::abs(lo) * 0.1, 1e-6);
    // A round tick step giving about four intervals: 1, 2, 2.5 or 5 times a power of ten.
    const double raw = (hi - lo) / 4;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude * 10;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (magnitude * m >= raw) {
            step = magnitude * m;
            break;
        }
    double niceLo = std::floor(lo / step) * step;
    double niceHi = std::ceil(hi / step) * step;
    niceLo = std::max(niceLo, floor);
    niceHi = std::min(niceHi, ceiling);
    r.lo = niceLo;
    r.hi = niceHi > niceLo ? niceHi : niceLo + step;
    r.ticks = std::clamp(int(std::lround((r.hi - r.lo) / step)) + 1, 2, 11);
    r.format = step >= 1      ? QStringLiteral("%.0f")
               : step >= 0.1  ? QStringLiteral("%.1f")
               : step >= 0.01 ? QStringLiteral("%.2f")
                              : QStringLiteral("%.3f");
    return r;
}

} // namespace opsdeck::widgets::chartdata
