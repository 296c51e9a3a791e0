// The main window over a SimulatedBackend in deterministic step mode: banner and status,
// the clock controls drive the backend, the instructor menu injects faults, and the views
// are wired together (the map's selection filters the others, every action request goes
// through the confirmation, "declare incident" reaches the incidents view). The views'
// own behaviour is tested in their own files (tst_dashboards, tst_service_map, ...).
#include "backends/simulated/simulated_backend.h"
#include "models/cluster_status.h"
#include "models/incident_session.h"
#include "widgets/action_confirm_dialog.h"
#include "widgets/actions_view.h"
#include "widgets/alert_queue_view.h"
#include "widgets/dashboard_view.h"
#include "widgets/incidents/declare_incident_dialog.h"
#include "widgets/incidents/incidents_view.h"
#include "widgets/main_window.h"
#include "models/panel_data_model.h"
#include "widgets/panel_view.h"
#include "widgets/remediation_controller.h"
#include "widgets/service_map_view.h"
#include "widgets/simulation_banner.h"

#include <QAction>
#include <QMenu>
#include <QPushButton>
#include <QToolButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;
using backends::SimSpeed;

namespace {
backends::SimulatedBackendOptions stepOptions()
{
    backends::SimulatedBackendOptions o;
    o.config.seed = 3;
    o.threaded = false;
    return o;
}
} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
    }

    void showsSimulationBannerAndStatus()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.banner());
        QVERIFY(window.banner()->isVisible());
        QVERIFY(window.banner()->text().startsWith(QLatin1String("SIMULATION")));
        QCOMPARE(window.connectionText(), QStringLiteral("SIMULATION"));
        QVERIFY(window.windowTitle().contains(QLatin1String("seed 3")));
        QCOMPARE(window.currentView(), QStringLiteral("dashboards"));
        QVERIFY(window.setView(QStringLiteral("dashboards")));
        QVERIFY(!window.setView(QStringLiteral("no-such-view")));
    }

    void pauseAndSpeedControlsDriveTheBackend()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!backend.isPaused());
        window.pauseAction()->trigger();
        QVERIFY(backend.isPaused());
        QVERIFY(window.status()->isPaused());
        window.pauseAction()->trigger();
        QVERIFY(!backend.isPaused());

        window.speedAction(SimSpeed::X600)->trigger();
        QCOMPARE(backend.speed(), SimSpeed::X600);
        window.speedAction(SimSpeed::Max)->trigger();
        QCOMPARE(backend.speed(), SimSpeed::Max);
        QVERIFY(window.speedAction(SimSpeed::Max)->isChecked());

        // Space pauses, as the toolbar promises.
        window.activateWindow();
        QTest::keyClick(&window, Qt::Key_Space);
        QVERIFY(backend.isPaused());
        // The backend changing on its own (e.g. a remote command) shows in the toolbar.
        QVERIFY(backend.setPaused(false));
        QVERIFY(!window.pauseAction()->isChecked());
        QVERIFY(backend.setSpeed(SimSpeed::X10));
        QVERIFY(window.speedAction(SimSpeed::X10)->isChecked());
    }

    void faultMenuListsEveryFault()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend);
        QStringList listed;
        for (QAction *action : window.faultMenu()->actions())
            listed << action->data().toString();
        for (sim::FaultKind kind : sim::allFaults())
            QVERIFY2(listed.contains(QString::fromLatin1(sim::faultName(kind))), sim::faultName(kind));
    }

    void faultMenuInjectsIntoTheBackend()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend);
        backend.step(60 * 1000);
        const std::size_t before = backend.latestSnapshot()->eventCount;
        QAction *surge = nullptr;
        for (QAction *action : window.faultMenu()->actions())
            if (action->data().toString() == QLatin1String("traffic-surge"))
                surge = action;
        QVERIFY(surge);
        surge->trigger();
        backend.step(1000);
        QVERIFY(backend.latestSnapshot()->eventCount > before);
    }

    void mapSelectionFiltersTheOtherViews()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend);
        backend.step(60 * 1000);
        Q_EMIT window.serviceMap()->componentSelected(QStringLiteral("model-server"));
        QCOMPARE(window.componentFilter(), QStringLiteral("model-server"));
        QCOMPARE(window.dashboards()->componentFilter(), QStringLiteral("model-server"));
        QCOMPARE(window.alerts()->proxy()->componentFilter(), QStringLiteral("model-server"));
        QCOMPARE(window.serviceMap()->selectedComponent(), QStringLiteral("model-server"));
        Q_EMIT window.serviceMap()->componentSelected(QString());
        QCOMPARE(window.dashboards()->componentFilter(), QString());
        QCOMPARE(window.alerts()->proxy()->componentFilter(), QString());
    }

    void mapActionsGoThroughTheConfirmation()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend);
        backend.step(60 * 1000);
        const std::size_t before = backend.latestSnapshot()->eventCount;
        sim::ActionSpec scale;
        scale.kind = sim::ActionKind::Scale;
        scale.target = "model-server";
        scale.params["replicas"] = "0";
        Q_EMIT window.serviceMap()->actionRequested(scale);
        widgets::ActionConfirmDialog *dialog = window.remediation()->pendingDialog();
        QVERIFY(dialog);
        // Scale to zero is destructive: the target's name must be typed first.
        QVERIFY(!dialog->okButton()->isEnabled());
        QVERIFY(dialog->kubectlText().contains(QLatin1String("kubectl scale")));
        dialog->reject();
        backend.step(5 * 1000);
        bool scaled = false;
        for (const auto &dep : backend.latestSnapshot()->inventory->deployments)
            scaled = scaled || (dep.name == "model-server" && dep.replicas == 0);
        QVERIFY(!scaled); // cancelled: nothing changed
        QVERIFY(backend.latestSnapshot()->eventCount >= before);
    }

    void declareIncidentFromTheSelectedAlert()
    {
        QTemporaryDir dir;
        models::IncidentSession session;
        QVERIFY(session.open(dir.filePath(QStringLiteral("incidents.sqlite"))).ok());
        backends::SimulatedBackend backend(stepOptions());
        session.attach(&backend);
        widgets::MainWindow window(&backend, &session);
        QVERIFY(window.incidents());
        QVERIFY(widgets::MainWindow::knownViews().contains(QStringLiteral("incidents")));
        backend.step(5 * 60 * 1000);
        QVERIFY(backend.injectFault(sim::FaultSpec{sim::FaultKind::BadDeploy, {}, {}}));
        backend.step(15 * 60 * 1000);
        QVERIFY(window.alerts()->proxy()->rowCount() > 0);
        window.alerts()->table()->selectRow(0);
        window.declareIncident();
        QCOMPARE(window.currentView(), QStringLiteral("incidents"));
        widgets::DeclareIncidentDialog *dialog = window.incidents()->declareDialog();
        QVERIFY(dialog);
        dialog->accept();
        session.waitForWrites();
        QTRY_COMPARE_WITH_TIMEOUT(int(session.incidents().size()), 1, 5000);

        // A dashboard panel pinned from its context menu lands on that incident's timeline
        // as a metric snapshot: the chart image with its query and time range.
        const int64_t id = session.incidents().front().id;
        QList<widgets::PanelView *> panels = window.dashboards()->panels(0);
        QVERIFY(!panels.isEmpty());
        Q_EMIT panels.front()->pinRequested(panels.front());
        session.waitForWrites();
        bool pinned = false;
        for (const auto &entry : session.timeline(id))
            if (entry.kind == models::TimelineKind::MetricSnapshot) {
                pinned = true;
                QVERIFY(!entry.attachment.empty());
                QVERIFY(entry.payloadJson.find("query") != std::string::npos);
            }
        QVERIFY(pinned);
    }

    void timelineJumpShowsTheDashboardsAtThatMoment()
    {
        QTemporaryDir dir;
        models::IncidentSession session;
        QVERIFY(session.open(dir.filePath(QStringLiteral("incidents.sqlite"))).ok());
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend, &session);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        backend.step(30 * 60 * 1000);
        const qint64 moment = backend.latestSnapshot()->epochMs - 20 * 60 * 1000;
        Q_EMIT window.incidents()->showDashboardsAt(moment);
        QCOMPARE(window.currentView(), QStringLiteral("dashboards"));
        QCOMPARE(window.dashboards()->momentMs(), moment);
        QVERIFY(window.dashboards()->liveButton()->isVisible());
        widgets::PanelView *panel = window.dashboards()->panels(0).front();
        QTRY_VERIFY_WITH_TIMEOUT(panel->model()->hasResult(), 5000);
        // The window is centred on the moment (15 min range: it ends 7.5 min after it)...
        QTRY_VERIFY_WITH_TIMEOUT(panel->model()->toMs() <= moment + 8 * 60 * 1000, 5000);
        const qint64 shownTo = panel->model()->toMs();
        QVERIFY(shownTo >= moment);
        // ...and stays there while time runs on.
        backend.step(5 * 60 * 1000);
        QCoreApplication::processEvents();
        QCOMPARE(panel->model()->toMs(), shownTo);
        // Back to live follows now again.
        window.dashboards()->liveButton()->click();
        QCOMPARE(window.dashboards()->momentMs(), qint64(0));
        QVERIFY(!window.dashboards()->liveButton()->isVisible());
        const qint64 now = backend.latestSnapshot()->epochMs;
        QTRY_VERIFY_WITH_TIMEOUT(panel->model()->toMs() > now - 60 * 1000, 5000);
    }

    void withoutASessionThereIsNoIncidentsView()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend);
        QVERIFY(!window.incidents());
        QVERIFY(!window.setView(QStringLiteral("incidents")));
        QVERIFY(window.setView(QStringLiteral("actions")));
        QVERIFY(window.setView(QStringLiteral("map")));
        QVERIFY(window.setView(QStringLiteral("instructor")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
