#pragma once
// Human titles for the simulator's faults, as the instructor menu shows them.
#include "../backends/sim/simulation.h"

#include <QString>

namespace opsdeck::widgets {

QString faultTitle(sim::FaultKind kind); // "Traffic surge (demand multiplies)"

} // namespace opsdeck::widgets
