// Painting the service map: region strip, edges sized by traffic, and node faces. All in
// canvas units (the view scales the painter), so sizes here are the design sizes.
#include "map_layout.h"
#include "map_palette.h"
#include "widgets_tr.h"

#include <QLocale>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace opsdeck::widgets::map {

namespace {

QFont font(double pixels, bool bold = false, double spacing = 0)
{
    QFont f;
    f.setPixelSize(int(pixels));
    f.setBold(bold);
    if (spacing > 0)
        f.setLetterSpacing(QFont::AbsoluteSpacing, spacing);
    return f;
}

// The largest bold font from maxPx down to minPx in which text fits width.
QFont fittingFont(const QString &text, double width, double maxPx, double minPx)
{
    // Text width grows in proportion to the pixel size: one measurement is enough.
    const double at = QFontMetricsF(font(maxPx, true)).horizontalAdvance(text);
    if (at <= width || at <= 0)
        return font(maxPx, true);
    return font(std::max(minPx, std::floor(maxPx * width / at)), true);
}

QColor mutedOn(const QPalette &palette, double alpha = 0.62)
{
    QColor c = palette.color(QPalette::WindowText);
    c.setAlphaF(float(alpha));
    return c;
}

QColor panelOf(const QPalette &palette)
{
    const QColor window = palette.color(QPalette::Window);
    return window.lightness() < 128 ? window.lighter(135) : window.lighter(104);
}

// Edge width from traffic: 1.5 (idle) to 9 canvas px, logarithmic, so a 10x surge shows.
double edgeWidth(double perSec)
{
    return std::clamp(1.5 + std::log10(1 + perSec) * 2.0, 1.5, 9.0);
}

void drawBadge(QPainter &p, const QRectF &r, const QString &text, Health health)
{
    p.setPen(Qt::NoPen);
    p.setBrush(healthColor(health));
    p.drawRoundedRect(r, r.height() / 2, r.height() / 2);
    p.setPen(healthTextColor(health));
    p.setFont(font(r.height() * 0.56, true));
    p.drawText(r, Qt::AlignCenter, text);
}

void drawArrowHead(QPainter &p, QPointF tip, double size, const QColor &color)
{
    QPainterPath head;
    head.moveTo(tip);
    head.lineTo(tip + QPointF(-size, -size * 0.6));
    head.lineTo(tip + QPointF(-size, size * 0.6));
    head.closeSubpath();
    p.fillPath(head, color);
}

void paintRegionCard(QPainter &p, const QRectF &r, const MapRegion &region, const QPalette &pal)
{
    const bool dark = !region.healthy;
    const bool serving = region.trafficWeight > 0;
    Health h = dark ? (serving ? Health::P1 : Health::Dark) : (serving ? Health::Ok : Health::Standby);
    const QColor panel = panelOf(pal);
    p.setPen(QPen(serving && !dark ? healthColor(h) : mutedOn(pal, 0.35), serving ? 2.5 : 1.5));
    p.setBrush(dark ? nodeFill(Health::Dark, panel) : nodeFill(h, panel));
    p.drawRoundedRect(r, 10, 10);
    if (dark) { // unreachable: hatched, so it reads as "gone" even in greyscale
        p.save();
        p.setClipRect(r.adjusted(2, 2, -2, -2));
        p.setPen(QPen(mutedOn(pal, 0.18), 2));
        for (double x = r.left() - r.height(); x < r.right(); x += 14)
            p.drawLine(QPointF(x, r.bottom()), QPointF(x + r.height(), r.top()));
        p.restore();
    }
    p.fillRect(QRectF(r.left(), r.top() + 8, 8, r.height() - 16), healthColor(h));

    const QRectF text = r.adjusted(22, 8, -12, -8);
    p.setPen(dark ? mutedOn(pal, 0.75) : pal.color(QPalette::WindowText));
    p.setFont(font(22, true));
    p.drawText(text, Qt::AlignLeft | Qt::AlignTop, region.name);
    const QString role = region.primary ? Tr::tr("primary") : Tr::tr("secondary");
    //: Service map region card: "primary · 100 % of traffic"
    const QString share = Tr::tr("%1 · %2 of traffic").arg(role, formatRatio(region.trafficWeight));
    p.setPen(mutedOn(pal, 0.75));
    p.setFont(font(15));
    p.drawText(text, Qt::AlignLeft | Qt::AlignBottom, share);

    //: Service map region card badges
    const QString badge = dark ? (serving ? Tr::tr("DARK · STILL ROUTED") : Tr::tr("DARK"))
                               : (serving ? (region.active ? Tr::tr("TAKING TRAFFIC") : Tr::tr("SERVING"))
                                          : Tr::tr("STANDBY"));
    p.setFont(font(16, true));
    const double bw = QFontMetricsF(p.font()).horizontalAdvance(badge) + 28;
    const double room = text.width() - QFontMetricsF(font(22, true)).horizontalAdvance(region.name) - 12;
    if (bw <= room)
        drawBadge(p, QRectF(text.right() - bw, r.center().y() - 15, bw, 30), badge, h);
}

void paintClusterAlertsCard(QPainter &p, const QRectF &r, const MapState &state, const QPalette &pal)
{
    Health h = Health::Notice;
    for (const NodeAlert &a : state.clusterAlerts)
        h = std::max(h, a.severity == QLatin1String("P1") ? Health::P1
                        : a.severity == QLatin1String("P2") ? Health::P2 : Health::Notice);
    p.setPen(QPen(healthColor(h), 2.5));
    p.setBrush(nodeFill(h, panelOf(pal)));
    p.drawRoundedRect(r, 10, 10);
    const QRectF text = r.adjusted(16, 8, -12, -8);
    p.setPen(pal.color(QPalette::WindowText));
    p.setFont(font(18, true));
    p.drawText(text, Qt::AlignLeft | Qt::AlignTop, Tr::tr("Cluster-wide alerts: %1").arg(state.clusterAlerts.size()));
    p.setPen(mutedOn(pal, 0.75));
    p.setFont(font(14));
    QStringList names;
    for (const NodeAlert &a : state.clusterAlerts)
        names << a.name;
    p.drawText(text, Qt::AlignLeft | Qt::AlignBottom,
               QFontMetricsF(p.font()).elidedText(names.join(QStringLiteral(", ")), Qt::ElideRight, text.width()));
}

void paintEdges(QPainter &p, const MapState &state, const MapLayout &L, const QPalette &pal)
{
    const QColor idle = mutedOn(pal, 0.45);
    auto pen = [&](const QColor &c, double perSec) {
        QPen pen(c, edgeWidth(perSec), perSec > 0 ? Qt::SolidLine : Qt::DashLine, Qt::FlatCap, Qt::MiterJoin);
        return pen;
    };
    // Clients into the load balancer, then the request path node to node.
    if (!L.chainRows.empty()) {
        const MapNode &entry = state.nodes[std::size_t(L.chainRows.front())];
        const QRectF r = L.nodes[std::size_t(L.chainRows.front())];
        const QColor c = edgeColor(entry.health, idle);
        p.setPen(pen(c, entry.requestsPerSec));
        const QPointF tip(r.left() - 1, r.center().y());
        p.drawLine(QPointF(4, tip.y()), tip - QPointF(10, 0));
        drawArrowHead(p, tip, 12, c);
    }
    for (std::size_t i = 1; i < L.chainRows.size(); ++i) {
        const MapNode &to = state.nodes[std::size_t(L.chainRows[i])];
        const QRectF a = L.nodes[std::size_t(L.chainRows[i - 1])];
        const QRectF b = L.nodes[std::size_t(L.chainRows[i])];
        const QColor c = edgeColor(to.health, idle);
        p.setPen(pen(c, to.requestsPerSec));
        const QPointF from(a.right(), a.center().y()), tip(b.left() - 1, b.center().y());
        p.drawLine(from, tip - QPointF(10, 0));
        drawArrowHead(p, tip, 12, c);
    }
    if (L.hubRow < 0)
        return;
    // Fan-out: hub -> bus -> one spine per column -> a stub into each dependency.
    const QRectF hub = L.nodes[std::size_t(L.hubRow)];
    double total = 0;
    std::vector<double> columnTraffic;
    for (const auto &rows : L.columns) {
        double t = 0;
        for (int row : rows)
            t += state.nodes[std::size_t(row)].requestsPerSec;
        columnTraffic.push_back(t);
        total += t;
    }
    p.setPen(pen(idle, total));
    const double hubX = hub.center().x();
    p.drawLine(QPointF(hubX, hub.bottom()), QPointF(hubX, L.busY));
    double leftmost = hubX, rightmost = hubX;
    for (std::size_t c = 0; c < L.columns.size(); ++c)
        if (!L.columns[c].empty()) {
            leftmost = std::min(leftmost, L.spineX[c]);
            rightmost = std::max(rightmost, L.spineX[c]);
        }
    p.drawLine(QPointF(leftmost, L.busY), QPointF(rightmost, L.busY));
    for (std::size_t c = 0; c < L.columns.size(); ++c) {
        const auto &rows = L.columns[c];
        if (rows.empty())
            continue;
        const double x = L.spineX[c];
        const double lastY = L.nodes[std::size_t(rows.back())].center().y();
        p.setPen(pen(idle, columnTraffic[c]));
        p.drawLine(QPointF(x, L.busY), QPointF(x, lastY));
        for (int row : rows) {
            const MapNode &n = state.nodes[std::size_t(row)];
            const QRectF r = L.nodes[std::size_t(row)];
            const QColor col = edgeColor(n.health, idle);
            p.setPen(pen(col, n.requestsPerSec));
            const QPointF tip(r.left() - 1, r.center().y());
            p.drawLine(QPointF(x, tip.y()), tip - QPointF(8, 0));
            drawArrowHead(p, tip, 10, col);
        }
    }
}

void paintMetric(QPainter &p, const QRectF &cell, const QString &caption, const QString &value,
                 const QColor &valueColor, const QPalette &pal)
{
    p.setPen(mutedOn(pal, 0.7));
    p.setFont(font(13, true, 0.8));
    p.drawText(cell, Qt::AlignLeft | Qt::AlignTop, caption);
    // Big clusters have big numbers: shrink to fit the cell rather than overlap the next.
    const double room = cell.width() - 10;
    p.setPen(valueColor);
    p.setFont(fittingFont(value, room, 26, 16));
    p.drawText(cell, Qt::AlignLeft | Qt::AlignBottom,
               QFontMetricsF(p.font()).elidedText(value, Qt::ElideRight, room));
}

void paintNode(QPainter &p, const MapNode &n, const QRectF &r, const PaintOptions &o)
{
    const QPalette &pal = o.palette;
    const QColor text = pal.color(QPalette::WindowText);
    const QColor strong = healthColor(n.health);

    p.setPen(QPen(n.health == Health::Ok ? mutedOn(pal, 0.35) : strong, n.health == Health::Ok ? 1.5 : 3));
    p.setBrush(nodeFill(n.health, panelOf(pal)));
    p.drawRoundedRect(r, 12, 12);
    p.fillRect(QRectF(r.left() + 1, r.top() + 10, 10, r.height() - 20), strong);

    const QRectF inner = r.adjusted(26, 10, -16, -10);
    // Group caption and title; status badge at the right.
    p.setPen(mutedOn(pal, 0.7));
    p.setFont(font(13, true, 1.2));
    p.drawText(inner, Qt::AlignLeft | Qt::AlignTop, n.group);
    QString badge = healthLabel(n.health);
    if (n.health == Health::P1 && n.desired > 0 && n.ready == 0)
        badge = Tr::tr("DOWN");
    if (!n.alerts.empty())
        //: Service map badge: state and number of firing alerts, e.g. "P1 · 2 alerts"
        badge = n.alerts.size() == 1 ? Tr::tr("%1 · 1 alert").arg(badge)
                                     : Tr::tr("%1 · %2 alerts").arg(badge).arg(n.alerts.size());
    p.setFont(font(17, true));
    const double bw = QFontMetricsF(p.font()).horizontalAdvance(badge) + 30;
    drawBadge(p, QRectF(inner.right() - bw, inner.top(), bw, 32), badge, n.health);

    // The title shrinks (down to 20 px) before it is elided: names matter more than style.
    p.setPen(text);
    const QRectF titleRect(inner.left(), inner.top() + 16, inner.width() - bw - 8, 36);
    p.setFont(fittingFont(n.title, titleRect.width(), 27, 20));
    p.drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetricsF(p.font()).elidedText(n.title, Qt::ElideRight, titleRect.width()));

    // Golden signals, big.
    const double metricsTop = inner.top() + 58;
    // Replica counts are the widest figures ("1020/1020"), error ratios the narrowest.
    const double w0 = inner.width() * 0.28, w1 = inner.width() * 0.25, w2 = inner.width() * 0.22;
    const double x1 = inner.left() + w0, x2 = x1 + w1, x3 = x2 + w2;
    const double w3 = inner.right() - x3;
    const QColor warn = healthColor(Health::P2), bad = healthColor(Health::P1);
    const QColor readyColor = n.desired > 0 && n.ready == 0 ? bad : n.ready < n.desired ? warn : text;
    const QColor errColor = n.errorRatio > 0.05 ? bad : n.errorRatio > 0.01 ? warn : text;
    //: Service map node: metric captions (small caps above the values)
    paintMetric(p, QRectF(inner.left(), metricsTop, w0, 50), Tr::tr("READY"),
                QStringLiteral("%1/%2").arg(n.ready).arg(n.desired), readyColor, pal);
    paintMetric(p, QRectF(x1, metricsTop, w1, 50), Tr::tr("REQUESTS"),
                formatRate(n.requestsPerSec), text, pal);
    // Without traffic there is nothing to measure: a dash, not a stale figure.
    const bool idle = n.requestsPerSec <= 0;
    const QString none = QStringLiteral("—");
    paintMetric(p, QRectF(x2, metricsTop, w2, 50), Tr::tr("ERRORS"),
                idle ? none : formatRatio(n.errorRatio), errColor, pal);
    paintMetric(p, QRectF(x3, metricsTop, w3, 50), Tr::tr("P99"),
                idle ? none : formatSeconds(n.latencyP99Sec), text, pal);

    // Region cells along the bottom: filled = serving, outlined = standby, grey = dark.
    const double cellsTop = inner.bottom() - 22;
    const std::size_t count = std::max<std::size_t>(1, n.regions.size());
    const double gap = 6;
    const double rw = (inner.width() - double(count - 1) * gap) / double(count);
    for (std::size_t i = 0; i < n.regions.size(); ++i) {
        const RegionCell &c = n.regions[i];
        const QRectF cr(inner.left() + double(i) * (rw + gap), cellsTop, rw, 22);
        const Health h = c.health;
        if (h == Health::Standby) {
            p.setPen(QPen(mutedOn(pal, 0.5), 1.2));
            p.setBrush(Qt::NoBrush);
        } else {
            p.setPen(Qt::NoPen);
            p.setBrush(healthColor(h));
        }
        p.drawRoundedRect(cr, 5, 5);
        p.setPen(h == Health::Standby ? mutedOn(pal, 0.8) : healthTextColor(h));
        //: Service map node: one region's replicas, "us-east-1  10/10"
        const QString label = h == Health::Dark ? Tr::tr("%1  dark").arg(c.region)
                                                : QStringLiteral("%1  %2/%3").arg(c.region).arg(c.ready).arg(c.desired);
        p.setFont(fittingFont(label, cr.width() - 10, 14, 10));
        p.drawText(cr.adjusted(5, 0, -5, 0), Qt::AlignCenter,
                   QFontMetricsF(p.font()).elidedText(label, Qt::ElideRight, cr.width() - 10));
    }

    // Why it is not green: the worst reason, between the figures and the regions.
    if (!n.reasons.isEmpty()) {
        p.setPen(n.health >= Health::P2 ? text : mutedOn(pal, 0.85));
        p.setFont(font(15, n.health >= Health::P2));
        const QRectF reason(inner.left(), metricsTop + 54, inner.width(), cellsTop - metricsTop - 58);
        QString line = n.reasons.first();
        if (n.reasons.size() > 1)
            line += Tr::tr("  (+%1 more)").arg(n.reasons.size() - 1);
        p.drawText(reason, Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetricsF(p.font()).elidedText(line, Qt::ElideRight, reason.width()));
    }
}

// The compact face: title, state, and three figures big enough to read in a side dock;
// everything else is in the tooltip.
void paintCompactNode(QPainter &p, const MapNode &n, const QRectF &r, const PaintOptions &o)
{
    const QPalette &pal = o.palette;
    const QColor text = pal.color(QPalette::WindowText);
    const QColor strong = healthColor(n.health);
    p.setPen(QPen(n.health == Health::Ok ? mutedOn(pal, 0.35) : strong, n.health == Health::Ok ? 1.5 : 3));
    p.setBrush(nodeFill(n.health, panelOf(pal)));
    p.drawRoundedRect(r, 10, 10);
    p.fillRect(QRectF(r.left() + 1, r.top() + 8, 10, r.height() - 16), strong);
    const QRectF inner = r.adjusted(22, 8, -12, -8);

    QString badge = healthLabel(n.health);
    if (n.health == Health::P1 && n.desired > 0 && n.ready == 0)
        badge = Tr::tr("DOWN");
    p.setFont(font(19, true));
    const double bw = QFontMetricsF(p.font()).horizontalAdvance(badge) + 26;
    drawBadge(p, QRectF(inner.right() - bw, inner.top(), bw, 34), badge, n.health);
    const QRectF titleRect(inner.left(), inner.top(), inner.width() - bw - 8, 36);
    p.setPen(text);
    p.setFont(fittingFont(n.title, titleRect.width(), 31, 21));
    p.drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetricsF(p.font()).elidedText(n.title, Qt::ElideRight, titleRect.width()));

    // Figures under the title; in a grown node without a reason line, centred in the room.
    const double cellsTop = inner.bottom() - 20;
    double figuresTop = inner.top() + 40;
    if (n.reasons.isEmpty())
        figuresTop = std::max(figuresTop, (inner.top() + 36 + cellsTop) / 2 - 20);
    const QRectF figures(inner.left(), figuresTop, inner.width(), 40);
    const QColor warn = healthColor(Health::P2), bad = healthColor(Health::P1);
    const bool idle = n.requestsPerSec <= 0;
    struct Figure { QString value; QColor color; double share; };
    const Figure parts[3] = {
        {QStringLiteral("%1/%2").arg(n.ready).arg(n.desired),
         n.desired > 0 && n.ready == 0 ? bad : n.ready < n.desired ? warn : text, 0.36},
        {formatRate(n.requestsPerSec), text, 0.34},
        //: Compact service map node: error ratio, "0.4 % err"
        {idle ? QStringLiteral("—") : Tr::tr("%1 err").arg(formatRatio(n.errorRatio)),
         n.errorRatio > 0.05 ? bad : n.errorRatio > 0.01 ? warn : text, 0.30},
    };
    double x = figures.left();
    for (const Figure &f : parts) {
        const QRectF cell(x, figures.top(), figures.width() * f.share, figures.height());
        p.setPen(f.color);
        p.setFont(fittingFont(f.value, cell.width() - 8, 29, 16));
        p.drawText(cell, Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetricsF(p.font()).elidedText(f.value, Qt::ElideRight, cell.width() - 8));
        x += cell.width();
    }

    // Region cells: colour first; the name only where it fits.
    const double top = cellsTop;
    // Grown nodes have room for why they are not green.
    if (!n.reasons.isEmpty() && top - figures.bottom() >= 22) {
        p.setPen(n.health >= Health::P2 ? text : mutedOn(pal, 0.85));
        p.setFont(font(16, n.health >= Health::P2));
        const QRectF reason(inner.left(), figures.bottom() + 2, inner.width(), top - figures.bottom() - 4);
        p.drawText(reason, Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetricsF(p.font()).elidedText(n.reasons.first(), Qt::ElideRight, reason.width()));
    }
    const std::size_t count = std::max<std::size_t>(1, n.regions.size());
    const double gap = 5;
    const double rw = (inner.width() - double(count - 1) * gap) / double(count);
    for (std::size_t i = 0; i < n.regions.size(); ++i) {
        const RegionCell &c = n.regions[i];
        const QRectF cr(inner.left() + double(i) * (rw + gap), top, rw, 20);
        if (c.health == Health::Standby) {
            p.setPen(QPen(mutedOn(pal, 0.5), 1.2));
            p.setBrush(Qt::NoBrush);
        } else {
            p.setPen(Qt::NoPen);
            p.setBrush(healthColor(c.health));
        }
        p.drawRoundedRect(cr, 4, 4);
        const QFont f = fittingFont(c.region, cr.width() - 8, 14, 10);
        if (QFontMetricsF(f).horizontalAdvance(c.region) <= cr.width() - 8) {
            p.setFont(f);
            p.setPen(c.health == Health::Standby ? mutedOn(pal, 0.8) : healthTextColor(c.health));
            p.drawText(cr, Qt::AlignCenter, c.region);
        }
    }
}

} // namespace

void paintMap(QPainter &p, const MapState &state, const MapLayout &L, const PaintOptions &o)
{
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    for (std::size_t i = 0; i < state.regions.size() && i < L.regionCards.size(); ++i)
        paintRegionCard(p, L.regionCards[i], state.regions[i], o.palette);
    if (L.clusterAlertCard && !L.regionCards.empty())
        paintClusterAlertsCard(p, L.regionCards.back(), state, o.palette);

    paintEdges(p, state, L, o.palette);
    for (std::size_t row = 0; row < state.nodes.size(); ++row) {
        const QRectF r = L.nodes[row];
        if (r.isEmpty())
            continue;
        if (L.compact)
            paintCompactNode(p, state.nodes[row], r, o);
        else
            paintNode(p, state.nodes[row], r, o);
        // Selection, hover and keyboard focus outlines sit outside the face, never on it.
        const QColor accent = o.palette.color(QPalette::Highlight);
        if (int(row) == o.selectedRow) {
            p.setPen(QPen(accent, 5));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(r.adjusted(-6, -6, 6, 6), 16, 16);
        } else if (int(row) == o.hoverRow) {
            QColor c = accent;
            c.setAlphaF(0.55f);
            p.setPen(QPen(c, 2.5));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(r.adjusted(-4, -4, 4, 4), 14, 14);
        }
        if (int(row) == o.focusRow) {
            p.setPen(QPen(accent, 2.5, Qt::DashLine));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(r.adjusted(-11, -11, 11, 11), 19, 19);
        }
    }
}

} // namespace opsdeck::widgets::map
