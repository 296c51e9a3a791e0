// The alert queue in the console, end to end over a SimulatedBackend in deterministic step
// mode: a bad deploy makes the runbook rules fire into the queue shown by AlertQueueView; a
// rollback resolves them; acknowledge and silence from the view reach the backend's queue
// and come back in the next snapshot. Simulated time only, no wall-clock waits.
#include "backends/simulated/simulated_backend.h"
#include "models/alert_queue_model.h"
#include "widgets/alert_queue_view.h"
#include "widgets/main_window.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QSignalSpy>
#include <QStatusBar>
#include <QDockWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QToolButton>

#include <QCoro/QCoroTask>

using namespace opsdeck;
using models::AlertQueueModel;

namespace {
constexpr std::int64_t kMinuteMs = 60'000;

backends::SimulatedBackendOptions stepOptions()
{
    backends::SimulatedBackendOptions o;
    o.config.seed = 3;
    o.threaded = false;
    return o;
}

// Proxy row of the first alert named `name`, or -1.
int proxyRowOf(const widgets::AlertQueueView &view, const QString &name)
{
    const auto *proxy = view.proxy();
    for (int row = 0; row < proxy->rowCount(); ++row)
        if (proxy->index(row, AlertQueueModel::AlertColumn).data().toString() == name)
            return row;
    return -1;
}

QString cell(const widgets::AlertQueueView &view, int proxyRow, int column)
{
    return view.proxy()->index(proxyRow, column).data().toString();
}

// Bad deploy on the orchestrator, then enough simulated time for `for: 2m` over a 5m rate.
void breakTheOrchestrator(backends::SimulatedBackend &backend)
{
    backend.step(2 * kMinuteMs);
    QVERIFY(backend.injectFault(sim::FaultSpec{sim::FaultKind::BadDeploy, "agent-orchestrator", {}}));
    // Half-minute steps, as a live console sees it (and so new alerts are news: they flash).
    for (int i = 0; i < 10; ++i)
        backend.step(kMinuteMs / 2);
}

QString firstFiringP1(const widgets::AlertQueueView &view)
{
    for (const QString &name : {QStringLiteral("HighErrorRate"), QStringLiteral("AgentSuccessRateLow")}) {
        const int row = proxyRowOf(view, name);
        if (row >= 0 && cell(view, row, AlertQueueModel::StateColumn) == QLatin1String("firing"))
            return name;
    }
    return {};
}
} // namespace

class TestAlertQueueView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
        QStandardPaths::setTestModeEnabled(true); // settings under ~/.qttest, not the user's
        QCoreApplication::setOrganizationName(QStringLiteral("OpsDeckAlertQueueTest"));
    }

    void quietClusterHasNoFiringP1()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::AlertQueueView view(&backend);
        backend.step(10 * kMinuteMs);
        QVERIFY(backend.latestSnapshot()->alerts); // alerting is on by default
        // The safety filter blocks the odd request on a quiet cluster too, as the real one
        // does; SafetyViolationSpike pages only on a sustained wave, so nothing pages here.
        QCOMPARE(firstFiringP1(view), QString());
        QCOMPARE(view.firingCounts()[1], 0);
    }

    void badDeployFiresAndRollbackResolves()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::AlertQueueView view(&backend);
        QAbstractItemModelTester tester(view.proxy(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy newP1(&view, &widgets::AlertQueueView::newP1Firing);
        breakTheOrchestrator(backend);
        if (QTest::currentTestFailed())
            return;
        const QString fired = firstFiringP1(view);
        QVERIFY2(!fired.isEmpty(), "neither HighErrorRate nor AgentSuccessRateLow fires after a bad deploy");
        QVERIFY(view.firingCounts()[1] >= 1);
        const int row = proxyRowOf(view, fired);
        QCOMPARE(cell(view, row, AlertQueueModel::SeverityColumn), QStringLiteral("P1"));
        QVERIFY(!view.proxy()->index(row, AlertQueueModel::SeverityColumn)
                     .data(Qt::DecorationRole)
                     .value<QIcon>()
                     .isNull());
        // A P1 that appeared after the view started flashes, without taking focus.
        const quint64 fp = view.proxy()->index(row, 0).data(AlertQueueModel::FingerprintRole).value<quint64>();
        QVERIFY(view.proxy()->isFlashing(fp));
        // ... and is announced once (the main window's optional bell listens to this).
        int announced = 0;
        for (const QList<QVariant> &args : newP1)
            announced += args.at(0).value<telemetry::alerting::QueuedAlert>().alert.fingerprint == fp;
        QCOMPARE(announced, 1);
        backend.step(kMinuteMs);
        announced = 0;
        for (const QList<QVariant> &args : newP1)
            announced += args.at(0).value<telemetry::alerting::QueuedAlert>().alert.fingerprint == fp;
        QCOMPARE(announced, 1); // still firing: not news any more

        sim::ActionSpec rollback;
        rollback.kind = sim::ActionKind::Rollback;
        rollback.target = "agent-orchestrator";
        std::optional<Result<sim::ActionResult>> result;
        QCoro::connect(backend.apply(rollback), &view,
                       [&result](const Result<sim::ActionResult> &r) { result = r; });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 1000); // step mode: already done
        QVERIFY2(*result && (*result)->ok,
                 *result ? (*result)->message.c_str() : result->error().c_str());
        backend.step(20 * kMinuteMs);
        const int after = proxyRowOf(view, fired);
        QVERIFY2(after < 0 || cell(view, after, AlertQueueModel::StateColumn) == QLatin1String("resolved"),
                 qPrintable(QStringLiteral("%1 still %2").arg(fired, cell(view, after, AlertQueueModel::StateColumn))));
        QCOMPARE(firstFiringP1(view), QString());
    }

    void acknowledgeFromTheViewShowsWho()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::AlertQueueView view(&backend);
        view.setOperatorName(QStringLiteral("alice"));
        breakTheOrchestrator(backend);
        if (QTest::currentTestFailed())
            return;
        const QString fired = firstFiringP1(view);
        QVERIFY(!fired.isEmpty());
        QVERIFY(!view.acknowledgeSelected(QString())); // nothing selected yet
        view.table()->selectRow(proxyRowOf(view, fired));
        QVERIFY(view.acknowledgeAction()->isEnabled());
        QSignalSpy finished(&view, &widgets::AlertQueueView::actionFinished);
        QVERIFY(view.acknowledgeSelected(QStringLiteral("looking at the rollout")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 1000); // step mode: already done
        QCOMPARE(finished.at(0).at(1).toBool(), true);
        const int row = proxyRowOf(view, fired);
        QCOMPARE(cell(view, row, AlertQueueModel::AcknowledgedByColumn), QStringLiteral("alice"));
        QVERIFY(!view.acknowledgeAction()->isEnabled()); // already acknowledged
        // A second acknowledgement is refused by the queue with a reason.
        QVERIFY(view.acknowledgeSelected(QString()));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 1000);
        QCOMPARE(finished.at(1).at(1).toBool(), false);
    }

    void declareIncidentHandsOverTheSelectedAlert()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::AlertQueueView view(&backend);
        breakTheOrchestrator(backend);
        if (QTest::currentTestFailed())
            return;
        const QString fired = firstFiringP1(view);
        QVERIFY(!fired.isEmpty());
        QSignalSpy declared(&view, &widgets::AlertQueueView::declareIncidentRequested);
        QVERIFY(!view.declareIncidentFromSelected()); // nothing selected: refused, says so
        QCOMPARE(declared.size(), 0);
        view.table()->selectRow(proxyRowOf(view, fired));
        QVERIFY(view.declareIncidentAction()->isEnabled());
        view.declareIncidentAction()->trigger();
        QCOMPARE(declared.size(), 1);
        const auto alert = declared.at(0).at(0).value<telemetry::alerting::QueuedAlert>();
        QCOMPARE(QString::fromStdString(alert.alert.labels.get("alertname")), fired);
    }

    void componentFilterNarrowsToTheSelectedComponent()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::AlertQueueView view(&backend);
        breakTheOrchestrator(backend);
        if (QTest::currentTestFailed())
            return;
        // HighErrorRate carries job="agent-orchestrator".
        QVERIFY(proxyRowOf(view, QStringLiteral("HighErrorRate")) >= 0);
        view.setComponentFilter(QStringLiteral("model-server"));
        QCOMPARE(proxyRowOf(view, QStringLiteral("HighErrorRate")), -1);
        // AgentSuccessRateLow is cluster-wide (no job label): it concerns every component.
        if (proxyRowOf(view, QStringLiteral("AgentSuccessRateLow")) < 0) {
            view.setComponentFilter(QString());
            QCOMPARE(proxyRowOf(view, QStringLiteral("AgentSuccessRateLow")), -1);
        }
        view.setComponentFilter(QStringLiteral("agent-orchestrator"));
        QVERIFY(proxyRowOf(view, QStringLiteral("HighErrorRate")) >= 0);
        auto *chip = view.findChild<QToolButton *>(QStringLiteral("componentFilterChip"));
        QVERIFY(chip);
        QVERIFY(chip->text().contains(QLatin1String("agent-orchestrator")));
        chip->click(); // clears
        QCOMPARE(view.proxy()->componentFilter(), QString());
        QVERIFY(proxyRowOf(view, QStringLiteral("HighErrorRate")) >= 0);
    }

    void silenceHidesItAsSuppressed()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::AlertQueueView view(&backend);
        breakTheOrchestrator(backend);
        if (QTest::currentTestFailed())
            return;
        const QString fired = firstFiringP1(view);
        QVERIFY(!fired.isEmpty());
        const int firingBefore = view.firingCounts()[1];
        view.table()->selectRow(proxyRowOf(view, fired));
        QSignalSpy finished(&view, &widgets::AlertQueueView::actionFinished);
        QVERIFY(view.silenceSelected(15 * kMinuteMs));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 1000);
        QVERIFY2(finished.at(0).at(1).toBool(), qPrintable(finished.at(0).at(0).toString()));
        backend.step(30 * 1000);
        const int row = proxyRowOf(view, fired);
        QVERIFY(row >= 0);
        QCOMPARE(cell(view, row, AlertQueueModel::StateColumn), QStringLiteral("silenced"));
        QVERIFY(view.proxy()->index(row, 0).data(AlertQueueModel::SuppressedRole).toBool());
        QVERIFY(view.firingCounts()[1] < firingBefore);
        // The silence ends after 15 minutes; if the fault is still there, it fires again.
        backend.step(16 * kMinuteMs);
        const int later = proxyRowOf(view, fired);
        QVERIFY(later >= 0);
        QCOMPARE(cell(view, later, AlertQueueModel::StateColumn), QStringLiteral("firing"));
    }

    void searchAndSeverityFilters()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::AlertQueueView view(&backend);
        QAbstractItemModelTester tester(view.proxy(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        breakTheOrchestrator(backend);
        if (QTest::currentTestFailed())
            return;
        const int all = view.proxy()->rowCount();
        QVERIFY(all >= 1);
        QCOMPARE(view.proxy()->rowCount(), view.model()->rowCount());

        view.searchBox()->setText(QStringLiteral("no-such-alert-anywhere"));
        QCOMPARE(view.proxy()->rowCount(), 0);
        view.searchBox()->setText(QStringLiteral("errorrate")); // case-insensitive, substring
        QVERIFY(view.proxy()->rowCount() >= 1);
        for (int row = 0; row < view.proxy()->rowCount(); ++row)
            QVERIFY(cell(view, row, AlertQueueModel::AlertColumn).contains(QLatin1String("ErrorRate"))
                    || cell(view, row, AlertQueueModel::SummaryColumn).contains(QLatin1String("error rate"),
                                                                              Qt::CaseInsensitive));
        // The service column falls back to the agent label, and search sees it.
        const int errorRow = proxyRowOf(view, QStringLiteral("HighErrorRate"));
        if (errorRow >= 0) {
            const QString service = cell(view, errorRow, AlertQueueModel::ServiceColumn);
            QVERIFY(!service.isEmpty());
            view.searchBox()->setText(service);
            QVERIFY(proxyRowOf(view, QStringLiteral("HighErrorRate")) >= 0);
        }
        view.searchBox()->clear();
        QCOMPARE(view.proxy()->rowCount(), all);

        view.severityButton(1)->setChecked(false);
        for (int row = 0; row < view.proxy()->rowCount(); ++row)
            QVERIFY(cell(view, row, AlertQueueModel::SeverityColumn) != QLatin1String("P1"));
        QVERIFY(view.proxy()->rowCount() < all);
        view.severityButton(1)->setChecked(true);
        QCOMPARE(view.proxy()->rowCount(), all);

        // Sorting by any column keeps every row (the tester checks the signals).
        for (int column = 0; column < AlertQueueModel::NUM_COLUMNS; ++column) {
            view.table()->sortByColumn(column, Qt::DescendingOrder);
            QCOMPARE(view.proxy()->rowCount(), all);
        }
    }

    void mainWindowHasAlertsTabAndCounts()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend);
        QVERIFY(widgets::MainWindow::knownViews().contains(QStringLiteral("alerts")));
        QCOMPARE(window.viewTitle(QStringLiteral("alerts")), QStringLiteral("Alerts (0)"));
        QCOMPARE(window.alertCountsText(), QStringLiteral("no alerts firing"));
        breakTheOrchestrator(backend);
        if (QTest::currentTestFailed())
            return;
        const int p1 = window.alerts()->firingCounts()[1];
        QVERIFY(p1 >= 1);
        QVERIFY(window.alertCountsText().startsWith(QStringLiteral("P1 %1").arg(p1)));
        QCOMPARE(window.viewTitle(QStringLiteral("alerts")), QStringLiteral("Alerts (%1)").arg(p1 + window.alerts()->firingCounts()[2] + window.alerts()->firingCounts()[3] + window.alerts()->firingCounts()[4]));
        QVERIFY(window.setView(QStringLiteral("alerts")));
        QCOMPARE(window.currentView(), QStringLiteral("alerts"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.viewDock(QStringLiteral("alerts"))->isVisible());
        QVERIFY(!window.alerts()->visibleRegion().isEmpty());
    }

    void soundOnNewP1IsOptional()
    {
        QSettings().remove(QStringLiteral("alerts/soundOnP1"));
        {
            backends::SimulatedBackend backend(stepOptions());
            widgets::MainWindow window(&backend);
            QVERIFY(window.soundAction());
            QVERIFY(!window.soundAction()->isChecked()); // off unless asked for
            breakTheOrchestrator(backend);
            if (QTest::currentTestFailed())
                return;
            QVERIFY(window.alerts()->firingCounts()[1] >= 1);
            QCOMPARE(window.attentionSoundsPlayed(), 0);
            window.soundAction()->setChecked(true);
        }
        // Remembered: the next console rings once for the burst of new P1s.
        backends::SimulatedBackend backend(stepOptions());
        widgets::MainWindow window(&backend);
        QVERIFY(window.soundAction()->isChecked());
        breakTheOrchestrator(backend);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(window.attentionSoundsPlayed(), 1);
        QSettings().remove(QStringLiteral("alerts/soundOnP1"));
    }
};

QTEST_MAIN(TestAlertQueueView)
#include "tst_alert_queue_view.moc"
