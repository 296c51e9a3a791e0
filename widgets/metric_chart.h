#pragma once
// The one place that knows Qt Charts. Qt Charts is deprecated upstream from Qt 6.10 in
// favour of Qt Graphs; swapping the implementation behind this small interface is the
// whole migration. Callers hand in plain points; each refresh is one batched replace().
#include <QColor>
#include <QList>
#include <QPointF>
#include <QWidget>

#include <memory>

namespace opsdeck::widgets {

class MetricChart : public QWidget {
    Q_OBJECT
public:
    enum class BadSide { Above, Below };

    explicit MetricChart(QWidget *parent = nullptr);
    ~MetricChart() override;

    // The threshold as a dashed line; values past it on `badSide` are shaded in `color`.
    void setThreshold(double value, BadSide badSide, const QColor &color);
    void setLineColor(const QColor &color);
    // The y axis never goes past this (e.g. 100 for a percentage of successes).
    void setValueCeiling(double ceiling);
    // x: milliseconds since the epoch (shown as UTC clock time); y: display units.
    // The x axis spans [xFromMs, xToMs] whatever the points cover.
    void setPoints(const QList<QPointF> &points, qint64 xFromMs, qint64 xToMs);

    // For tests and tooltips: what the chart currently shows.
    int pointCount() const;
    bool hasThresholdLine() const;
    double thresholdValue() const;
    int breachPointCount() const; // points on the bad side of the threshold

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace opsdeck::widgets
