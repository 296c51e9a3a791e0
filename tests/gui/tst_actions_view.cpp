// The Actions view over a SimulatedBackend in step mode: the pre-deployment checklist
// blocks deploys until complete (and says what is missing); a progressive rollout shows
// its stages advancing and, with a bad image, the automatic rollback; a failed action
// says why inline; the service map's component filter; Diagnose finds the DB pool
// exhaustion and its one-click action fixes it. Renders screenshots for review.
#include "actions_test_support.h"
#include "widgets/actions_view.h"
#include "widgets/actions_view_rollout.h"
#include "widgets/checklist_widget.h"
#include "widgets/diagnose_panel.h"
#include "widgets/remediation_controller_log.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QProgressBar>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>

using namespace opsdeck;
using namespace opsdeck::testing;
using widgets::ActionsView;
using widgets::PreDeploymentChecklist;
using widgets::RemediationController;
using widgets::RolloutProgress;

namespace {
struct Console {
    backends::SimulatedBackend backend;
    QWidget window;
    RemediationController controller{&backend, &window};
    ActionsView *view = new ActionsView(&backend, &controller, &window);
    explicit Console(const backends::SimulatedBackendOptions &options = stepOptions())
        : backend(options)
    {
        controller.setOperatorName(QStringLiteral("carol"));
        window.resize(1500, 1000);
        view->resize(1500, 1000);
    }
};

void completeChecklist(PreDeploymentChecklist *checklist)
{
    for (int i = 0; i < PreDeploymentChecklist::ItemCount; ++i) {
        const auto item = static_cast<PreDeploymentChecklist::Item>(i);
        if (!checklist->isFromCluster(item))
            checklist->setChecked(item, true);
    }
}

std::string repository(const backends::ClusterBackend &backend)
{
    const std::string image = deployment(backend, "agent-orchestrator")->podTemplate.containers.front().image;
    return image.substr(0, image.rfind(':'));
}

// Clicks `button` in the view, confirms the dialog and waits for the outcome.
sim::ActionResult clickAndConfirm(Console &c, QPushButton *button, const QString &typed = {})
{
    QSignalSpy finished(&c.controller, &RemediationController::actionFinished);
    if (!button || !button->isEnabled()) {
        QTest::qFail("button missing or disabled", __FILE__, __LINE__);
        return {};
    }
    QTest::mouseClick(button, Qt::LeftButton);
    confirm(c.controller.pendingDialog(), typed);
    if (!QTest::qWaitFor([&] { return finished.size() >= 1; }, 2000)) {
        QTest::qFail("no actionFinished", __FILE__, __LINE__);
        return {};
    }
    return finished.last().at(1).value<sim::ActionResult>();
}
} // namespace

class TestActionsView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
        QStandardPaths::setTestModeEnabled(true);
    }

    void checklistBlocksDeployUntilComplete()
    {
        Console c;
        c.backend.step(kMinuteMs);
        PreDeploymentChecklist *checklist = c.view->checklist();
        // Filled from the cluster: agent-orchestrator has a previous ReplicaSet.
        QVERIFY(checklist->isChecked(PreDeploymentChecklist::RollbackPlan));
        QVERIFY(!checklist->checkBox(PreDeploymentChecklist::RollbackPlan)->isEnabled());
        QVERIFY(!checklist->setChecked(PreDeploymentChecklist::RollbackPlan, false)); // not the operator's to tick
        QVERIFY(checklist->checkBox(PreDeploymentChecklist::RollbackPlan)->text().contains(QLatin1String("revision")));

        c.view->versionField()->setText(QStringLiteral("v2.99.0"));
        for (const char *name : {"deploy", "canary", "progressive"})
            QVERIFY2(!c.view->button(QLatin1String(name))->isEnabled(), name);
        auto *blocked = c.view->findChild<QLabel *>(QStringLiteral("deployBlocked"));
        QVERIFY(blocked->text().contains(QLatin1String("security scan")));
        QVERIFY(blocked->text().contains(QLatin1String("on-call notified")));
        // The cluster filled the rollback plan: the blocked line must not ask for it.
        QVERIFY2(!blocked->text().contains(QLatin1String("rollback plan")), qPrintable(blocked->text()));

        // Tick all but one: still blocked, and it names the one missing.
        for (int i = 0; i < PreDeploymentChecklist::ItemCount; ++i) {
            const auto item = static_cast<PreDeploymentChecklist::Item>(i);
            if (item != PreDeploymentChecklist::ChangeApproval && !checklist->isFromCluster(item))
                QTest::mouseClick(checklist->checkBox(item), Qt::LeftButton);
        }
        QVERIFY(!c.view->button(QStringLiteral("deploy"))->isEnabled());
        QCOMPARE(checklist->missing(), QStringList{QStringLiteral("change approval")});
        QVERIFY(blocked->text().contains(QLatin1String("change approval")));
        QTest::mouseClick(checklist->checkBox(PreDeploymentChecklist::ChangeApproval), Qt::LeftButton);
        QVERIFY(checklist->isComplete());
        for (const char *name : {"deploy", "canary", "progressive"})
            QVERIFY2(c.view->button(QLatin1String(name))->isEnabled(), name);

        // Deploy through the view: the deployment runs the new image; the next deploy is checked again.
        const sim::ActionResult r = clickAndConfirm(c, c.view->button(QStringLiteral("deploy")));
        QVERIFY2(r.ok, r.message.c_str());
        c.backend.step(1000); // the next snapshot carries the new inventory
        QCOMPARE(deployment(c.backend, "agent-orchestrator")->podTemplate.containers.front().image, repository(c.backend) + ":v2.99.0");
        QVERIFY(!checklist->isComplete());
        QVERIFY(!c.view->button(QStringLiteral("deploy"))->isEnabled());
    }

    void progressiveRolloutShowsStagesAdvancing()
    {
        Console c;
        c.backend.step(kMinuteMs);
        completeChecklist(c.view->checklist());
        c.view->versionField()->setText(QStringLiteral("v2.15.1"));
        const sim::ActionResult r = clickAndConfirm(c, c.view->button(QStringLiteral("progressive")));
        QVERIFY2(r.ok, r.message.c_str());
        widgets::RolloutProgressPanel *panel = c.view->rolloutPanel();
        c.backend.step(2 * kMinuteMs);
        QTRY_COMPARE_WITH_TIMEOUT(panel->progress().state, RolloutProgress::State::Running, 2000);
        QCOMPARE(panel->progress().stage, 0);
        const int partial = panel->stageBar(0)->value();
        QVERIFY2(partial > 0 && partial < 1000, qPrintable(QString::number(partial))); // 2 of 5 minutes
        QCOMPARE(panel->stageBar(1)->value(), 0);

        c.backend.step(4 * kMinuteMs); // past 5 min: 25 %
        QTRY_COMPARE_WITH_TIMEOUT(panel->progress().stage, 1, 2000);
        QCOMPARE(panel->stageBar(0)->value(), 1000);
        QVERIFY(panel->statusText().contains(QLatin1String("25 %")));
        c.backend.step(5 * kMinuteMs);
        QTRY_COMPARE_WITH_TIMEOUT(panel->progress().stage, 2, 2000);
        c.backend.step(18 * kMinuteMs); // 50 % for 5 min, then 100 % for 10 min
        QTRY_COMPARE_WITH_TIMEOUT(panel->progress().state, RolloutProgress::State::Completed, 2000);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(panel->stageBar(i)->value(), 1000);
        QCOMPARE(deployment(c.backend, "agent-orchestrator")->podTemplate.containers.front().image, repository(c.backend) + ":v2.15.1");
    }

    void progressiveRolloutOfABadImageRollsBackByItself()
    {
        Console c;
        c.backend.step(kMinuteMs);
        const std::string bad = repository(c.backend) + ":v9.9.9";
        // Make v9.9.9 a known-bad image (the instructor's bad deploy), then undo it on the main deployment.
        QVERIFY(c.backend.injectFault(sim::FaultSpec{sim::FaultKind::BadDeploy, "agent-orchestrator", {{"image", bad}}}));
        c.backend.step(kMinuteMs);
        sim::ActionSpec undo;
        undo.kind = sim::ActionKind::Rollback;
        undo.target = "agent-orchestrator";
        c.controller.request(undo);
        confirm(c.controller.pendingDialog());
        c.backend.step(5 * kMinuteMs);
        QVERIFY(deployment(c.backend, "agent-orchestrator")->podTemplate.containers.front().image != bad);

        completeChecklist(c.view->checklist());
        c.view->versionField()->setText(QStringLiteral("v9.9.9"));
        const sim::ActionResult r = clickAndConfirm(c, c.view->button(QStringLiteral("progressive")));
        QVERIFY2(r.ok, r.message.c_str());
        widgets::RolloutProgressPanel *panel = c.view->rolloutPanel();
        for (int i = 0; i < 20 && panel->progress().state != RolloutProgress::State::RolledBack; ++i) {
            c.backend.step(kMinuteMs / 2);
            QCoreApplication::processEvents();
        }
        QTRY_COMPARE_WITH_TIMEOUT(panel->progress().state, RolloutProgress::State::RolledBack, 2000);
        QCOMPARE(panel->progress().stage, 0); // failed at 5 %, never reached 25 %
        QVERIFY2(panel->statusText().contains(QLatin1String("AUTOMATIC ROLLBACK")), qPrintable(panel->statusText()));
        QVERIFY2(panel->statusText().contains(QLatin1String("error ratio")), qPrintable(panel->statusText()));
        QCOMPARE(panel->stageBar(0)->format(), QStringLiteral("rolled back"));
        QCOMPARE(panel->stageBar(1)->value(), 0);
        QVERIFY(deployment(c.backend, "agent-orchestrator")->podTemplate.containers.front().image != bad);
    }

    void failedActionSaysWhyInline()
    {
        Console c;
        QAbstractItemModelTester tester(c.view->recentActions()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        c.backend.step(kMinuteMs);
        // A restore takes the DB offline for about 8 min; a second one meanwhile is refused.
        QVERIFY(clickAndConfirm(c, c.view->button(QStringLiteral("restore")), QStringLiteral("state-db")).ok);
        const sim::ActionResult r = clickAndConfirm(c, c.view->button(QStringLiteral("restore")), QStringLiteral("state-db"));
        QVERIFY(!r.ok);
        QVERIFY(c.view->lastResultLabel()->text().contains(QLatin1String("FAILED")));
        QVERIFY2(c.view->lastResultLabel()->text().contains(QLatin1String("a restore is already in progress")),
                 qPrintable(c.view->lastResultLabel()->text()));
        QAbstractItemModel *recent = c.view->recentActions()->model();
        QCOMPARE(recent->rowCount(), 2);
        QCOMPARE(recent->index(0, widgets::RemediationLogModel::WhoColumn).data().toString(), QStringLiteral("carol"));
        QVERIFY(recent->index(0, widgets::RemediationLogModel::ResultColumn).data().toString().contains(QLatin1String("already in progress")));
        QVERIFY(recent->index(0, widgets::RemediationLogModel::CommandColumn).data().toString().startsWith(QLatin1String("kubectl exec")));

        // Once the restore is done, the same click works again.
        c.backend.step(9 * kMinuteMs);
        QVERIFY(clickAndConfirm(c, c.view->button(QStringLiteral("restore")), QStringLiteral("state-db")).ok);
        QCOMPARE(recent->rowCount(), 3);
    }

    void componentFilterShowsWhatConcernsIt()
    {
        Console c;
        c.backend.step(kMinuteMs);
        c.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&c.window));
        QVERIFY(c.view->button(QStringLiteral("failover"))->isVisible());
        c.view->setComponentFilter(QStringLiteral("state-db"));
        QCOMPARE(c.view->deploymentBox()->currentText(), QStringLiteral("state-db"));
        QVERIFY(c.view->button(QStringLiteral("backup"))->isVisible());
        QVERIFY(c.view->button(QStringLiteral("rollback"))->isVisible()); // per-deployment: targets state-db now
        QVERIFY(!c.view->button(QStringLiteral("failover"))->isVisible());
        QVERIFY(!c.view->button(QStringLiteral("canary"))->isVisible());
        c.view->setComponentFilter(QStringLiteral("model-server"));
        QVERIFY(c.view->button(QStringLiteral("presetHighLoad"))->isVisible());
        QVERIFY(!c.view->button(QStringLiteral("backup"))->isVisible());
        // The scale button acts on the filtered component.
        c.view->replicasBox()->setValue(7);
        QVERIFY(clickAndConfirm(c, c.view->button(QStringLiteral("scale"))).ok);
        c.backend.step(1000);
        QCOMPARE(deployment(c.backend, "model-server")->replicas, 7);
        c.view->setComponentFilter({});
        QVERIFY(c.view->button(QStringLiteral("failover"))->isVisible());
        QVERIFY(c.view->button(QStringLiteral("backup"))->isVisible());
    }

    void diagnoseFindsDbPoolExhaustionAndItsActionWorks()
    {
        Console c(busyOptions());
        c.backend.step(3 * kMinuteMs);
        QVERIFY(c.backend.injectFault(sim::FaultSpec{sim::FaultKind::DbPoolExhaustion, {}, {}}));
        c.backend.step(5 * kMinuteMs);
        widgets::DiagnosePanel *panel = c.view->diagnosePanel();
        QSignalSpy done(panel, &widgets::DiagnosePanel::finished);
        QTest::mouseClick(panel->runButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 5000);
        const models::Finding *primary = panel->report().primary();
        QVERIFY2(primary, qPrintable(panel->summaryText()));
        QCOMPARE(primary->check.area, models::DiagnosisArea::Database);
        QVERIFY(primary->action && primary->action->kind == sim::ActionKind::IncreaseDbPool);
        const int index = static_cast<int>(primary - panel->report().findings.data());
        QPushButton *fix = panel->actionButton(index);
        QVERIFY(fix);
        const sim::ActionResult r = clickAndConfirm(c, fix);
        QVERIFY2(r.ok, r.message.c_str());
        c.backend.step(5 * kMinuteMs);
        QTest::mouseClick(panel->runButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 2, 5000);
        for (const auto &f : panel->report().findings)
            if (f.check.area == models::DiagnosisArea::Database)
                QVERIFY2(!f.breached, qPrintable(f.check.title + QStringLiteral(": ") + f.valueText()));
    }

    // Renders the view (mid-incident: a rollout running, a finding, a failure) and the
    // dialog to the temp dir for review; asserts they rendered at a readable size.
    void screenshots()
    {
        Console c(busyOptions());
        c.window.show();
        c.backend.step(3 * kMinuteMs);
        QVERIFY(c.backend.injectFault(sim::FaultSpec{sim::FaultKind::DbPoolExhaustion, {}, {}}));
        c.backend.step(4 * kMinuteMs);
        completeChecklist(c.view->checklist());
        c.view->checklist()->setChecked(PreDeploymentChecklist::OnCallNotified, false);
        QVERIFY(clickAndConfirm(c, c.view->button(QStringLiteral("restore")), QStringLiteral("state-db")).ok);
        QVERIFY(!clickAndConfirm(c, c.view->button(QStringLiteral("restore")), QStringLiteral("state-db")).ok);
        completeChecklist(c.view->checklist());
        c.view->versionField()->setText(QStringLiteral("v2.15.1"));
        QVERIFY(clickAndConfirm(c, c.view->button(QStringLiteral("progressive"))).ok);
        c.view->versionField()->setText(QStringLiteral("v2.15.1"));
        c.backend.step(7 * kMinuteMs);
        QSignalSpy done(c.view->diagnosePanel(), &widgets::DiagnosePanel::finished);
        QTest::mouseClick(c.view->diagnosePanel()->runButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 5000);
        QCoreApplication::processEvents();
        const QString dir = QDir::tempPath();
        const QPixmap view = c.view->grab();
        QVERIFY(view.width() >= 1400);
        QVERIFY(view.save(dir + QStringLiteral("/opsdeck-actions-view.png")));

        sim::ActionSpec scale;
        scale.kind = sim::ActionKind::Scale;
        scale.target = "model-server";
        scale.params["replicas"] = "0";
        c.controller.request(scale);
        auto *dialog = c.controller.pendingDialog();
        QVERIFY(dialog);
        dialog->confirmField()->setText(QStringLiteral("model-"));
        QCoreApplication::processEvents();
        QVERIFY(dialog->grab().save(dir + QStringLiteral("/opsdeck-action-dialog.png")));
        dialog->reject();
        sim::ActionSpec rollback;
        rollback.kind = sim::ActionKind::Rollback;
        c.controller.request(rollback);
        QCoreApplication::processEvents();
        QVERIFY(c.controller.pendingDialog()->grab().save(dir + QStringLiteral("/opsdeck-action-dialog-rollback.png")));
        c.controller.pendingDialog()->reject();
    }
};

QTEST_MAIN(TestActionsView)
#include "tst_actions_view.moc"
