#pragma once
// One translation context for the widgets layer (house style: a Tr per module).
#include <QCoreApplication>

namespace opsdeck::widgets {

struct Tr {
    Q_DECLARE_TR_FUNCTIONS(OpsDeck::Widgets)
};

} // namespace opsdeck::widgets
