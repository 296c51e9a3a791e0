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

// Dark by default; when the desktop already provides a dark palette, keep it.
// `mode`: "dark" (default), "light" or "system" (use the platform palette as is).
void apply(QApplication &app, const QString &mode = QStringLiteral("dark"));

} // namespace opsdeck::widgets::theme
