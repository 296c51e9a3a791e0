#include "metric_chart.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace opsdeck::widgets {

struct MetricChart::Impl {
    QChart *chart = nullptr;
    QChartView *view = nullptr;
    QLineSeries *values = nullptr;
    QLineSeries *threshold = nullptr;
    // Shading between the threshold and the values where they are on the bad side.
    QLineSeries *breachUpper = nullptr;
    QLineSeries *breachLower = nullptr;
    QAreaSeries *breachArea = nullptr;
    QDateTimeAxis *axisX = nullptr;
    QValueAxis *axisY = nullptr;
    bool hasThreshold = false;
    double ceiling = qInf();
    double thresholdValue = 0;
    BadSide badSide = BadSide::Above;
    int breachPoints = 0;

    bool isBad(double y) const
    {
        return hasThreshold && (badSide == BadSide::Above ? y > thresholdValue : y < thresholdValue);
    }
};

namespace {
// QDateTimeAxis labels in local time; the console speaks UTC, so shift the x values by
// the local offset and the labels read as UTC wherever the console runs.
qint64 toAxisMs(qint64 epochMs)
{
    return epochMs - qint64(QDateTime::fromMSecsSinceEpoch(epochMs).offsetFromUtc()) * 1000;
}
} // namespace

MetricChart::MetricChart(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Impl>())
{
    d->chart = new QChart;
    d->chart->legend()->hide();
    d->chart->setBackgroundVisible(false);
    d->chart->setMargins(QMargins(0, 0, 0, 0));
    d->chart->setBackgroundRoundness(0);
    d->chart->setAnimationOptions(QChart::NoAnimation);

    d->breachUpper = new QLineSeries(d->chart);
    d->breachLower = new QLineSeries(d->chart);
    d->breachArea = new QAreaSeries(d->breachUpper, d->breachLower);
    d->breachArea->setPen(Qt::NoPen);
    d->values = new QLineSeries;
    d->threshold = new QLineSeries;
    d->chart->addSeries(d->breachArea);
    d->chart->addSeries(d->values);
    d->chart->addSeries(d->threshold);

    const QColor text = palette().color(QPalette::WindowText);
    QColor grid = text;
    grid.setAlphaF(0.12f);
    QColor labels = text;
    labels.setAlphaF(0.7f);
    QFont axisFont = font();
    axisFont.setPointSizeF(axisFont.pointSizeF() * 0.85);

    d->axisX = new QDateTimeAxis;
    d->axisX->setFormat(QStringLiteral("HH:mm"));
    d->axisX->setTickCount(5);
    d->axisY = new QValueAxis;
    d->axisY->setTickCount(4);
    d->axisY->setLabelFormat(QStringLiteral("%.4g"));
    for (QAbstractAxis *axis : {static_cast<QAbstractAxis *>(d->axisX),
                                static_cast<QAbstractAxis *>(d->axisY)}) {
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
        axis->setLabelsColor(labels);
        axis->setLabelsFont(axisFont);
    }
    d->chart->addAxis(d->axisX, Qt::AlignBottom);
    d->chart->addAxis(d->axisY, Qt::AlignLeft);
    for (QAbstractSeries *s : {static_cast<QAbstractSeries *>(d->breachArea),
                               static_cast<QAbstractSeries *>(d->values),
                               static_cast<QAbstractSeries *>(d->threshold)}) {
        s->attachAxis(d->axisX);
        s->attachAxis(d->axisY);
    }

    d->view = new QChartView(d->chart, this);
    d->view->setRenderHint(QPainter::Antialiasing);
    d->view->setFrameShape(QFrame::NoFrame);
    d->view->setStyleSheet(QStringLiteral("background: transparent"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(d->view);
    setLineColor(palette().color(QPalette::Highlight));
}

MetricChart::~MetricChart() = default;

void MetricChart::setLineColor(const QColor &color)
{
    QPen pen(color);
    pen.setWidthF(2.0);
    d->values->setPen(pen);
}

void MetricChart::setValueCeiling(double ceiling)
{
    d->ceiling = ceiling;
}

void MetricChart::setThreshold(double value, BadSide badSide, const QColor &color)
{
    d->hasThreshold = true;
    d->thresholdValue = value;
    d->badSide = badSide;
    QPen pen(color);
    pen.setStyle(Qt::DashLine);
    pen.setWidthF(1.5);
    d->threshold->setPen(pen);
    QColor fill = color;
    fill.setAlphaF(0.35f);
    d->breachArea->setBrush(fill);
}

void MetricChart::setPoints(const QList<QPointF> &points, qint64 xFromMs, qint64 xToMs)
{
    QList<QPointF> shifted;
    shifted.reserve(points.size());
    double yMin = d->hasThreshold ? d->thresholdValue : 0;
    double yMax = d->hasThreshold ? d->thresholdValue : 1;
    for (const QPointF &p : points) {
        if (std::isnan(p.y()))
            continue;
        shifted.append(QPointF(double(toAxisMs(qint64(p.x()))), p.y()));
        yMin = std::min(yMin, p.y());
        yMax = std::max(yMax, p.y());
    }
    d->values->replace(shifted);

    // The breach band: the values clamped to the bad side, against the threshold.
    QList<QPointF> upper, lower;
    d->breachPoints = 0;
    if (d->hasThreshold) {
        upper.reserve(shifted.size());
        lower.reserve(shifted.size());
        for (const QPointF &p : shifted) {
            const double t = d->thresholdValue;
            if (d->isBad(p.y()))
                ++d->breachPoints;
            if (d->badSide == BadSide::Above) {
                upper.append(QPointF(p.x(), std::max(p.y(), t)));
                lower.append(QPointF(p.x(), t));
            } else {
                upper.append(QPointF(p.x(), t));
                lower.append(QPointF(p.x(), std::min(p.y(), t)));
            }
        }
        const double x0 = double(toAxisMs(xFromMs));
        const double x1 = double(toAxisMs(xToMs));
        d->threshold->replace({QPointF(x0, d->thresholdValue), QPointF(x1, d->thresholdValue)});
    }
    d->breachUpper->replace(upper);
    d->breachLower->replace(lower);

    d->axisX->setRange(QDateTime::fromMSecsSinceEpoch(toAxisMs(xFromMs)),
                       QDateTime::fromMSecsSinceEpoch(toAxisMs(xToMs)));
    // Headroom so the line never sits on the frame; "above" metrics start at zero.
    const double span = std::max(yMax - yMin, std::abs(yMax) * 0.05 + 1e-9);
    const double lo = d->badSide == BadSide::Above ? 0 : yMin - span * 0.15;
    const double hi = std::min(yMax + span * 0.15, d->ceiling);
    d->axisY->setRange(lo, hi);
    d->axisY->applyNiceNumbers();
    if (d->axisY->max() > d->ceiling)
        d->axisY->setMax(d->ceiling);
    // Plain numbers, never "1.5e+04": as many decimals as the tick spacing needs.
    const double tick = (d->axisY->max() - d->axisY->min()) / std::max(1, d->axisY->tickCount() - 1);
    d->axisY->setLabelFormat(tick >= 1 ? QStringLiteral("%.0f")
                             : tick >= 0.1 ? QStringLiteral("%.1f")
                                           : QStringLiteral("%.2f"));
}

int MetricChart::pointCount() const
{
    return int(d->values->count());
}

bool MetricChart::hasThresholdLine() const
{
    return d->hasThreshold && d->threshold->count() == 2;
}

double MetricChart::thresholdValue() const
{
    return d->thresholdValue;
}

int MetricChart::breachPointCount() const
{
    return d->breachPoints;
}

} // namespace opsdeck::widgets
