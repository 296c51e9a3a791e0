#pragma once
// MetricChart's arithmetic, apart from Qt Charts so it can be read (and tested) alone:
// decimation to pixel columns, the time grid shared by series of one range query,
// stacking, the breach envelope, and "nice" y axis ranges.
#include "metric_chart.h"

#include <QList>
#include <QPointF>
#include <QString>

#include <vector>

namespace opsdeck::widgets::chartdata {

// From (epoch ms, query units) to chart coordinates (axis ms, axis units).
struct Transform {
    double x0 = 0;      // axis x of the left edge
    double x1 = 0;      // axis x of the right edge
    double shift = 0;   // epoch ms -> axis ms
    double scale = 1;   // query units -> axis units
    int columns = 0;    // pixel columns of the plot (0: unknown, no decimation)
};

// Copies `in` transformed into `out`; when there are more than two points per pixel
// column, keeps each column's min and max points in time order (at most two per column;
// spikes survive, flat stretches cost nothing).
void decimate(const QList<QPointF> &in, const Transform &tf, QList<QPointF> &out);

// The instants of a range query's result: from + i * step. Points snap to the nearest.
struct Grid {
    qint64 base = 0;
    qint64 step = 1;
    std::size_t n = 0;
    std::size_t size() const { return n; }
    qint64 timeAt(std::size_t i) const { return base + qint64(i) * step; }
    // -1 when outside the grid
    std::ptrdiff_t indexOf(double epochMs) const;
    static Grid over(const QList<ChartSeries> &series, qint64 fromMs, qint64 toMs);
};

// top[i] = base[i] + the series' value at i (base[i] where it has none).
void stack(const QList<QPointF> &points, const Grid &grid, const std::vector<double> &base,
           std::vector<double> &top);
// Grid values (query units) to chart points, one per pixel column at most (the column's
// last value: stacked areas need one y per x).
void gridToPoints(const Grid &grid, const std::vector<double> &values, const Transform &tf,
                  QList<QPointF> &out);
// Drops the points of an already decimated polyline that lie within `tolerancePx` of
// the line through their neighbours as drawn (Ramer-Douglas-Peucker in pixel space:
// pxPerX / pxPerY turn chart units into pixels). Nobody sees the difference; Qt Charts,
// which strokes and rasterises every vertex on each refresh, does. Keeps the first and
// last point and every extreme that stands out by more than the tolerance.
void simplify(QList<QPointF> &points, double pxPerX, double pxPerY, double tolerancePx);
// Per grid instant, the worst value over all series (max when `above`, min otherwise;
// the stack's total when stacked); NaN where no series has a point.
void envelope(const QList<ChartSeries> &series, const Grid &grid, bool above, bool stacked,
              std::vector<double> &env);
// The shaded band between the threshold (axis units) and the envelope where it is on
// the bad side; zero-height elsewhere. Decimated to the worst value per pixel column.
void breachBand(const Grid &grid, const std::vector<double> &env, const Transform &tf,
                double threshold, bool above, QList<QPointF> &upper, QList<QPointF> &lower);

struct YRange {
    double lo = 0;
    double hi = 1;
    int ticks = 5;
    QString format; // printf format for QValueAxis labels, never exponent notation
};
// Axis range over [yMin, yMax] with headroom and round tick steps; starts at 0 for
// non-negative data unless the bad side is below (then the interesting part is the top);
// never beyond floor/ceiling.
YRange niceRange(double yMin, double yMax, double floor, double ceiling, bool badBelow);

} // namespace opsdeck::widgets::chartdata
