// The instructor panel over a SimulatedBackend in step mode: it lists every fault,
// Inject puts the chosen fault (with its target and strength) into the cluster, the
// panel shows it active with a log line on the simulated clock, and Heal clears it.
#include "backends/simulated/simulated_backend.h"
#include "widgets/instructor_panel.h"
#include "widgets/sim_labels.h"
#include "widgets/theme.h"

#include <QApplication>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QTest>
#include <QTreeWidget>

using namespace opsdeck;
using sim::FaultKind;

namespace {
constexpr std::int64_t kMinute = 60'000;

backends::SimulatedBackendOptions stepOptions()
{
    backends::SimulatedBackendOptions o;
    o.config.seed = 11;
    o.threaded = false;
    return o;
}

int readyModelServers(const backends::SimulatedBackend &backend)
{
    int ready = 0;
    for (const auto &s : backend.latestSnapshot()->health.services)
        if (s.component == "model-server" && s.region == backend.latestSnapshot()->health.activeRegion)
            ready += s.ready;
    return ready;
}
} // namespace

class TestInstructorPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
        widgets::theme::apply(*qApp, QStringLiteral("dark"));
    }

    void listsEveryFaultWithADescription()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::InstructorPanel panel(&backend);
        QCOMPARE(panel.faultList()->topLevelItemCount(), int(sim::allFaults().size()));
        for (FaultKind kind : sim::allFaults()) {
            panel.selectFault(kind);
            QCOMPARE(panel.selectedFault(), std::optional<FaultKind>(kind));
            QVERIFY2(!widgets::faultDescription(kind).isEmpty(), sim::faultName(kind));
            QCOMPARE(panel.pendingSpec().kind, kind);
        }
        QVERIFY(panel.isEnabled());
    }

    void injectShowsActiveAndLogsItThenHealClearsIt()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::InstructorPanel panel(&backend);
        panel.show();
        backend.step(2 * kMinute);
        const int readyBefore = readyModelServers(backend);
        QVERIFY(readyBefore > 0);
        const std::size_t eventsBefore = backend.latestSnapshot()->eventCount;

        panel.selectFault(FaultKind::ModelServerCrash);
        QVERIFY(!panel.healButton()->isEnabled()); // nothing to heal yet
        QTest::mouseClick(panel.injectButton(), Qt::LeftButton);
        backend.step(30'000);
        QVERIFY(backend.latestSnapshot()->eventCount > eventsBefore);
        QVERIFY(panel.isActive(FaultKind::ModelServerCrash));
        QCOMPARE(panel.activeCount(), std::size_t(1));
        QVERIFY(panel.logRows() >= 1);
        const QString line = panel.logText(panel.logRows() - 1);
        QVERIFY2(line.contains(QLatin1String("model-server-crash")), qPrintable(line));
        QVERIFY2(line.startsWith(QLatin1String("T+00:02:00 (00:02:00 UTC)")), qPrintable(line));
        QVERIFY(readyModelServers(backend) < readyBefore); // the cluster really lost them
        QVERIFY(panel.healButton()->isEnabled());
        if (const QString dir = qEnvironmentVariable("OPSDECK_MAP_SCREENSHOTS"); !dir.isEmpty()) {
            panel.resize(460, 820);
            QVERIFY(panel.grab().save(dir + QStringLiteral("/instructor-panel.png")));
        }
        const std::vector<FaultKind> faults = sim::allFaults();
        const int row = int(std::find(faults.begin(), faults.end(), FaultKind::ModelServerCrash) - faults.begin());
        QVERIFY(panel.faultList()->topLevelItem(row)->text(1).startsWith(QLatin1String("ACTIVE since T+00:02:00")));

        QTest::mouseClick(panel.healButton(), Qt::LeftButton);
        backend.step(1000);
        QVERIFY(!panel.isActive(FaultKind::ModelServerCrash));
        QCOMPARE(panel.activeCount(), std::size_t(0));
        QVERIFY(panel.logText(panel.logRows() - 1).contains(QLatin1String("healed")));
        QVERIFY(!panel.healButton()->isEnabled());
        QCOMPARE(panel.faultList()->topLevelItem(row)->text(1), QStringLiteral("idle"));
    }

    void targetAndStrengthGoIntoTheFault()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::InstructorPanel panel(&backend);
        backend.step(kMinute);

        panel.selectFault(FaultKind::BadDeploy);
        QVERIFY(panel.targetCombo()->isVisibleTo(&panel));
        QCOMPARE(panel.targetCombo()->currentText(), QStringLiteral("agent-orchestrator"));
        panel.targetCombo()->setCurrentIndex(panel.targetCombo()->findData(QStringLiteral("safety-filter")));
        panel.strengthSpin()->setValue(0.5);
        sim::FaultSpec spec = panel.pendingSpec();
        QCOMPARE(spec.target, std::string("safety-filter"));
        QCOMPARE(spec.params.at("error_rate"), std::string("0.5"));
        QCOMPARE(spec.params.count("region"), std::size_t(0)); // default: the serving region

        panel.selectFault(FaultKind::RegionFailure);
        QVERIFY(!panel.regionCombo()->isVisibleTo(&panel));
        QCOMPARE(panel.targetCombo()->currentText(), QStringLiteral("us-east-1"));
        panel.targetCombo()->setCurrentIndex(panel.targetCombo()->findData(QStringLiteral("us-west-2")));
        QCOMPARE(panel.pendingSpec().target, std::string("us-west-2"));

        // A traffic surge has no target, only a factor; inject it and see demand move.
        panel.selectFault(FaultKind::TrafficSurge);
        QVERIFY(!panel.targetCombo()->isVisibleTo(&panel));
        panel.strengthSpin()->setValue(4);
        spec = panel.pendingSpec();
        QCOMPARE(spec.params.at("factor"), std::string("4"));
        const double before = backend.latestSnapshot()->health.requestRatePerMin;
        panel.inject();
        backend.step(5 * kMinute);
        QVERIFY(panel.isActive(FaultKind::TrafficSurge));
        QVERIFY2(backend.latestSnapshot()->health.requestRatePerMin > 2.5 * before,
                 qPrintable(QString::number(backend.latestSnapshot()->health.requestRatePerMin)));
    }

    void rejectedFaultIsLoggedAsFailedNotActive()
    {
        backends::SimulatedBackend backend(stepOptions());
        widgets::InstructorPanel panel(&backend);
        backend.step(kMinute);
        panel.selectFault(FaultKind::MemoryLeak);
        panel.targetCombo()->addItem(QStringLiteral("no-such-deployment"), QStringLiteral("no-such-deployment"));
        panel.targetCombo()->setCurrentIndex(panel.targetCombo()->count() - 1);
        panel.inject();
        backend.step(1000);
        QVERIFY(!panel.isActive(FaultKind::MemoryLeak));
        QVERIFY(panel.logText(panel.logRows() - 1).contains(QLatin1String("rejected")));
    }
};

QTEST_MAIN(TestInstructorPanel)
#include "tst_instructor_panel.moc"
