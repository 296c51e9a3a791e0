#include "metric_chart.h"

#include "metric_chart_data.h"
#include "metric_chart_p.h"

#include <QDateTime>
#include <QPen>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace opsdeck::widgets {

namespace {
// QDateTimeAxis labels in local time; the console speaks UTC, so shift the x values by
// the local offset and the labels read as UTC wherever the console runs.
qint64 utcShiftMs(qint64 epochMs)
{
    return -qint64(QDateTime::fromMSecsSinceEpoch(epochMs).offsetFromUtc()) * 1000;
}

constexpr int kGlyphMargin = 16; // room above the plot for marker glyphs
constexpr int kSmoothPointLimit = 3000;
} // namespace

QColor MetricChart::seriesColor(int index)
{
    // Distinct hues that stay clear of the severity colours (red, amber) and of "ok" green.
    static const QColor palette[] = {
        QColor(0x57, 0x94, 0xF2), QColor(0xB8, 0x77, 0xD9), QColor(0x4F, 0xC3, 0xC7),
        QColor(0x96, 0xD9, 0x8D), QColor(0x8A, 0xB8, 0xFF), QColor(0xCA, 0x95, 0xE5),
        QColor(0x32, 0x74, 0xD9), QColor(0xA0, 0xA8, 0xC0), QColor(0x6E, 0xD0, 0xE0),
        QColor(0x8F, 0x3B, 0xB8), QColor(0xC0, 0xD8, 0xFF), QColor(0x5A, 0xA6, 0x9E)};
    constexpr int n = int(sizeof(palette) / sizeof(palette[0]));
    return palette[((index % n) + n) % n];
}

QLineSeries *MetricChart::Impl::line(int i, MetricChart *owner)
{
    while (int(lines.size()) <= i) {
        auto *s = new QLineSeries;
        attach(s);
        lines.push_back(s);
    }
    QLineSeries *s = lines[std::size_t(i)];
    QPen pen(i == 0 && singleLineColor.isValid() ? singleLineColor : seriesColor(i));
    // Wide pens go through the path stroker; one-pixel lines take the raster fast path,
    // and with many series thin lines also read better.
    pen.setWidthF(raw.size() > 3 ? 1.0 : 2.0);
    if (s->pen() != pen)
        s->setPen(pen);
    Q_UNUSED(owner);
    return s;
}

QAreaSeries *MetricChart::Impl::area(int i)
{
    while (int(areas.size()) <= i) {
        auto *upper = new QLineSeries(chart);
        auto *lower = new QLineSeries(chart);
        auto *a = new QAreaSeries(upper, lower);
        const QColor c = seriesColor(int(areas.size()));
        QColor fill = c;
        fill.setAlphaF(0.6f);
        a->setBrush(fill);
        QPen pen(c);
        pen.setWidthF(1.0); // one pixel: the rasteriser's fast path, not the path stroker
        a->setPen(pen);
        attach(a);
        areas.push_back(a);
    }
    return areas[std::size_t(i)];
}

MetricChart::MetricChart(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Impl>())
{
    d->chart = new QChart;
    d->chart->legend()->hide();
    d->chart->setBackgroundVisible(false);
    d->chart->setMargins(QMargins(2, kGlyphMargin, 6, 0));
    d->chart->setBackgroundRoundness(0);
    d->chart->setAnimationOptions(QChart::NoAnimation);

    const QColor text = palette().color(QPalette::WindowText);
    QColor grid = text;
    grid.setAlphaF(0.12f);
    QColor labels = text;
    labels.setAlphaF(0.75f);
    QFont axisFont = font();
    axisFont.setPointSizeF(axisFont.pointSizeF() * 0.9);

    d->axisX = new QDateTimeAxis;
    d->axisX->setFormat(QStringLiteral("HH:mm"));
    d->axisX->setTickCount(5);
    d->axisY = new QValueAxis;
    d->axisY->setTickCount(5);
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

    // Drawn first, so the lines sit on top of the breach shading.
    d->breachUpper = new QLineSeries(d->chart);
    d->breachLower = new QLineSeries(d->chart);
    d->breachArea = new QAreaSeries(d->breachUpper, d->breachLower);
    d->breachArea->setPen(Qt::NoPen);
    d->attach(d->breachArea);
    d->threshold = new QLineSeries;
    d->attach(d->threshold);

    d->view = new MetricChartView(d->chart, this);
    d->view->setRenderHint(QPainter::Antialiasing);
    d->view->setFrameShape(QFrame::NoFrame);
    d->view->setStyleSheet(QStringLiteral("background: transparent"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(d->view);
    d->formatter = [](double v) { return QString::number(v, 'g', 4); };
}

MetricChart::~MetricChart() = default;

void MetricChart::setLineColor(const QColor &color)
{
    d->singleLineColor = color;
}

void MetricChart::setValueCeiling(double ceiling)
{
    d->ceiling = ceiling;
}

void MetricChart::setValueFloor(double floor)
{
    d->floor = floor;
}

void MetricChart::setDisplayScale(double scale)
{
    d->scale = scale > 0 ? scale : 1;
}

void MetricChart::setStacked(bool stacked)
{
    d->stacked = stacked;
}

void MetricChart::setValueFormatter(std::function<QString(double)> formatter)
{
    if (formatter)
        d->formatter = std::move(formatter);
}

void MetricChart::setThreshold(double value, BadSide badSide, const QColor &color)
{
    d->hasThreshold = true;
    d->thresholdQuery = value;
    d->badSide = badSide;
    d->thresholdColor = color;
    QPen pen(color);
    pen.setStyle(Qt::DashLine);
    pen.setWidthF(1.5);
    d->threshold->setPen(pen);
    QColor fill = color;
    fill.setAlphaF(0.35f);
    d->breachArea->setBrush(fill);
}

void MetricChart::clearThreshold()
{
    d->hasThreshold = false;
    d->threshold->clear();
    d->breachUpper->clear();
    d->breachLower->clear();
}

void MetricChart::setPoints(const QList<QPointF> &points, qint64 xFromMs, qint64 xToMs)
{
    setSeries({ChartSeries{QString(), points}}, xFromMs, xToMs);
}

void MetricChart::setSeries(const QList<ChartSeries> &series, qint64 xFromMs, qint64 xToMs)
{
    d->raw = series; // implicitly shared: no copy of the points
    d->fromMs = xFromMs;
    d->toMs = std::max(xToMs, xFromMs + 1);
    d->rebuild(this);
}

void MetricChart::setMarkers(const QList<ChartMarker> &markers)
{
    d->markers = markers;
    d->view->viewport()->update();
}

void MetricChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // The plot area follows the view's size only once the chart re-laid itself out.
    d->chart->resize(d->view->size());
    if (!d->raw.isEmpty())
        d->rebuild(this);
}

void MetricChart::Impl::rebuild(MetricChart *owner)
{
    const qint64 shift = utcShiftMs(toMs);
    const double x0 = double(fromMs + shift);
    const double x1 = double(toMs + shift);
    // Many series: one column per two pixels, or the chart draws more segments than
    // anyone can tell apart.
    const int cols = raw.size() > 4 ? columns() / 2 : columns();
    chartdata::Transform tf{x0, x1, double(shift), scale, cols};

    double yMin = hasThreshold ? thresholdQuery * scale : qInf();
    double yMax = hasThreshold ? thresholdQuery * scale : -qInf();
    const auto extent = [&yMin, &yMax](const QList<QPointF> &points) {
        for (const QPointF &p : points) {
            yMin = std::min(yMin, p.y());
            yMax = std::max(yMax, p.y());
        }
    };
    const std::size_t n = std::size_t(raw.size());
    drawnSeries = int(n);
    // Lines: buffers[i] is series i. Stacked: buffers[i + 1] is the top of layer i and
    // buffers[i] its bottom (the layer below's top), so neighbours share one edge.
    if (buffers.size() < n + 1)
        buffers.resize(n + 1);

    // 1. The data in chart coordinates, decimated to pixel columns, and its extent.
    if (!stacked) {
        for (std::size_t i = 0; i < n; ++i) {
            chartdata::decimate(raw[qsizetype(i)].points, tf, buffers[i]);
            extent(buffers[i]);
        }
    } else {
        // Each series drawn on top of the ones before it (missing points count 0).
        const chartdata::Grid grid = chartdata::Grid::over(raw, fromMs, toMs);
        std::vector<double> base(grid.size(), 0.0);
        std::vector<double> top(grid.size(), 0.0);
        chartdata::gridToPoints(grid, base, tf, buffers[0]);
        for (std::size_t i = 0; i < n; ++i) {
            chartdata::stack(raw[qsizetype(i)].points, grid, base, top);
            chartdata::gridToPoints(grid, top, tf, buffers[i + 1]);
            extent(buffers[i + 1]);
            std::swap(base, top);
        }
        if (n > 0)
            yMin = std::min(yMin, 0.0);
    }
    if (!std::isfinite(yMin) || !std::isfinite(yMax)) {
        yMin = 0;
        yMax = 1;
    }
    const chartdata::YRange yr =
        chartdata::niceRange(yMin, yMax, floor, ceiling, badSide == BadSide::Below && hasThreshold);

    // 2. Vertices closer than a third of a pixel to the line through their neighbours go:
    // Qt Charts strokes every vertex (for hit testing) and rasterises every segment.
    const QRectF plot = plotArea();
    const auto simplify = [&](QList<QPointF> &points) {
        if (plot.width() > 10 && plot.height() > 10)
            chartdata::simplify(points, plot.width() / (x1 - x0), plot.height() / (yr.hi - yr.lo), 0.33);
    };
    drawnPoints = 0;
    for (std::size_t i = 0; i < (stacked ? n + 1 : n); ++i) {
        simplify(buffers[i]);
        if (!stacked || i > 0)
            drawnPoints += int(buffers[i].size());
    }

    // The breach band: the worst series' envelope, clamped to the bad side.
    breachPoints = 0;
    if (hasThreshold) {
        const double t = thresholdQuery * scale;
        const bool above = badSide == BadSide::Above;
        chartdata::Grid envGrid = chartdata::Grid::over(raw, fromMs, toMs);
        std::vector<double> env;
        chartdata::envelope(raw, envGrid, above, stacked, env);
        for (double v : env)
            if (!std::isnan(v) && (above ? v * scale > t : v * scale < t))
                ++breachPoints;
        chartdata::breachBand(envGrid, env, tf, t, above, upperBuf, lowerBuf);
        simplify(upperBuf);
        simplify(lowerBuf);
    }

    // 3. Old points out first: an axis change lays out every series again, and it should
    // find them empty rather than redo the stale geometry once before the new one.
    const auto empty = [](QXYSeries *s) {
        if (s->count() > 0)
            s->clear();
    };
    for (QLineSeries *l : lines)
        empty(l);
    for (QAreaSeries *a : areas) {
        empty(a->upperSeries());
        empty(a->lowerSeries());
    }
    empty(breachUpper);
    empty(breachLower);
    empty(threshold);

    // Axis changes re-lay out the whole chart: only when something moved.
    const QDateTime axisFrom = QDateTime::fromMSecsSinceEpoch(qint64(x0));
    const QDateTime axisTo = QDateTime::fromMSecsSinceEpoch(qint64(x1));
    if (axisX->min() != axisFrom || axisX->max() != axisTo)
        axisX->setRange(axisFrom, axisTo);
    if (axisY->min() != yr.lo || axisY->max() != yr.hi)
        axisY->setRange(yr.lo, yr.hi);
    if (axisY->tickCount() != yr.ticks)
        axisY->setTickCount(yr.ticks);
    if (axisY->labelFormat() != yr.format)
        axisY->setLabelFormat(yr.format);

    // 4. The new points: one layout per series.
    for (std::size_t i = 0; i < n; ++i) {
        if (!stacked) {
            line(int(i), owner)->replace(buffers[i]);
            lines[i]->setVisible(true);
            continue;
        }
        QAreaSeries *a = area(int(i));
        a->upperSeries()->replace(buffers[i + 1]);
        a->lowerSeries()->replace(buffers[i]);
        a->setVisible(true);
    }
    // Pooled series beyond this result: empty and hidden, kept for the next refresh.
    for (std::size_t i = stacked ? 0 : n; i < lines.size(); ++i)
        lines[i]->setVisible(false);
    for (std::size_t i = stacked ? n : 0; i < areas.size(); ++i)
        areas[i]->setVisible(false);
    if (hasThreshold) {
        const double t = thresholdQuery * scale;
        breachUpper->replace(upperBuf);
        breachLower->replace(lowerBuf);
        threshold->replace({QPointF(x0, t), QPointF(x1, t)});
    }

    // Antialiased polylines cost ~5x more to rasterise; past a few thousand segments the
    // lines are dense enough that nobody sees the difference, but the frame time does.
    const bool smooth = drawnPoints <= (stacked ? kSmoothPointLimit / 3 : kSmoothPointLimit);
    if (view->renderHints().testFlag(QPainter::Antialiasing) != smooth)
        view->setRenderHint(QPainter::Antialiasing, smooth);
    view->viewport()->update();
}

int MetricChart::pointCount() const
{
    return d->drawnPoints;
}

int MetricChart::dataPointCount() const
{
    int n = 0;
    for (const ChartSeries &s : d->raw)
        n += int(s.points.size());
    return n;
}

int MetricChart::seriesCount() const
{
    return d->drawnSeries;
}

bool MetricChart::hasThresholdLine() const
{
    return d->hasThreshold && d->threshold->count() == 2;
}

double MetricChart::thresholdValue() const
{
    return d->thresholdQuery * d->scale;
}

int MetricChart::breachPointCount() const
{
    return d->breachPoints;
}

qint64 MetricChart::xFromMs() const
{
    return d->fromMs;
}

qint64 MetricChart::xToMs() const
{
    return d->toMs;
}

} // namespace opsdeck::widgets
