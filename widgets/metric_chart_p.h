#pragma once
// MetricChart's insides, shared by metric_chart.cpp (data, axes) and
// metric_chart_view.cpp (markers, crosshair, read-outs). Not for other files.
#include "metric_chart.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>

#include <functional>
#include <vector>

namespace opsdeck::widgets {

// The chart view paints markers and the hover crosshair over the plot and turns mouse
// moves into read-outs.
class MetricChartView : public QChartView {
public:
    MetricChartView(QChart *chart, MetricChart *owner)
        : QChartView(chart, owner)
        , m_owner(owner)
    {
        setMouseTracking(true);
    }

    qint64 hoverMs = -1;

protected:
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    MetricChart *m_owner;
};

struct MetricChart::Impl {
    QChart *chart = nullptr;
    MetricChartView *view = nullptr;
    std::vector<QLineSeries *> lines;      // pooled, non-stacked
    std::vector<QAreaSeries *> areas;      // pooled, stacked (upper/lower line series)
    QLineSeries *threshold = nullptr;
    QLineSeries *breachUpper = nullptr;
    QLineSeries *breachLower = nullptr;
    QAreaSeries *breachArea = nullptr;
    QDateTimeAxis *axisX = nullptr;
    QValueAxis *axisY = nullptr;

    QList<ChartSeries> raw;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    QList<ChartMarker> markers;

    bool hasThreshold = false;
    double thresholdQuery = 0; // query units
    BadSide badSide = BadSide::Above;
    QColor thresholdColor;
    double ceiling = qInf();   // axis units
    double floor = -qInf();    // axis units
    double scale = 1;
    bool stacked = false;
    QColor singleLineColor;
    std::function<QString(double)> formatter;

    int drawnPoints = 0;
    int drawnSeries = 0;
    int breachPoints = 0;
    std::vector<QList<QPointF>> buffers; // reused: no per-refresh growth after warm-up
    QList<QPointF> upperBuf, lowerBuf;

    QRectF plotArea() const { return chart->plotArea(); }
    int columns() const
    {
        // Not on screen or not laid out: nothing is drawn, so keep every point (a
        // resize when shown decimates).
        const int w = int(plotArea().width());
        return view->isVisible() && w > 10 ? w : 0;
    }
    QLineSeries *line(int i, MetricChart *owner);
    QAreaSeries *area(int i);
    void attach(QAbstractSeries *s)
    {
        chart->addSeries(s);
        s->attachAxis(axisX);
        s->attachAxis(axisY);
    }
    void rebuild(MetricChart *owner);
};

} // namespace opsdeck::widgets
