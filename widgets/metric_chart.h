#pragma once
// The one place that knows Qt Charts. Qt Charts is deprecated upstream from Qt 6.10 in
// favour of Qt Graphs; swapping the implementation behind this small interface is the
// whole migration. Callers hand in plain points (x: epoch ms, y: query units).
//
// Fast by construction: every refresh is one batched replace() per series, points are
// decimated to the plot's pixel width (min and max per column, so spikes survive), the
// buffers are reused between refreshes, and series objects are pooled, never recreated.
// Markers (alerts, actions) and the hover crosshair are painted over the chart, not
// added as chart items, so they cost nothing when the data changes.
#include <QColor>
#include <QList>
#include <QPointF>
#include <QWidget>

#include <functional>
#include <memory>

namespace opsdeck::widgets {

struct ChartSeries {
    QString name;
    QList<QPointF> points; // x: epoch ms, y: query units; time-ordered
};

// A thin vertical line on the time axis with a glyph on top and a tooltip.
struct ChartMarker {
    qint64 epochMs = 0;
    QColor color;
    QString glyph;   // one character: "▲" alert fired, "●" action, "⚡" fault
    QString tooltip; // "14:02:10 UTC  HighErrorRate fired (P1)"
};

class MetricChart : public QWidget {
    Q_OBJECT
public:
    enum class BadSide { Above, Below };

    explicit MetricChart(QWidget *parent = nullptr);
    ~MetricChart() override;

    // The threshold as a dashed line; values past it on `badSide` are shaded in `color`.
    void setThreshold(double value, BadSide badSide, const QColor &color);
    void clearThreshold();
    void setLineColor(const QColor &color); // single-series charts
    // The y axis never goes past this (e.g. 100 for a percentage of successes).
    void setValueCeiling(double ceiling);
    void setValueFloor(double floor);
    // Query units -> axis units (ratio -> %, bytes -> GiB), applied to points and threshold.
    void setDisplayScale(double scale);
    void setStacked(bool stacked);
    // Formats a value in query units for read-outs ("97.3 %").
    void setValueFormatter(std::function<QString(double)> formatter);

    // Single series (legacy tiles). The x axis spans [xFromMs, xToMs].
    void setPoints(const QList<QPointF> &points, qint64 xFromMs, qint64 xToMs);
    // Any number of series; the x axis spans [xFromMs, xToMs] whatever the points cover.
    void setSeries(const QList<ChartSeries> &series, qint64 xFromMs, qint64 xToMs);
    void setMarkers(const QList<ChartMarker> &markers);

    // For tests and read-outs: what the chart currently shows.
    int pointCount() const;   // points handed to Qt Charts, all series, after decimation
    int dataPointCount() const; // points received, all series, before decimation
    int seriesCount() const;
    bool hasThresholdLine() const;
    double thresholdValue() const; // in axis units
    int breachPointCount() const;  // points on the bad side of the threshold
    qint64 xFromMs() const;
    qint64 xToMs() const;
    int visibleMarkerCount() const;
    // The hover read-out at an instant: time, then "series: value" for the nearest
    // point of each series (largest first), then markers within a few pixels.
    QString readoutAt(qint64 epochMs) const;
    // Widget coordinates of an instant on the time axis (-1 when outside the plot).
    int xPixelFor(qint64 epochMs) const;
    // The colour of series i, as drawn (legend chips use it).
    static QColor seriesColor(int index);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    friend class MetricChartView;
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace opsdeck::widgets
