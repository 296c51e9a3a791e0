// The PromQL dashboards over a SimulatedBackend in step mode: panels fill after stepping,
// the time range buttons change every chart's x span, a typed query becomes a panel (and
// a bad one shows the parser's position), markers appear after a fault and an action,
// a breach is shaded, and the service map's component narrows per-service panels.
#include "backends/simulated/simulated_backend.h"
#include "models/panel_data_model.h"
#include "widgets/add_panel_dialog.h"
#include "widgets/dashboard_view.h"
#include "widgets/metric_chart.h"
#include "widgets/panel_view.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <QCoro/QCoroTask>

using namespace opsdeck;
using widgets::DashboardView;
using widgets::PanelView;

namespace {
constexpr qint64 kMinute = 60 * 1000;

backends::SimulatedBackendOptions stepOptions()
{
    backends::SimulatedBackendOptions o;
    o.config.seed = 3;
    o.threaded = false;
    return o;
}

// Every panel of the dashboard has finished its query (none in flight).
bool settled(const DashboardView &view, int dashboard)
{
    for (PanelView *p : view.panels(dashboard))
        if (p->model()->isQueryInFlight() || !p->model()->hasResult())
            return false;
    return true;
}
} // namespace

class TestDashboards : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settingsDir;

private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
        // User panels persist in QSettings: keep this test's away from the user's.
        QVERIFY(m_settingsDir.isValid());
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
        QCoreApplication::setOrganizationName(QStringLiteral("opsdeck-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_dashboards"));
    }

    void init() { QSettings().clear(); }

    void panelsShowSeriesAfterStepping()
    {
        backends::SimulatedBackend backend(stepOptions());
        DashboardView view(&backend);
        view.resize(1600, 1000);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(view.dashboardNames(),
                 QStringList({QStringLiteral("System health"), QStringLiteral("Business"),
                              QStringLiteral("GPU inference")}));
        QVERIFY(view.summary());
        backend.step(20 * kMinute);
        QTRY_VERIFY(settled(view, 0));
        for (PanelView *p : view.panels(0)) {
            QVERIFY2(p->errorText().isEmpty(), qPrintable(p->title() + QStringLiteral(": ") + p->errorText()));
            QVERIFY2(p->chart()->seriesCount() > 0, qPrintable(p->title()));
            QVERIFY2(p->chart()->dataPointCount() > 100, qPrintable(p->title()));
            QVERIFY2(p->chart()->pointCount() >= 2 * p->chart()->seriesCount(), qPrintable(p->title()));
            QVERIFY2(p->valueText() != QStringLiteral("–"), qPrintable(p->title()));
            QCOMPARE(p->chart()->xToMs() - p->chart()->xFromMs(), 15 * kMinute);
        }
        PanelView *success = view.panel(0, QStringLiteral("Success rate"));
        QVERIFY(success);
        QVERIFY(success->chart()->hasThresholdLine());
        QCOMPARE(success->chart()->thresholdValue(), 95.0); // drawn in %
        QVERIFY(!success->isBreached());
        QAbstractItemModelTester tester(success->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);

        // Hidden dashboards do not query; opening one fills it.
        PanelView *sessions = view.panel(1, QStringLiteral("Active sessions by tier"));
        QVERIFY(sessions);
        QCOMPARE(sessions->model()->queriesIssued(), 0);
        view.setCurrentDashboard(QStringLiteral("Business"));
        QTRY_VERIFY(settled(view, 1));
        // One band per tier, stacked: the headline is their total.
        QVERIFY(sessions->chart()->seriesCount() >= 3);
        QCOMPARE(sessions->chart()->seriesCount(), sessions->model()->rowCount());
        double total = 0;
        for (const auto &s : sessions->model()->series())
            total += s.points.constLast().y();
        QCOMPARE(sessions->valueText(), models::formatPanelValue(models::PanelUnit::Count, total));
        view.setCurrentDashboard(2);
        QTRY_VERIFY(settled(view, 2));
        for (PanelView *p : view.panels(2))
            QVERIFY2(p->chart()->seriesCount() > 0, qPrintable(p->title()));

        // Hover read-out: the time, then series and values.
        const qint64 t = success->chart()->xToMs() - kMinute;
        const QString readout = success->chart()->readoutAt(t);
        QVERIFY2(readout.contains(QLatin1String("UTC")) && readout.contains(QLatin1String("%")), qPrintable(readout));
    }

    void timeRangeButtonsChangeTheSpan()
    {
        backends::SimulatedBackend backend(stepOptions());
        DashboardView view(&backend);
        view.resize(1600, 1000);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        backend.step(90 * kMinute);
        QTRY_VERIFY(settled(view, 0));
        PanelView *rate = view.panel(0, QStringLiteral("Request rate"));
        QCOMPARE(rate->chart()->xToMs() - rate->chart()->xFromMs(), 15 * kMinute);
        QTest::mouseClick(view.rangeButton(60 * kMinute), Qt::LeftButton);
        QCOMPARE(view.rangeMs(), 60 * kMinute);
        QTRY_COMPARE(rate->chart()->xToMs() - rate->chart()->xFromMs(), 60 * kMinute);
        QTest::mouseClick(view.rangeButton(6 * 60 * kMinute), Qt::LeftButton);
        QTRY_COMPARE(rate->chart()->xToMs() - rate->chart()->xFromMs(), 6 * 60 * kMinute);
        // At most about one point per pixel column, whatever the range.
        QTRY_VERIFY(settled(view, 0));
        for (PanelView *p : view.panels(0))
            for (const auto &s : p->model()->series())
                QVERIFY(s.points.size() <= p->model()->widthPx() + 1);
    }

    void addedPanelShowsDataAndPersists()
    {
        backends::SimulatedBackend backend(stepOptions());
        {
            DashboardView view(&backend);
            view.resize(1600, 1000);
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            backend.step(10 * kMinute);
            widgets::AddPanelDialog *dialog = view.openAddPanelDialog();
            QVERIFY(dialog);
            QVERIFY(!dialog->okButton()->isEnabled());
            dialog->titleEdit()->setText(QStringLiteral("Orchestrator pods up"));
            // A typo: the parser's error and its column show, OK stays off.
            dialog->queryEdit()->setText(QStringLiteral("sum(up{job=\"agent-orchestrator\"}"));
            QVERIFY(!dialog->okButton()->isEnabled());
            QVERIFY2(dialog->errorText().startsWith(QLatin1String("Column ")), qPrintable(dialog->errorText()));
            QVERIFY2(dialog->errorText().contains(QLatin1String("parse error")), qPrintable(dialog->errorText()));
            dialog->queryEdit()->setText(QStringLiteral("sum(up{job=\"agent-orchestrator\"})"));
            QVERIFY2(dialog->okButton()->isEnabled(), qPrintable(dialog->errorText()));
            QTest::mouseClick(dialog->okButton(), Qt::LeftButton);

            PanelView *added = view.panel(0, QStringLiteral("Orchestrator pods up"));
            QVERIFY(added);
            backend.step(5000);
            QTRY_VERIFY(added->model()->hasResult());
            QVERIFY2(added->errorText().isEmpty(), qPrintable(added->errorText()));
            QCOMPARE(added->chart()->seriesCount(), 1);
            QVERIFY(added->model()->series().first().points.constLast().y() >= 2);

            // A query that parses but fails when run shows its error on the panel.
            models::PanelDefinition failing;
            failing.title = QStringLiteral("Bad vector match");
            failing.query = QStringLiteral("up + on(job) group_left up");
            PanelView *bad = view.addPanel(failing);
            QTRY_VERIFY(bad->model()->hasResult());
            QVERIFY(!bad->errorText().isEmpty());
            view.removePanel(bad);
            QVERIFY(!view.panel(0, QStringLiteral("Bad vector match")));
        }
        // The next start has the user's panel again, removable.
        DashboardView again(&backend);
        PanelView *restored = again.panel(0, QStringLiteral("Orchestrator pods up"));
        QVERIFY(restored);
        QVERIFY(restored->findChild<QToolButton *>(QStringLiteral("removePanel")));
        QVERIFY(!again.panel(0, QStringLiteral("Bad vector match")));
    }

    void markersAfterFaultAndAction()
    {
        backends::SimulatedBackend backend(stepOptions());
        DashboardView view(&backend);
        view.resize(1600, 1000);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        backend.step(5 * kMinute);
        PanelView *errors = view.panel(0, QStringLiteral("Agent error rate"));
        QCOMPARE(errors->chart()->visibleMarkerCount(), 0);

        QVERIFY(backend.injectFault(sim::FaultSpec{sim::FaultKind::BadDeploy, {}, {}}));
        backend.step(8 * kMinute);
        QTRY_VERIFY(errors->chart()->visibleMarkerCount() > 0);
        bool sawFault = false, sawAlert = false;
        for (const auto &m : view.markers()) {
            sawFault = sawFault || m.glyph == QStringLiteral("⚡");
            sawAlert = sawAlert || m.tooltip.contains(QLatin1String("fired"));
        }
        QVERIFY(sawFault);
        QVERIFY2(sawAlert, "HighErrorRate should fire within 8 minutes of a bad deploy");

        // The operator rolls back: an action marker joins them.
        bool done = false;
        sim::ActionSpec rollback;
        rollback.kind = sim::ActionKind::Rollback;
        QCoro::connect(backend.apply(rollback), &view, [&](const auto &) { done = true; });
        QTRY_VERIFY(done);
        backend.step(kMinute);
        QTRY_VERIFY(std::any_of(view.markers().begin(), view.markers().end(),
                                [](const widgets::ChartMarker &m) { return m.glyph == QStringLiteral("●"); }));
        const auto &last = view.markers();
        const QString readout = errors->chart()->readoutAt(
            std::find_if(last.begin(), last.end(), [](const auto &m) { return m.glyph == QStringLiteral("⚡"); })->epochMs);
        QVERIFY2(readout.contains(QStringLiteral("⚡")), qPrintable(readout));
    }

    void breachIsShaded()
    {
        backends::SimulatedBackend backend(stepOptions());
        DashboardView view(&backend);
        view.resize(1600, 1000);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        backend.step(20 * kMinute);
        QTRY_VERIFY(settled(view, 0));
        PanelView *rate = view.panel(0, QStringLiteral("Request rate"));
        QVERIFY2(!rate->isBreached(), qPrintable(rate->valueText()));
        QCOMPARE(rate->chart()->breachPointCount(), 0);
        QVERIFY(backend.injectFault(sim::FaultSpec{sim::FaultKind::TrafficSurge, {}, {{"factor", "6"}}}));
        backend.step(15 * kMinute);
        QTRY_VERIFY(settled(view, 0));
        QVERIFY2(rate->isBreached(), qPrintable(rate->valueText()));
        QVERIFY(rate->chart()->breachPointCount() > 0);
        QCOMPARE(rate->property("breached").toBool(), true);
    }

    void componentFilterNarrowsPerServicePanels()
    {
        backends::SimulatedBackend backend(stepOptions());
        DashboardView view(&backend);
        view.resize(1600, 1000);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        backend.step(10 * kMinute);
        QTRY_VERIFY(settled(view, 0));
        PanelView *byService = view.panel(0, QStringLiteral("Requests by service"));
        PanelView *success = view.panel(0, QStringLiteral("Success rate"));
        QVERIFY(byService->chart()->seriesCount() > 5);
        const int successQueries = success->model()->queriesIssued();
        view.setComponentFilter(QStringLiteral("model-server"));
        QTRY_COMPARE(byService->chart()->seriesCount(), 1);
        QCOMPARE(byService->model()->series().first().legend, QStringLiteral("model-server"));
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("componentFilter"))->isVisible());
        // Cluster-wide panels have nothing per component: not re-queried.
        QCOMPARE(success->model()->queriesIssued(), successQueries);
        view.setComponentFilter({});
        QTRY_VERIFY(byService->chart()->seriesCount() > 5);
    }
};

QTEST_MAIN(TestDashboards)
#include "tst_dashboards.moc"
