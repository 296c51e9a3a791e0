// opsdeck: the operations console. Parses the command line, builds the simulated
// backend and the main window, and either runs interactively or renders a screenshot.
#include "../../backends/simulated/simulated_backend.h"
#include "../../widgets/main_window.h"
#include "../../widgets/theme.h"
#include "app_tr.h"
#include "gui_options.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>

#include <cstdio>

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

} // namespace

int main(int argc, char *argv[])
{
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
    opsdeck::backends::SimulatedBackend backend(options.backend);
    opsdeck::widgets::MainWindow window(&backend);
    arrangeWindow(window, options);

    if (options.afterMs > 0)
        backend.step(options.afterMs);
    if (!options.screenshotPath.isEmpty())
        return takeScreenshot(window, options.screenshotPath);

    window.show();
    return QApplication::exec();
}
