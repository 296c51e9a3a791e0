// The main window's arrangement of views: the commander wall shows several views at once,
// tabs show one, the user's arrangement survives a restart (QSettings), the View menu and
// its shortcuts reach every view, and the theme follows the chosen mode.
#include "backends/simulated/simulated_backend.h"
#include "models/incident_session.h"
#include "widgets/alert_queue_view.h"
#include "widgets/main_window.h"
#include "widgets/theme.h"

#include <QApplication>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QScrollArea>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;

namespace {
backends::SimulatedBackendOptions stepOptions()
{
    backends::SimulatedBackendOptions options;
    options.config.seed = 7;
    options.threaded = false;
    return options;
}

// Visible on screen, not just "not hidden": a tabified dock behind another is not.
bool onScreen(widgets::MainWindow &window, const QString &view)
{
    QDockWidget *dock = window.viewDock(view);
    if (!dock || !dock->isVisible())
        return false;
    QWidget *content = dock->widget();
    if (auto *scroll = qobject_cast<QScrollArea *>(content)) // wide views scroll in their dock
        content = scroll->widget();
    return !content->visibleRegion().isEmpty();
}

int viewsOnScreen(widgets::MainWindow &window)
{
    int count = 0;
    for (const QString &view : widgets::MainWindow::knownViews())
        count += onScreen(window, view) ? 1 : 0;
    return count;
}
} // namespace

class TestMainWindowLayout : public QObject {
    Q_OBJECT
    QTemporaryDir m_settingsDir;
    // Every window gets the incidents view too, so every known view exists.
    models::IncidentSession m_session;

private Q_SLOTS:
    void initTestCase()
    {
        // Never read or write the developer's own settings.
        QVERIFY(m_settingsDir.isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("OpsDeckLayoutTest"));
        QVERIFY(m_session.open(m_settingsDir.filePath(QStringLiteral("incidents.sqlite"))).ok());
    }

    void everyKnownViewIsADock()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend, &m_session);
        for (const QString &view : widgets::MainWindow::knownViews()) {
            QVERIFY2(window.viewDock(view), qPrintable(view));
            QVERIFY(window.setView(view));
            QCOMPARE(window.currentView(), view);
        }
        QVERIFY(!window.setView(QStringLiteral("no-such-view")));
        QVERIFY(!window.viewDock(QStringLiteral("no-such-view")));
    }

    void wallShowsSeveralViewsTabsShowOne()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend, &m_session);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        window.applyLayout(widgets::MainWindow::Layout::Wall);
        QCoreApplication::processEvents();
        QVERIFY(onScreen(window, QStringLiteral("dashboards")));
        QVERIFY(onScreen(window, QStringLiteral("alerts")));
        QVERIFY(viewsOnScreen(window) >= 2);

        window.applyLayout(widgets::MainWindow::Layout::Tabs);
        window.setView(QStringLiteral("alerts"));
        QCoreApplication::processEvents();
        QCOMPARE(viewsOnScreen(window), 1);
        QVERIFY(onScreen(window, QStringLiteral("alerts")));
        // The one view fills (nearly) the whole width of the window.
        QVERIFY(window.alerts()->width() > window.width() * 9 / 10);
    }

    void wallFitsALaptopScreen()
    {
        // 1600x1000 is the size the console opens at; the wall must not push past it.
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend, &m_session);
        window.applyLayout(widgets::MainWindow::Layout::Wall);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY2(window.width() <= 1600, qPrintable(QString::number(window.width())));
    }

    void layoutNames()
    {
        QVERIFY(widgets::MainWindow::layoutFromName(QStringLiteral("wall")).ok());
        QVERIFY(widgets::MainWindow::layoutFromName(QStringLiteral("tabs")).ok());
        const auto bad = widgets::MainWindow::layoutFromName(QStringLiteral("grid"));
        QVERIFY(!bad.ok());
        QVERIFY(QString::fromStdString(bad.error()).contains(QLatin1String("grid")));
    }

    void arrangementSurvivesARestart()
    {
        QSettings().clear();
        {
            backends::SimulatedBackend backend(stepOptions());
            widgets::MainWindow window(&backend, &m_session);
            QVERIFY(!window.restoreLayout()); // nothing saved yet
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.applyLayout(widgets::MainWindow::Layout::Tabs);
            window.setView(QStringLiteral("alerts"));
            QCoreApplication::processEvents();
            window.close(); // saves, because restoreLayout() was asked for
        }
        {
            backends::SimulatedBackend backend(stepOptions());
            widgets::MainWindow window(&backend, &m_session); // starts as the wall
            QVERIFY(window.restoreLayout());
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QCoreApplication::processEvents();
            QCOMPARE(viewsOnScreen(window), 1);
            QVERIFY(onScreen(window, QStringLiteral("alerts")));
        }
    }

    void layoutOfAnotherVersionIsIgnored()
    {
        QSettings().setValue(QStringLiteral("mainWindow/state"), QByteArray("not a state"));
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend, &m_session);
        QVERIFY(!window.restoreLayout());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(viewsOnScreen(window) >= 2); // still the wall it started with
    }

    void viewMenuShortcutsReachEveryView()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend, &m_session);
        QMenu *viewMenu = nullptr;
        for (QAction *top : window.menuWidget()->findChild<QMenuBar *>()->actions())
            if (top->text() == QLatin1String("&View"))
                viewMenu = top->menu();
        QVERIFY(viewMenu);
        const QStringList views = widgets::MainWindow::knownViews();
        int found = 0;
        for (QAction *action : viewMenu->actions()) {
            const QKeySequence expected(int(Qt::CTRL) | int(Qt::Key_1 + found));
            if (found < views.size() && action->shortcut() == expected) {
                action->trigger();
                QCOMPARE(window.currentView(), views.at(found));
                ++found;
            }
        }
        QCOMPARE(found, int(views.size()));
    }

    void themeModes()
    {
        auto &app = *qApp;
        widgets::theme::apply(app, QStringLiteral("dark"));
        QCOMPARE(widgets::theme::currentMode(), QStringLiteral("dark"));
        QVERIFY(widgets::theme::isDark());
        widgets::theme::apply(app, QStringLiteral("light"));
        QVERIFY(!widgets::theme::isDark());
        // Offscreen's platform palette is light: "system" follows it.
        widgets::theme::apply(app, QStringLiteral("system"));
        QVERIFY(!widgets::theme::isDark());
        widgets::theme::followSystemChange();
        QCOMPARE(widgets::theme::currentMode(), QStringLiteral("system"));
    }
};

QTEST_MAIN(TestMainWindowLayout)
#include "tst_main_window_layout.moc"
