#pragma once
// Service-map colours on top of theme.h: one fill per health state, and text that
// stays readable on it, in both the light and the dark palette.
#include "map_health.h"

#include <QColor>

namespace opsdeck::widgets::map {

QColor healthColor(Health health);      // the state's strong colour (badge, border)
QColor healthTextColor(Health health);  // text drawn on healthColor()
// A node's face: the panel colour tinted towards the state colour, strong enough to
// read the state from across the room, weak enough to keep the text legible.
QColor nodeFill(Health health, const QColor &panel);
QColor edgeColor(Health health, const QColor &muted);

} // namespace opsdeck::widgets::map
