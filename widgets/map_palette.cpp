#include "map_palette.h"

#include "theme.h"

namespace opsdeck::widgets::map {

namespace {
QColor blend(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}
} // namespace

QColor healthColor(Health health)
{
    switch (health) {
    case Health::Standby: return QColor(0x5b, 0x8d, 0xb8);   // calm blue: ready, idle
    case Health::Ok: return theme::ok();
    case Health::Notice: return QColor(0x3d, 0x8b, 0xfd);    // P3/P4 and scaling: blue
    case Health::P2: return theme::p2();
    case Health::P1: return theme::p1();
    case Health::Dark: return QColor(0x6b, 0x70, 0x7c);      // unreachable: grey
    }
    return theme::ok();
}

QColor healthTextColor(Health health)
{
    // Amber and green are light: dark text. Red, blue and grey take white.
    return health == Health::Ok || health == Health::P2 ? QColor(0x10, 0x12, 0x16) : QColor(Qt::white);
}

QColor nodeFill(Health health, const QColor &panel)
{
    const bool dark = panel.lightness() < 128;
    double t = 0.0;
    switch (health) {
    case Health::Standby: t = 0.06; break;
    case Health::Ok: t = 0.08; break;
    case Health::Notice: t = 0.14; break;
    case Health::P2: t = dark ? 0.26 : 0.22; break;
    case Health::P1: t = dark ? 0.34 : 0.24; break;
    case Health::Dark: t = 0.10; break;
    }
    return blend(panel, healthColor(health), t);
}

QColor edgeColor(Health health, const QColor &muted)
{
    return health == Health::Ok || health == Health::Standby ? muted : healthColor(health);
}

} // namespace opsdeck::widgets::map
