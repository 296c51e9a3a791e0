// RemediationController and its confirmation dialog over a SimulatedBackend in step mode:
// a bad deploy fires HighErrorRate, a rollback through the controller (dialog found and
// accepted as an operator would) resolves it; scale to 0 needs the typed name; Escape
// cancels; a failing action says why; presets apply as one confirmation. Simulated time
// only, no wall-clock waits.
#include "actions_test_support.h"
#include "widgets/action_confirm_dialog_preview.h"
#include "widgets/remediation_controller_log.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>

using namespace opsdeck;
using namespace opsdeck::testing;
using widgets::ActionConfirmDialog;
using widgets::RemediationController;
using widgets::RemediationLogModel;

namespace {
sim::ActionSpec makeSpec(sim::ActionKind kind, const std::string &target, std::map<std::string, std::string> params = {})
{
    sim::ActionSpec s;
    s.kind = kind;
    s.target = target;
    s.params = std::move(params);
    return s;
}

sim::ActionResult lastResult(const QSignalSpy &spy)
{
    return spy.last().at(1).value<sim::ActionResult>();
}
} // namespace

class TestRemediation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
        QStandardPaths::setTestModeEnabled(true); // QSettings under a test location
        QCoreApplication::setOrganizationName(QStringLiteral("opsdeck-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_remediation"));
        QSettings().remove(QStringLiteral("operator/name"));
    }

    void rollbackThroughTheControllerResolvesHighErrorRate()
    {
        backends::SimulatedBackend backend(stepOptions());
        QWidget window;
        RemediationController controller(&backend, &window);
        controller.setOperatorName(QStringLiteral("alice"));
        QAbstractItemModelTester tester(controller.log(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        backend.step(2 * kMinuteMs);
        const sim::Deployment *before = deployment(backend, "agent-orchestrator");
        QVERIFY(before);
        const std::string goodImage = before->podTemplate.containers.front().image;
        QVERIFY(backend.injectFault(sim::FaultSpec{sim::FaultKind::BadDeploy, "agent-orchestrator", {}}));
        QVERIFY2(stepUntilFiring(backend, "HighErrorRate", 10), "HighErrorRate never fired after a bad deploy");
        const std::string badImage = deployment(backend, "agent-orchestrator")->podTemplate.containers.front().image;
        QVERIFY(badImage != goodImage);

        QSignalSpy started(&controller, &RemediationController::actionStarted);
        QSignalSpy finished(&controller, &RemediationController::actionFinished);
        controller.request(makeSpec(sim::ActionKind::Rollback, "agent-orchestrator"));
        QVERIFY(started.isEmpty()); // nothing happens before the operator confirms
        auto *dialog = window.findChild<ActionConfirmDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog, controller.pendingDialog());
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->confirmField() == nullptr); // a rollback is not destructive
        // States exactly what changes: the images both ways and the revisions.
        const QString changes = dialog->changeLines().join(QLatin1Char('\n'));
        QVERIFY2(changes.contains(QString::fromStdString(badImage) + QStringLiteral(" → ") + QString::fromStdString(goodImage)),
                 qPrintable(changes));
        QVERIFY2(changes.contains(QLatin1String("revision")), qPrintable(changes));
        // The revision history is shown before confirming, newest first: what runs now and
        // what the undo goes back to.
        const QString goodTag = QString::fromStdString(goodImage).section(QLatin1Char(':'), -1);
        const QString badTag = QString::fromStdString(badImage).section(QLatin1Char(':'), -1);
        QVERIFY2(changes.contains(QStringLiteral("Revision history: ")), qPrintable(changes));
        QVERIFY2(changes.contains(badTag + QStringLiteral(" (current)")), qPrintable(changes));
        QVERIFY2(changes.contains(goodTag + QStringLiteral(" (undo target)")), qPrintable(changes));
        const QString kubectl = dialog->kubectlText();
        QCOMPARE(kubectl, QStringLiteral("kubectl rollout undo deployment/agent-orchestrator -n chatgpt-agent"));
        confirm(dialog);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 2000);
        QCOMPARE(started.size(), 1);
        const sim::ActionResult result = lastResult(finished);
        QVERIFY2(result.ok, result.message.c_str());
        QCOMPARE(QString::fromStdString(result.kubectl), kubectl); // the dialog promised what was run
        QCOMPARE(finished.last().at(0).value<sim::ActionSpec>().actor, std::string("alice"));
        QVERIFY(controller.pendingDialog() == nullptr);

        // Recorded: who / what / when / result.
        QCOMPARE(controller.log()->rowCount(), 1);
        const auto *entry = controller.log()->entry(0);
        QCOMPARE(entry->who, QStringLiteral("alice"));
        QCOMPARE(entry->state, RemediationLogModel::Succeeded);
        QVERIFY(entry->epochMs > 0);
        QVERIFY(controller.log()->index(0, RemediationLogModel::ResultColumn).data().toString().contains(QLatin1String("rolled back")));

        backend.step(20 * kMinuteMs);
        QVERIFY2(!alertFiring(backend, "HighErrorRate"), "HighErrorRate still firing 20 min after the rollback");
        QCOMPARE(deployment(backend, "agent-orchestrator")->podTemplate.containers.front().image, goodImage);
    }

    void scaleToZeroNeedsTheTypedName()
    {
        backends::SimulatedBackend backend(stepOptions());
        QWidget window;
        RemediationController controller(&backend, &window);
        backend.step(kMinuteMs);
        const int replicas = deployment(backend, "model-server")->replicas;
        QVERIFY(replicas > 0);
        QSignalSpy finished(&controller, &RemediationController::actionFinished);
        controller.request(makeSpec(sim::ActionKind::Scale, "model-server", {{"replicas", "0"}}));
        ActionConfirmDialog *dialog = controller.pendingDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->confirmField());
        QCOMPARE(dialog->requiredConfirmation(), QStringLiteral("model-server"));
        QVERIFY(dialog->changeLines().join(QLatin1Char('\n')).contains(QStringLiteral("replicas %1 → 0").arg(replicas)));
        QVERIFY(!dialog->okButton()->isEnabled());
        QTest::keyClicks(dialog->confirmField(), QStringLiteral("model-serv"));
        QVERIFY(!dialog->okButton()->isEnabled());
        QTest::keyClicks(dialog->confirmField(), QStringLiteral("er"));
        QVERIFY(dialog->okButton()->isEnabled());
        QTest::keyClicks(dialog->confirmField(), QStringLiteral("x")); // one too many
        QVERIFY(!dialog->okButton()->isEnabled());
        QTest::keyClick(dialog->confirmField(), Qt::Key_Backspace);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 2000);
        QVERIFY(lastResult(finished).ok);
        backend.step(1000); // the next snapshot carries the new inventory
        QCOMPARE(deployment(backend, "model-server")->replicas, 0);
    }

    void destructiveActionsAskForTheirTarget_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("typed");
        QTest::newRow("failover") << int(sim::ActionKind::Failover) << QString() << QStringLiteral("us-west-2");
        QTest::newRow("restore") << int(sim::ActionKind::Restore) << QStringLiteral("state-db") << QStringLiteral("state-db");
        QTest::newRow("isolate") << int(sim::ActionKind::IsolateResources) << QString() << QStringLiteral("virtual-computer");
    }

    void notPermittedKeepsApplyDisabledWithTheReason()
    {
        // What RemoteBackend::whyNotAllowed reports (RBAC says no) wins over the typed name.
        sim::ActionSpec scale;
        scale.kind = sim::ActionKind::Scale;
        scale.target = "model-server";
        scale.params["replicas"] = "0";
        std::vector<widgets::ActionPreview> previews{widgets::previewAction(scale, nullptr)};
        ActionConfirmDialog dialog(QStringLiteral("Scale model-server"), std::move(previews));
        QVERIFY(dialog.confirmField());
        dialog.confirmField()->setText(dialog.requiredConfirmation());
        QVERIFY(dialog.okButton()->isEnabled());
        dialog.setNotAllowed(QStringLiteral("auth can-i patch deployments/scale -n chatgpt-agent: no (viewer)"));
        QVERIFY(!dialog.okButton()->isEnabled());
        auto *label = dialog.findChild<QLabel *>(QStringLiteral("notAllowed"));
        QVERIFY(label);
        QVERIFY(label->text().contains(QLatin1String("no (viewer)")));
        dialog.confirmField()->setText(dialog.requiredConfirmation() + QStringLiteral(" "));
        QVERIFY(!dialog.okButton()->isEnabled()); // typing again does not re-enable it
    }

    void destructiveActionsAskForTheirTarget()
    {
        QFETCH(int, kind);
        QFETCH(QString, target);
        QFETCH(QString, typed);
        backends::SimulatedBackend backend(stepOptions());
        QWidget window;
        RemediationController controller(&backend, &window);
        backend.step(kMinuteMs);
        controller.request(makeSpec(static_cast<sim::ActionKind>(kind), target.toStdString()));
        ActionConfirmDialog *dialog = controller.pendingDialog();
        QVERIFY(dialog && dialog->confirmField());
        QCOMPARE(dialog->requiredConfirmation(), typed);
        QVERIFY(!dialog->okButton()->isEnabled());
        dialog->confirmField()->setText(typed);
        QVERIFY(dialog->okButton()->isEnabled());
        dialog->reject();
    }

    void escapeCancelsAndNothingIsApplied()
    {
        backends::SimulatedBackend backend(stepOptions());
        QWidget window;
        RemediationController controller(&backend, &window);
        backend.step(kMinuteMs);
        QSignalSpy cancelled(&controller, &RemediationController::cancelled);
        QSignalSpy finished(&controller, &RemediationController::actionFinished);
        controller.request(makeSpec(sim::ActionKind::SafetyMode, "agent-orchestrator", {{"enabled", "true"}}));
        ActionConfirmDialog *dialog = controller.pendingDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->kubectlText().contains(QLatin1String("./enable_safety_mode.sh")));
        QTest::keyClick(dialog, Qt::Key_Escape);
        QCOMPARE(cancelled.size(), 1);
        QCoreApplication::processEvents();
        QCOMPARE(finished.size(), 0);
        QCOMPARE(controller.log()->rowCount(), 0);
        QVERIFY(controller.pendingDialog() == nullptr);
    }

    void failingActionSaysWhy()
    {
        backends::SimulatedBackend backend(stepOptions());
        QWidget window;
        RemediationController controller(&backend, &window);
        backend.step(kMinuteMs);
        QSignalSpy finished(&controller, &RemediationController::actionFinished);
        controller.request(makeSpec(sim::ActionKind::Rollback, "no-such-deployment"));
        ActionConfirmDialog *dialog = controller.pendingDialog();
        QVERIFY(dialog);
        // The dialog already warns; the operator may still send it (the cluster decides).
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("warning")));
        confirm(dialog);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 2000);
        const sim::ActionResult result = lastResult(finished);
        QVERIFY(!result.ok);
        QVERIFY2(result.message.find("no deployment 'no-such-deployment'") != std::string::npos, result.message.c_str());
        const QString shown = controller.log()->index(0, RemediationLogModel::ResultColumn).data().toString();
        QVERIFY2(shown.contains(QLatin1String("FAILED")) && shown.contains(QLatin1String("no-such-deployment")), qPrintable(shown));
        QCOMPARE(controller.log()->entry(0)->state, RemediationLogModel::Failed);
    }

    void highLoadPresetIsOneConfirmation()
    {
        backends::SimulatedBackend backend(stepOptions());
        QWidget window;
        RemediationController controller(&backend, &window);
        backend.step(kMinuteMs);
        QSignalSpy finished(&controller, &RemediationController::actionFinished);
        std::vector<sim::ActionSpec> specs{makeSpec(sim::ActionKind::Scale, "agent-orchestrator", {{"replicas", "50"}}),
                                           makeSpec(sim::ActionKind::Scale, "virtual-computer", {{"replicas", "100"}}),
                                           makeSpec(sim::ActionKind::Scale, "model-server", {{"replicas", "20"}})};
        controller.requestBatch(QStringLiteral("Scale for a high load event"), specs);
        ActionConfirmDialog *dialog = controller.pendingDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->previews().size(), std::size_t(3));
        QCOMPARE(dialog->kubectlText().count(QLatin1String("kubectl scale")), 3);
        QVERIFY(dialog->changeLines().join(QLatin1Char('\n')).contains(QStringLiteral(" → 100")));
        confirm(dialog);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 2000);
        for (const auto &call : finished)
            QVERIFY(call.at(1).value<sim::ActionResult>().ok);
        backend.step(1000);
        QCOMPARE(deployment(backend, "virtual-computer")->replicas, 100);
        QCOMPARE(deployment(backend, "model-server")->replicas, 20);
        QCOMPARE(deployment(backend, "agent-orchestrator")->replicas, 50);
        QCOMPARE(controller.log()->rowCount(), 3);
    }

    void operatorNameComesFromSettings()
    {
        backends::SimulatedBackend backend(stepOptions());
        QSettings().setValue(QStringLiteral("operator/name"), QStringLiteral("bob"));
        RemediationController controller(&backend, nullptr);
        QCOMPARE(controller.operatorName(), QStringLiteral("bob"));
        QSettings().remove(QStringLiteral("operator/name"));
        RemediationController fallback(&backend, nullptr);
        QVERIFY(!fallback.operatorName().isEmpty());
        QVERIFY(fallback.operatorName() != QLatin1String("bob"));
    }

    void previewMatchesTheSimulatorsCommand_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::newRow("scale") << int(sim::ActionKind::Scale) << QStringLiteral("virtual-computer") << QStringLiteral("replicas") << QStringLiteral("40");
        QTest::newRow("set-image") << int(sim::ActionKind::SetImage) << QStringLiteral("agent-orchestrator") << QStringLiteral("image") << QStringLiteral("v2.99.0");
        QTest::newRow("canary") << int(sim::ActionKind::Canary) << QStringLiteral("agent-orchestrator") << QStringLiteral("image") << QStringLiteral("v2.99.0");
        QTest::newRow("progressive") << int(sim::ActionKind::ProgressiveRollout) << QString() << QStringLiteral("image") << QStringLiteral("v2.99.0");
        QTest::newRow("restart") << int(sim::ActionKind::Restart) << QStringLiteral("model-server") << QString() << QString();
        QTest::newRow("safety-mode") << int(sim::ActionKind::SafetyMode) << QString() << QString() << QString();
        QTest::newRow("circuit-breaker") << int(sim::ActionKind::CircuitBreaker) << QString() << QString() << QString();
        QTest::newRow("delete-failed") << int(sim::ActionKind::DeleteFailedPods) << QStringLiteral("model-server") << QString() << QString();
        QTest::newRow("rotate") << int(sim::ActionKind::RotateCredentials) << QString() << QString() << QString();
        QTest::newRow("backup") << int(sim::ActionKind::Backup) << QString() << QString() << QString();
        QTest::newRow("isolate") << int(sim::ActionKind::IsolateResources) << QString() << QString() << QString();
        QTest::newRow("filters") << int(sim::ActionKind::UpdatePromptFilters) << QString() << QString() << QString();
        QTest::newRow("db-pool") << int(sim::ActionKind::IncreaseDbPool) << QString() << QStringLiteral("size") << QStringLiteral("200");
        QTest::newRow("failover") << int(sim::ActionKind::Failover) << QString() << QStringLiteral("region") << QStringLiteral("us-west-2");
    }

    // What the dialog shows as the command is what the cluster reports it ran.
    void previewMatchesTheSimulatorsCommand()
    {
        QFETCH(int, kind);
        QFETCH(QString, target);
        QFETCH(QString, key);
        QFETCH(QString, value);
        backends::SimulatedBackend backend(stepOptions());
        backend.step(kMinuteMs);
        sim::ActionSpec spec = makeSpec(static_cast<sim::ActionKind>(kind), target.toStdString());
        if (!key.isEmpty())
            spec.params[key.toStdString()] = value.toStdString();
        const widgets::ActionPreview preview = widgets::previewAction(spec, backend.latestSnapshot().get());
        QVERIFY(preview.warning.isEmpty());
        QVERIFY(!preview.changes.isEmpty());
        std::optional<Result<sim::ActionResult>> result;
        QCoro::connect(backend.apply(spec), this, [&result](const Result<sim::ActionResult> &r) { result = r; });
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 2000);
        QVERIFY(*result && (*result)->ok);
        QCOMPARE(preview.kubectl, QString::fromStdString((*result)->kubectl));
    }
};

QTEST_MAIN(TestRemediation)
#include "tst_remediation.moc"
