// MetricChart's overlay: alert/action markers on the time axis, the hover crosshair and
// the read-out (time, series values, nearby markers).
#include "metric_chart_p.h"

#include "widgets_tr.h"

#include <QDateTime>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace opsdeck::widgets {

int MetricChart::visibleMarkerCount() const
{
    return int(std::count_if(d->markers.begin(), d->markers.end(), [this](const ChartMarker &m) {
        return m.epochMs >= d->fromMs && m.epochMs <= d->toMs;
    }));
}

int MetricChart::xPixelFor(qint64 epochMs) const
{
    const QRectF plot = d->plotArea();
    if (epochMs < d->fromMs || epochMs > d->toMs || plot.width() <= 0)
        return -1;
    const double f = double(epochMs - d->fromMs) / double(d->toMs - d->fromMs);
    const QPoint inView = d->view->mapFromScene(QPointF(plot.left() + f * plot.width(), plot.top()));
    return d->view->mapTo(this, inView).x();
}

QString MetricChart::readoutAt(qint64 epochMs) const
{
    QStringList lines;
    lines << QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC).toString(QStringLiteral("HH:mm:ss 'UTC'"));
    struct Reading {
        QString name;
        double value;
    };
    std::vector<Reading> readings;
    for (const ChartSeries &s : d->raw) {
        const auto it = std::lower_bound(s.points.begin(), s.points.end(), double(epochMs),
                                         [](const QPointF &p, double x) { return p.x() < x; });
        const QPointF *best = nullptr;
        if (it != s.points.end())
            best = &*it;
        if (it != s.points.begin()) {
            const QPointF *prev = &*(it - 1);
            if (!best || std::abs(prev->x() - double(epochMs)) <= std::abs(best->x() - double(epochMs)))
                best = prev;
        }
        if (best)
            readings.push_back({s.name, best->y()});
    }
    std::stable_sort(readings.begin(), readings.end(),
                     [](const Reading &a, const Reading &b) { return a.value > b.value; });
    constexpr std::size_t kMaxLines = 10;
    for (std::size_t i = 0; i < readings.size() && i < kMaxLines; ++i)
        lines << (readings[i].name.isEmpty() ? d->formatter(readings[i].value)
                                             : readings[i].name + QStringLiteral(": ") +
                                                   d->formatter(readings[i].value));
    if (readings.size() > kMaxLines)
        //: Hover read-out, after the ten largest series
        lines << Tr::tr("… and %n more", nullptr, int(readings.size() - kMaxLines));
    // Markers within ~6 px of the instant.
    const double plotWidth = std::max(1.0, d->plotArea().width());
    const double tolerance = 6.0 * double(d->toMs - d->fromMs) / plotWidth;
    for (const ChartMarker &m : d->markers)
        if (std::abs(double(m.epochMs - epochMs)) <= tolerance)
            lines << m.glyph + QLatin1Char(' ') + m.tooltip;
    return lines.join(QLatin1Char('\n'));
}

void MetricChartView::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    const MetricChart::Impl &d = *m_owner->d;
    const QRectF plot = d.plotArea();
    if (plot.width() <= 0 || d.toMs <= d.fromMs)
        return;
    auto xFor = [&](qint64 ms) {
        return plot.left() + double(ms - d.fromMs) / double(d.toMs - d.fromMs) * plot.width();
    };
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, true);
    QFont glyphFont = m_owner->font();
    glyphFont.setPointSizeF(glyphFont.pointSizeF() * 0.85);
    glyphFont.setBold(true);
    painter->setFont(glyphFont);
    const QFontMetricsF fm(glyphFont);
    for (const ChartMarker &m : d.markers) {
        if (m.epochMs < d.fromMs || m.epochMs > d.toMs)
            continue;
        const double x = xFor(m.epochMs);
        QColor line = m.color;
        line.setAlphaF(0.7f);
        painter->setPen(QPen(line, 1.2, Qt::SolidLine));
        painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        painter->setPen(m.color);
        const double w = fm.horizontalAdvance(m.glyph);
        painter->drawText(QPointF(x - w / 2, plot.top() - 3), m.glyph);
    }
    if (hoverMs >= d.fromMs && hoverMs <= d.toMs) {
        QColor c = m_owner->palette().color(QPalette::WindowText);
        c.setAlphaF(0.5f);
        painter->setPen(QPen(c, 1, Qt::DashLine));
        const double x = xFor(hoverMs);
        painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }
    painter->restore();
}

void MetricChartView::mouseMoveEvent(QMouseEvent *event)
{
    QChartView::mouseMoveEvent(event);
    const MetricChart::Impl &d = *m_owner->d;
    const QPointF scenePos = mapToScene(event->position().toPoint());
    const QRectF plot = d.plotArea();
    if (!plot.contains(scenePos) || d.toMs <= d.fromMs) {
        if (hoverMs != -1) {
            hoverMs = -1;
            viewport()->update();
            QToolTip::hideText();
        }
        return;
    }
    const double f = (scenePos.x() - plot.left()) / plot.width();
    hoverMs = d.fromMs + qint64(f * double(d.toMs - d.fromMs));
    viewport()->update();
    QToolTip::showText(event->globalPosition().toPoint(), m_owner->readoutAt(hoverMs), this);
}

void MetricChartView::leaveEvent(QEvent *event)
{
    QChartView::leaveEvent(event);
    hoverMs = -1;
    viewport()->update();
}

} // namespace opsdeck::widgets
