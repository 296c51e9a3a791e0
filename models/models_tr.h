#pragma once
// One translation context for the models layer (house style: a Tr per module).
#include <QCoreApplication>

namespace opsdeck::models {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(OpsDeck::Models)
};

} // namespace opsdeck::models
