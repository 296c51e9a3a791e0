#pragma once
// The console's colours, in one place, so every view means the same thing by a colour:
// green ok, amber P2, red P1, and a magenta that no production view ever uses, reserved
// for "this is a simulation".
#include "../models/health_metric.h"

#include <QColor>

class QApplication;

namespace opsdeck::widgets::theme {

QColor ok();          // healthy
QColor p2();          // amber: P2 breach
QColor p1();          // red: P1 breach
QColor simulation();  // magenta: simulation banner, nothing else
QColor severity(models::Severity severity);
QColor muted();       // secondary text on the current palette
QColor panel();       // tile background, a step off the window colour

// `mode`: "system" (light or dark, whichever the desktop uses), "light" or "dark". Both
// palettes are OpsDeck's own, so the severity colours keep their contrast either way.
void apply(QApplication &app, const QString &mode = QStringLiteral("system"));
// The mode last applied ("" before the first apply).
QString currentMode();
// True when the palette in use is the dark one.
bool isDark();
// The desktop switched light/dark: re-applies "system" if that is the mode in use.
void followSystemChange();

} // namespace opsdeck::widgets::theme
