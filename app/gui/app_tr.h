#pragma once
// One translation context for the GUI entry point (house style: a Tr per module).
#include <QCoreApplication>

namespace opsdeck::app {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(OpsDeck::App)
};

} // namespace opsdeck::app
