#pragma once
// `opsdeck --bench-ui`: the console's responsiveness with every dashboard on screen
// (all built-in panels, 1 h of 1 s points per series) while the simulator runs at max
// speed. Prints a table: main-thread time per panel refresh (median, p99), click to
// repaint (median, p99), cold start to first painted frame, peak RSS; exit code 0 when
// every target is met, 1 otherwise.
#include "gui_options.h"

class QApplication;

namespace opsdeck::app {

// How long the measured run lasts (wall seconds), after the 1 h prefill. The env var
// OPSDECK_BENCH_UI_SECONDS overrides the default of 20.
int runUiBenchmark(QApplication &app, const GuiOptions &options);

} // namespace opsdeck::app
