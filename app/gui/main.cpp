// opsdeck: the operations console. Parses the command line, builds the backend (the
// embedded simulation, or a real cluster), opens the incident database, builds the main
// window, and either runs interactively or renders a screenshot. `opsdeck status` prints
// a real cluster's state headless.
#include "../../backends/remote/remote_backend.h"
#include "../../backends/simulated/simulated_backend.h"
#include "../../models/incident_session.h"
#include "../../widgets/connect_dialog.h"
#include "../../widgets/database_problem_dialog.h"
#include "../../widgets/incidents/declare_incident_dialog.h"
#include "../../widgets/incidents/incidents_view.h"
#include "../../widgets/main_window.h"
#include "../../widgets/theme.h"
#include "app_tr.h"
#include "bench_ui.h"
#include "gui_options.h"
#include "status_command.h"

#include <QApplication>
#include <QDir>
#include <QMenu>
#include <QProcess>
#include <QTemporaryDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace {

void installTranslators(QApplication &app)
{
    auto *qt = new QTranslator(&app);
    if (qt->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(qt);
    auto *own = new QTranslator(&app);
    if (own->load(QLocale(), QStringLiteral("opsdeck"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(own);
}

int fail(const QString &message)
{
    std::fprintf(stderr, "opsdeck: error: %s\n", qPrintable(message));
    return 2;
}

int takeScreenshot(opsdeck::widgets::MainWindow &window, const QString &path)
{
    window.show();
    // Two passes: layout, then the charts' scene updates that layout triggers.
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    const QPixmap pixmap = window.grab();
    const QFileInfo info(path);
    if (!info.absoluteDir().exists())
        return fail(opsdeck::app::Tr::tr("cannot write screenshot %1: directory %2 does not exist")
                        .arg(path, info.absolutePath()));
    if (!pixmap.save(path, "PNG"))
        return fail(opsdeck::app::Tr::tr("cannot write screenshot %1").arg(path));
    std::fprintf(stdout, "%s\n", qPrintable(opsdeck::app::Tr::tr("screenshot: %1 (%2x%3)")
                                                .arg(path)
                                                .arg(pixmap.width())
                                                .arg(pixmap.height())));
    return 0;
}

// Layout: an explicit --layout wins; a screenshot shows its one view filling the window;
// otherwise the user's saved arrangement, falling back to the commander wall.
void arrangeWindow(opsdeck::widgets::MainWindow &window, const opsdeck::app::GuiOptions &options)
{
    using Layout = opsdeck::widgets::MainWindow::Layout;
    if (!options.layout.isEmpty())
        window.applyLayout(*opsdeck::widgets::MainWindow::layoutFromName(options.layout));
    else if (!options.screenshotPath.isEmpty())
        window.applyLayout(Layout::Tabs);
    else
        window.restoreLayout();
    window.setView(options.view);
}

// Opens the incident database; when it is corrupt or locked, asks the user which way
// forward (read-only, restore the automatic backup, start fresh) instead of failing.
bool openIncidents(opsdeck::models::IncidentSession &session, const QString &path, bool interactive)
{
    auto problem = session.open(path);
    while (!problem.ok()) {
        if (!interactive) {
            fail(opsdeck::app::Tr::tr("incident database %1: %2").arg(problem.path, problem.message));
            return false;
        }
        opsdeck::widgets::DatabaseProblemDialog dialog(problem);
        if (dialog.exec() != QDialog::Accepted)
            return false;
        problem = session.recover(dialog.choice());
    }
    return true;
}

// --declare-on-alert: the first firing P1 or P2 becomes an incident, through the same
// dialog a user would accept (so the suggestion logic is the one people see).
void declareFromFirstAlert(opsdeck::widgets::MainWindow &window, bool *declared)
{
    using namespace opsdeck::telemetry::alerting;
    if (*declared || !window.incidents())
        return;
    const auto snapshot = window.backend()->latestSnapshot();
    if (!snapshot || !snapshot->alerts)
        return;
    for (const QueuedAlert &alert : *snapshot->alerts) {
        const bool urgent = alert.severity == Severity::P1 || alert.severity == Severity::P2;
        if (alert.resolved || !urgent || alert.status.state != AlertStatus::State::Active)
            continue;
        window.incidents()->declareFromAlert(alert);
        if (auto *dialog = window.incidents()->declareDialog())
            dialog->accept();
        *declared = true;
        return;
    }
}

// File > Connect: the chosen settings are remembered (no secrets) and OpsDeck restarts
// attached to them, so no view ever mixes data of two clusters.
void askAndReconnect(QWidget *parent)
{
    using namespace opsdeck;
    QSettings settings;
    remote::RemoteConfigStore store(&settings);
    widgets::ConnectDialog dialog(parent);
    dialog.setContextLister(&remote::listKubeconfigContexts);
    dialog.setComponentMapChecker(&remote::componentMapProblem);
    dialog.setRecall([&store](const QString &context) { return store.recall(context); });
    if (auto last = store.last())
        dialog.setInitial(widgets::ConnectDialog::Mode::Remote, *last);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QStringList args;
    if (dialog.mode() == widgets::ConnectDialog::Mode::Remote) {
        const remote::RemoteConfig config = dialog.remoteConfig();
        store.remember(config);
        const std::pair<const char *, QString> flags[] = {{"--kubeconfig", config.kubeconfigPath},
                                                          {"--context", config.context},
                                                          {"--prometheus", config.prometheusUrl},
                                                          {"--alertmanager", config.alertmanagerUrl},
                                                          {"--component-map", config.componentMapPath}};
        for (const auto &[flag, value] : flags)
            if (!value.isEmpty())
                args << QString::fromLatin1(flag) << value;
    }
    if (QProcess::startDetached(QCoreApplication::applicationFilePath(), args))
        QCoreApplication::quit();
}

} // namespace

int main(int argc, char *argv[])
{
    // Headless: no QApplication (and no display) needed.
    if (argc > 1 && QString::fromLocal8Bit(argv[1]) == QLatin1String("status")) {
        QStringList args;
        for (int i = 2; i < argc; ++i)
            args << QString::fromLocal8Bit(argv[i]);
        return opsdeck::app::runStatusCommand(args);
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("opsdeck"));
    QApplication::setApplicationDisplayName(QStringLiteral("OpsDeck"));
    QApplication::setOrganizationName(QStringLiteral("OpsDeck"));
    QApplication::setApplicationVersion(QStringLiteral(OPSDECK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("opsdeck"));
    installTranslators(app);

    auto parsed = opsdeck::app::parseGuiOptions(QApplication::arguments(),
                                                opsdeck::widgets::MainWindow::knownViews());
    if (!parsed)
        return fail(QString::fromStdString(parsed.error()));
    const opsdeck::app::GuiOptions &options = *parsed;
    if (options.showHelp) {
        std::fprintf(stdout, "%s", qPrintable(options.helpText));
        return 0;
    }
    if (options.showVersion) {
        std::fprintf(stdout, "opsdeck %s\n", OPSDECK_VERSION);
        return 0;
    }

    const QString theme = !options.theme.isEmpty()
                              ? options.theme
                              : QSettings().value(QStringLiteral("appearance/theme"),
                                                  QStringLiteral("system")).toString();
    opsdeck::widgets::theme::apply(app, theme);
    if (options.benchUi)
        return opsdeck::app::runUiBenchmark(app, options);

    std::unique_ptr<opsdeck::backends::ClusterBackend> backend;
    opsdeck::backends::SimulatedBackend *simulated = nullptr;
    if (options.remote) {
        opsdeck::remote::RemoteConfig config;
        config.kubeconfigPath = options.kubeconfig;
        config.context = options.context;
        config.prometheusUrl = options.prometheusUrl;
        config.alertmanagerUrl = options.alertmanagerUrl;
        config.componentMapPath = options.componentMap;
        auto *remote = new opsdeck::remote::RemoteBackend(config);
        backend.reset(remote);
        remote->start();
    } else {
        simulated = new opsdeck::backends::SimulatedBackend(options.backend);
        backend.reset(simulated);
    }

    // Screenshots never touch the user's incident database.
    const bool screenshot = !options.screenshotPath.isEmpty();
    QTemporaryDir scratch;
    const QString databasePath = !options.databasePath.isEmpty() ? options.databasePath
                                 : screenshot ? scratch.filePath(QStringLiteral("opsdeck.sqlite"))
                                              : opsdeck::models::IncidentSession::defaultDatabasePath();
    opsdeck::models::IncidentSession incidents;
    if (!openIncidents(incidents, databasePath, !screenshot))
        return 2;
    incidents.attach(backend.get());
    if (simulated && !screenshot)
        incidents.restoreAlertState();
    QObject::connect(&app, &QCoreApplication::aboutToQuit, &incidents,
                     [&incidents]() { incidents.saveAlertState(); });

    opsdeck::widgets::MainWindow window(backend.get(), &incidents);
    arrangeWindow(window, options);
    {
        QMenu *file = window.fileMenu();
        QAction *connectAction = new QAction(opsdeck::app::Tr::tr("&Connect to a cluster…"), file);
        QObject::connect(connectAction, &QAction::triggered, &window,
                         [&window]() { askAndReconnect(&window); });
        file->insertAction(file->actions().first(), connectAction);
    }

    bool declared = false;
    if (simulated && options.afterMs > 0) {
        // In steps, so an incident declared on the first page sees what follows.
        const std::int64_t chunkMs = options.declareOnAlert ? 15'000 : options.afterMs;
        for (std::int64_t done = 0; done < options.afterMs; done += chunkMs) {
            simulated->step(std::min(chunkMs, options.afterMs - done));
            if (options.declareOnAlert) {
                QCoreApplication::processEvents();
                declareFromFirstAlert(window, &declared);
                incidents.waitForWrites();
            }
        }
    }
    if (options.declareOnAlert)
        QObject::connect(backend.get(), &opsdeck::backends::ClusterBackend::snapshotPublished,
                         &window, [&window, &declared]() { declareFromFirstAlert(window, &declared); });
    if (screenshot) {
        QCoreApplication::processEvents();
        incidents.waitForWrites();
        return takeScreenshot(window, options.screenshotPath);
    }

    window.show();
    return QApplication::exec();
}
