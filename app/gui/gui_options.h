#pragma once
// The console's command line, parsed into one value. Errors say which option and why.
#include "../../backends/simulated/simulation_worker.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace opsdeck::app {

struct GuiOptions {
    backends::SimulatedBackendOptions backend;
    QString view = QStringLiteral("dashboards");
    QString theme;                        // empty: the saved choice, else "system"
    QString layout;                       // empty: the saved arrangement, else "wall"
    QString screenshotPath;               // non-empty: render, save, exit
    std::int64_t afterMs = 0;             // simulated time to advance before showing
    // A real cluster instead of the simulation: any of --kubeconfig, --context,
    // --prometheus, --alertmanager, --component-map given.
    bool remote = false;
    QString kubeconfig, context, prometheusUrl, alertmanagerUrl;
    QString componentMap;                 // YAML runbook component -> label selector (checked here)
    QString databasePath;                 // empty: the user's data dir (screenshots: a temp file)
    bool declareOnAlert = false;          // declare an incident from the first P1/P2 alert
    bool benchUi = false;                 // run the UI benchmark and exit
    bool showHelp = false;
    bool showVersion = false;
    QString helpText;
};

// `arguments` includes the program name, as QCoreApplication::arguments() does.
Result<GuiOptions> parseGuiOptions(const QStringList &arguments, const QStringList &knownViews);

} // namespace opsdeck::app
