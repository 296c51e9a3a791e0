// The main window over a SimulatedBackend in deterministic step mode: charts get points,
// thresholds are drawn, the clock controls drive the backend, and a traffic surge turns
// the request-rate tile to breach.
#include "backends/simulated/simulated_backend.h"
#include "models/cluster_status.h"
#include "models/health_history_model.h"
#include "widgets/dashboard_view.h"
#include "widgets/main_window.h"
#include "widgets/metric_chart.h"
#include "widgets/metric_tile.h"
#include "widgets/simulation_banner.h"

#include <QAction>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>

using namespace opsdeck;
using backends::SimSpeed;
using models::HealthMetric;

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

    void chartsGetPointsAndThresholdLines()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend);
        backend.step(30 * 60 * 1000);
        QVERIFY(window.history()->rowCount() > 300);
        for (HealthMetric metric : models::allHealthMetrics()) {
            widgets::MetricTile *tile = window.dashboards()->tile(metric);
            QVERIFY(tile);
            // 15 min window at one sample per 5 s: 181 points (both ends included).
            QCOMPARE(tile->chart()->pointCount(), 181);
            QVERIFY(tile->chart()->hasThresholdLine());
            const auto &info = models::healthMetricInfo(metric);
            QCOMPARE(tile->chart()->thresholdValue(), info.threshold * info.displayScale);
            QVERIFY(!tile->valueText().isEmpty());
        }
        window.dashboards()->setWindowMs(60 * 60 * 1000);
        // Only 30 min simulated so far: the 1 h window holds all 361 samples.
        QCOMPARE(window.dashboards()->tile(HealthMetric::SuccessRate)->chart()->pointCount(), 361);
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

    void trafficSurgeTurnsRequestRateTileToBreach()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend);
        backend.step(20 * 60 * 1000);
        widgets::MetricTile *tile = window.dashboards()->tile(HealthMetric::RequestRate);
        QVERIFY2(!tile->isBreached(), qPrintable(tile->valueText()));
        QCOMPARE(tile->chart()->breachPointCount(), 0);

        // At night (the simulation starts at 00:00 UTC) the default 3x surge hovers around
        // the threshold; a 6x surge is unambiguous.
        QVERIFY(backend.injectFault(sim::FaultSpec{sim::FaultKind::TrafficSurge, {}, {{"factor", "6"}}}));
        backend.step(15 * 60 * 1000);
        QVERIFY2(tile->isBreached(), qPrintable(tile->valueText()));
        QVERIFY(tile->chart()->breachPointCount() > 0);
        QCOMPARE(tile->property("breached").toBool(), true);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
