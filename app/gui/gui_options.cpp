#include "gui_options.h"

#include "../../backends/remote/remote_config.h"
#include "../../backends/sim/scenario.h"
#include "app_tr.h"

#include <QCommandLineParser>

namespace opsdeck::app {

namespace {
Error optionError(const char *option, const QString &value, const std::string &why)
{
    return Error{"--" + std::string(option) + " " + value.toStdString() + ": " + why};
}

// --after takes plain seconds ("3600") or a duration ("1h", "2h10m").
Result<std::int64_t> parseAfter(const QString &text)
{
    bool isNumber = false;
    const double seconds = text.toDouble(&isNumber);
    if (isNumber) {
        if (seconds < 0)
            return Error{"must not be negative"};
        return std::int64_t(seconds * 1000);
    }
    return sim::parseDurationMs(text.toStdString());
}
} // namespace

Result<GuiOptions> parseGuiOptions(const QStringList &arguments, const QStringList &knownViews)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("OpsDeck: operations console for AI-agent platforms (simulated cluster)."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption seed(QStringLiteral("seed"), Tr::tr("Simulation seed."),
                                  QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption preset(QStringLiteral("preset"),
                                    Tr::tr("Cluster size: default or large."),
                                    QStringLiteral("NAME"), QStringLiteral("default"));
    const QCommandLineOption speed(QStringLiteral("speed"),
                                   Tr::tr("Simulation speed: 1, 10, 60, 600 or max."),
                                   QStringLiteral("X"), QStringLiteral("1"));
    const QCommandLineOption paused(QStringLiteral("paused"), Tr::tr("Start with the clock paused."));
    const QCommandLineOption fault(QStringLiteral("fault"),
                                   Tr::tr("Schedule a fault, e.g. traffic-surge@30m (repeatable)."),
                                   QStringLiteral("SPEC"));
    const QCommandLineOption action(QStringLiteral("action"),
                                    Tr::tr("Schedule an action, e.g. scale:virtual-computer=100@3h "
                                           "(repeatable)."),
                                    QStringLiteral("SPEC"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        Tr::tr("Render the main window to a PNG file and exit."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption after(QStringLiteral("after"),
                                   Tr::tr("Advance simulated time by SECONDS (or a duration like "
                                          "1h) before showing or taking the screenshot."),
                                   QStringLiteral("SECONDS"));
    const QCommandLineOption view(QStringLiteral("view"),
                                  Tr::tr("View to open: %1.").arg(knownViews.join(QStringLiteral(", "))),
                                  QStringLiteral("NAME"), QStringLiteral("dashboards"));
    const QCommandLineOption theme(QStringLiteral("theme"),
                                   Tr::tr("Colour theme: system (follow the desktop), light or "
                                          "dark. Default: the last one chosen in View > Theme, "
                                          "else system."),
                                   QStringLiteral("NAME"));
    const QCommandLineOption layout(QStringLiteral("layout"),
                                    Tr::tr("Arrangement of the views: wall (side by side) or tabs "
                                           "(one at a time). Default: the arrangement saved by the "
                                           "last session, else wall; screenshots: tabs."),
                                    QStringLiteral("NAME"));
    const QCommandLineOption kubeconfig(QStringLiteral("kubeconfig"),
                                        Tr::tr("Attach to a real cluster: the kubeconfig file "
                                               "(default: $KUBECONFIG, else ~/.kube/config)."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption context(QStringLiteral("context"),
                                     Tr::tr("Attach to a real cluster: the kubeconfig context "
                                            "(default: its current-context)."),
                                     QStringLiteral("NAME"));
    const QCommandLineOption prometheus(QStringLiteral("prometheus"),
                                        Tr::tr("Attach to a real cluster: Prometheus base URL."),
                                        QStringLiteral("URL"));
    const QCommandLineOption alertmanager(QStringLiteral("alertmanager"),
                                          Tr::tr("Attach to a real cluster: Alertmanager base URL."),
                                          QStringLiteral("URL"));
    const QCommandLineOption componentMap(QStringLiteral("component-map"),
                                          Tr::tr("Attach to a real cluster: a YAML file mapping the "
                                                 "runbook's components to label selectors "
                                                 "(components: {model-server: app=vllm}); default: "
                                                 "deployment names and app labels."),
                                          QStringLiteral("FILE"));
    const QCommandLineOption database(QStringLiteral("database"),
                                      Tr::tr("Incident database file (default: opsdeck.sqlite in "
                                             "the user's data directory)."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption declare(QStringLiteral("declare-on-alert"),
                                     Tr::tr("Declare an incident as soon as the first P1 or P2 "
                                            "alert fires (drills, screenshots)."));
    const QCommandLineOption benchUi(QStringLiteral("bench-ui"),
                                     Tr::tr("Measure the console's responsiveness with every "
                                            "dashboard open and print the figures."));
    parser.addOptions({seed, preset, speed, paused, fault, action, screenshot, after, view, theme,
                       layout, kubeconfig, context, prometheus, alertmanager, componentMap, database,
                       declare, benchUi});

    GuiOptions out;
    out.helpText = parser.helpText();
    if (!parser.parse(arguments))
        return Error{parser.errorText().toStdString()};
    if (!parser.positionalArguments().isEmpty())
        return Error{"unexpected argument '" + parser.positionalArguments().first().toStdString()
                     + "' (see --help)"};
    out.showHelp = parser.isSet(helpOption);
    out.showVersion = parser.isSet(versionOption);

    bool seedOk = false;
    const QString seedText = parser.value(seed);
    out.backend.config.seed = seedText.toULongLong(&seedOk);
    if (!seedOk)
        return optionError("seed", seedText, "expected a non-negative integer");

    const auto presetValue = sim::presetFromName(parser.value(preset).toStdString());
    if (!presetValue)
        return optionError("preset", parser.value(preset), presetValue.error());
    out.backend.config.preset = *presetValue;

    const auto speedValue = backends::speedFromName(parser.value(speed).toStdString());
    if (!speedValue)
        return optionError("speed", parser.value(speed), speedValue.error());
    out.backend.speed = *speedValue;
    out.backend.startPaused = parser.isSet(paused);

    for (const QString &spec : parser.values(fault)) {
        auto parsed = sim::parseFaultArg(spec.toStdString());
        if (!parsed)
            return optionError("fault", spec, parsed.error());
        out.backend.faults.push_back(*parsed);
    }
    for (const QString &spec : parser.values(action)) {
        auto parsed = sim::parseActionArg(spec.toStdString());
        if (!parsed)
            return optionError("action", spec, parsed.error());
        out.backend.actions.push_back(*parsed);
    }

    if (parser.isSet(after)) {
        auto ms = parseAfter(parser.value(after));
        if (!ms)
            return optionError("after", parser.value(after), ms.error());
        out.afterMs = *ms;
    }
    out.screenshotPath = parser.value(screenshot);
    if (parser.isSet(screenshot) && out.screenshotPath.isEmpty())
        return Error{"--screenshot: needs a file name"};

    out.view = parser.value(view);
    if (!knownViews.contains(out.view))
        return optionError("view", out.view,
                           "unknown view; available: " + knownViews.join(QStringLiteral(", ")).toStdString());
    out.theme = parser.value(theme);
    if (parser.isSet(theme) && out.theme != QLatin1String("dark")
        && out.theme != QLatin1String("light") && out.theme != QLatin1String("system"))
        return optionError("theme", out.theme, "expected system, light or dark");
    out.layout = parser.value(layout);
    if (parser.isSet(layout) && out.layout != QLatin1String("wall")
        && out.layout != QLatin1String("tabs"))
        return optionError("layout", out.layout, "expected wall or tabs");

    out.kubeconfig = parser.value(kubeconfig);
    out.context = parser.value(context);
    out.prometheusUrl = parser.value(prometheus);
    out.alertmanagerUrl = parser.value(alertmanager);
    out.componentMap = parser.value(componentMap);
    out.remote = parser.isSet(kubeconfig) || parser.isSet(context) || parser.isSet(prometheus)
                 || parser.isSet(alertmanager) || parser.isSet(componentMap);
    if (out.remote && (!out.backend.faults.empty() || !out.backend.actions.empty()))
        return Error{"--fault and --action schedule the simulation; they cannot be combined "
                     "with --kubeconfig/--context/--prometheus/--alertmanager/--component-map"};
    if (const QString problem = remote::componentMapProblem(out.componentMap); !problem.isEmpty())
        return optionError("component-map", out.componentMap, problem.toStdString());
    out.databasePath = parser.value(database);
    out.declareOnAlert = parser.isSet(declare);
    out.benchUi = parser.isSet(benchUi);

    // A screenshot must not depend on how fast this machine is: drive time by steps.
    out.backend.threaded = out.screenshotPath.isEmpty();
    return out;
}

} // namespace opsdeck::app
