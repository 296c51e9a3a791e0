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
        pen.setWidthF(1.5);
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
    drawnPoints = 0;
    drawnSeries = int(raw.size());
    if (buffers.size() < std::size_t(raw.size()))
        buffers.resize(std::size_t(raw.size()));

    // Stacked: each series drawn on top of the ones before it (missing points count 0).
    chartdata::Grid grid;
    if (stacked)
        grid = chartdata::Grid::over(raw, fromMs, toMs);
    std::vector<double> base(stacked ? grid.size() : 0, 0.0);
    std::vector<double> top(stacked ? grid.size() : 0, 0.0);

    for (qsizetype i = 0; i < raw.size(); ++i) {
        QList<QPointF> &out = buffers[std::size_t(i)];
        if (!stacked) {
            chartdata::decimate(raw[i].points, tf, out);
            line(int(i), owner)->replace(out);
            lines[std::size_t(i)]->setVisible(true);
            for (const QPointF &p : out) {
                yMin = std::min(yMin, p.y());
                yMax = std::max(yMax, p.y());
            }
            drawnPoints += int(out.size());
            continue;
        }
        chartdata::stack(raw[i].points, grid, base, top);
        chartdata::gridToPoints(grid, top, tf, upperBuf);
        chartdata::gridToPoints(grid, base, tf, lowerBuf);
        QAreaSeries *a = area(int(i));
        a->upperSeries()->replace(upperBuf);
        a->lowerSeries()->replace(lowerBuf);
        a->setVisible(true);
        for (const QPointF &p : upperBuf)
            yMax = std::max(yMax, p.y());
        yMin = std::min(yMin, 0.0);
        drawnPoints += int(upperBuf.size());
        std::swap(base, top);
        std::copy(base.begin(), base.end(), top.begin());
    }
    // Pooled series beyond this result: emptied and hidden, kept for the next refresh.
    for (std::size_t i = stacked ? 0 : std::size_t(raw.size()); i < lines.size(); ++i) {
        if (lines[i]->count() > 0)
            lines[i]->clear();
        lines[i]->setVisible(false);
    }
    for (std::size_t i = stacked ? std::size_t(raw.size()) : 0; i < areas.size(); ++i) {
        areas[i]->upperSeries()->clear();
        areas[i]->lowerSeries()->clear();
        areas[i]->setVisible(false);
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
        breachUpper->replace(upperBuf);
        breachLower->replace(lowerBuf);
        threshold->replace({QPointF(x0, t), QPointF(x1, t)});
    } else {
        breachUpper->clear();
        breachLower->clear();
    }

    // Axis changes re-lay out the whole chart: only when something moved.
    const QDateTime axisFrom = QDateTime::fromMSecsSinceEpoch(qint64(x0));
    const QDateTime axisTo = QDateTime::fromMSecsSinceEpoch(qint64(x1));
    if (axisX->min() != axisFrom || axisX->max() != axisTo)
        axisX->setRange(axisFrom, axisTo);
    if (!std::isfinite(yMin) || !std::isfinite(yMax)) {
        yMin = 0;
        yMax = 1;
    }
    chartdata::YRange yr = chartdata::niceRange(yMin, yMax, floor, ceiling, badSide == BadSide::Below && hasThreshold);
    if (axisY->min() != yr.lo || axisY->max() != yr.hi)
        axisY->setRange(yr.lo, yr.hi);
    if (axisY->tickCount() != yr.ticks)
        axisY->setTickCount(yr.ticks);
    if (axisY->labelFormat() != yr.format)
        axisY->setLabelFormat(yr.format);
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
