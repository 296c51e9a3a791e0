// A tiny stand-in for `opsdeck status`: the lead wires runStatusCommand into the console's
// main; the integration test runs it through this binary to see its real output.
#include "app/gui/status_command.h"

#include <QCoreApplication>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    return opsdeck::app::runStatusCommand(args);
}
