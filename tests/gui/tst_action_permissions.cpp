// Buttons the cluster refuses are greyed out before anyone clicks them (issue 6): over a
// step-mode simulation whose RBAC the test decides (a ClusterBackend subclass that denies
// some action kinds with a reason, holds questions open, or fails them), the Actions
// view, the service map's context menu and the incident checklist's action steps follow
// RemediationController::permissions(). No wall-clock waits: answers come back on the
// event loop (QTRY_) and the minute's refresh is called, not waited for.
#include "actions_test_support.h"
#include "models/incident_session.h"
#include "widgets/actions_view.h"
#include "widgets/diagnose_panel.h"
#include "widgets/incidents/response_panel.h"
#include "widgets/remediation_controller_permissions.h"
#include "widgets/service_map_view.h"

#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <QCoro/QCoroSignal>

#include <map>
#include <memory>

using namespace opsdeck;
using namespace opsdeck::testing;
using widgets::ActionPermissions;
using widgets::ActionsView;
using widgets::PermissionAnswer;
using widgets::RemediationController;

namespace {
constexpr auto kViewerReason = "opsdeck:viewers may only read";

// A cluster whose answers the test decides. Everything else is the simulation.
class PolicyBackend : public backends::SimulatedBackend {
    Q_OBJECT
public:
    explicit PolicyBackend(backends::SimulatedBackendOptions options = stepOptions()) : SimulatedBackend(options) {}

    std::map<sim::ActionKind, std::string> denied; // kind -> the server's reason
    std::string failure;                           // non-empty: asking fails with it
    bool holding = false;                          // questions wait for release()
    int questions = 0;

    QCoro::Task<Result<std::string>> whyNotAllowed(sim::ActionSpec action) override
    {
        ++questions;
        if (holding) {
            auto released = qCoro(this, &PolicyBackend::release);
            co_await released;
        }
        if (!failure.empty()) {
            Error error{failure};
            co_return error;
        }
        const auto it = denied.find(action.kind);
        co_return it == denied.end() ? std::string() : it->second;
    }

Q_SIGNALS:
    void release();
};

struct Console {
    PolicyBackend backend;
    QWidget window;
    RemediationController controller{&backend, &window};
    ActionPermissions *permissions = controller.permissions();
    Console()
    {
        window.resize(1500, 1000);
        backend.step(kMinuteMs);
    }
};

const QStringList kRefusedButtons{QStringLiteral("scale"), QStringLiteral("rollback"),
                                  QStringLiteral("presetHighLoad"), QStringLiteral("presetScaleDown")};
const QStringList kAllowedButtons{QStringLiteral("restart"), QStringLiteral("failover"), QStringLiteral("backup"),
                                  QStringLiteral("deleteFailedPods")};

bool allEnabled(const ActionsView &view, const QStringList &names, bool enabled)
{
    for (const QString &name : names)
        if (!view.button(name) || view.button(name)->isEnabled() != enabled)
            return false;
    return true;
}

sim::ActionSpec specOf(sim::ActionKind kind, const std::string &target)
{
    sim::ActionSpec s;
    s.kind = kind;
    s.target = target;
    return s;
}
} // namespace

class TestActionPermissions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale::c());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("opsdeck-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_action_permissions"));
    }

    void actionsViewGreysOutWhatTheClusterRefuses()
    {
        Console c;
        c.backend.denied = {{sim::ActionKind::Scale, kViewerReason}, {sim::ActionKind::Rollback, kViewerReason}};
        ActionsView view(&c.backend, &c.controller, &c.window);
        QTRY_VERIFY(allEnabled(view, kRefusedButtons, false));
        QVERIFY(allEnabled(view, kAllowedButtons, true));
        for (const QString &name : kRefusedButtons)
            QCOMPARE(view.button(name)->toolTip(), QStringLiteral("Not allowed: %1").arg(QLatin1String(kViewerReason)));
        QCOMPARE(view.button(QStringLiteral("restart"))->toolTip(), QString());
        QVERIFY(!view.permissionHint()->isHidden());
        QVERIFY2(view.permissionHint()->text().contains(QLatin1String(kViewerReason)), qPrintable(view.permissionHint()->text()));
        QVERIFY(view.permissionHint()->text().contains(QStringLiteral("4 of")));

        // RBAC changes under the running console: the next refresh re-enables them.
        c.backend.denied.clear();
        c.permissions->refresh();
        QTRY_VERIFY(allEnabled(view, kRefusedButtons, true));
        QCOMPARE(view.button(QStringLiteral("scale"))->toolTip(), QString());
        QVERIFY(view.permissionHint()->isHidden());
    }

    void diagnoseFixFollowsThePermissions()
    {
        PolicyBackend backend(busyOptions());
        backend.denied = {{sim::ActionKind::IncreaseDbPool, kViewerReason}};
        QWidget window;
        RemediationController controller(&backend, &window);
        ActionsView view(&backend, &controller, &window);
        backend.step(3 * kMinuteMs);
        QVERIFY(backend.injectFault(sim::FaultSpec{sim::FaultKind::DbPoolExhaustion, {}, {}}));
        backend.step(5 * kMinuteMs);
        widgets::DiagnosePanel *panel = view.diagnosePanel();
        QSignalSpy done(panel, &widgets::DiagnosePanel::finished);
        QTest::mouseClick(panel->runButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 5000);
        const models::Finding *primary = panel->report().primary();
        QVERIFY2(primary && primary->action, qPrintable(panel->summaryText()));
        QPushButton *fix = panel->actionButton(int(primary - panel->report().findings.data()));
        QVERIFY(fix);
        QTRY_VERIFY(!fix->isEnabled());
        QCOMPARE(fix->toolTip(), QStringLiteral("Not allowed: %1").arg(QLatin1String(kViewerReason)));
        backend.denied.clear();
        controller.permissions()->refresh();
        QTRY_VERIFY(fix->isEnabled());
        QCOMPARE(fix->toolTip(), QString());
    }

    void aRefusedDeployWinsOverTheChecklist()
    {
        Console c;
        c.backend.denied = {{sim::ActionKind::SetImage, kViewerReason}};
        ActionsView view(&c.backend, &c.controller, &c.window);
        QTRY_VERIFY(view.findChild<QLabel *>(QStringLiteral("deployBlocked"))->text().startsWith(QLatin1String("Deploy not allowed for you")));
        QVERIFY(!view.button(QStringLiteral("deploy"))->isEnabled());
        QVERIFY(view.button(QStringLiteral("deploy"))->toolTip().contains(QLatin1String(kViewerReason)));
    }

    void everyButtonRefusedSaysReadOnly()
    {
        Console c;
        for (int k = 0; k <= int(sim::ActionKind::IncreaseDbPool); ++k) // the last kind
            c.backend.denied[sim::ActionKind(k)] = kViewerReason;
        ActionsView view(&c.backend, &c.controller, &c.window);
        QTRY_VERIFY(view.permissionHint()->text().startsWith(QStringLiteral("Read-only: ")));
        QVERIFY(allEnabled(view, kRefusedButtons + kAllowedButtons, false));
    }

    void unansweredQuestionsLeaveButtonsEnabled()
    {
        Console c;
        c.backend.denied = {{sim::ActionKind::Scale, kViewerReason}};
        c.backend.holding = true;
        ActionsView view(&c.backend, &c.controller, &c.window);
        QTRY_VERIFY(c.permissions->questionsInFlight() > 0);
        QCoreApplication::processEvents();
        QVERIFY(view.button(QStringLiteral("scale"))->isEnabled()); // not answered yet
        QVERIFY(view.permissionHint()->isHidden());
        c.backend.holding = false;
        Q_EMIT c.backend.release();
        QTRY_VERIFY(!view.button(QStringLiteral("scale"))->isEnabled());
        QCOMPARE(c.permissions->questionsInFlight(), 0);
    }

    void failedQuestionsSaySoAndLeaveButtonsEnabled()
    {
        Console c;
        c.backend.failure = "POST https://127.0.0.1:6443/apis/authorization.k8s.io/v1/selfsubjectaccessreviews: "
                            "Couldn't connect to server";
        ActionsView view(&c.backend, &c.controller, &c.window);
        QTRY_VERIFY(view.button(QStringLiteral("scale"))->toolTip().startsWith(QLatin1String("Could not ask the API server: ")));
        QVERIFY(view.button(QStringLiteral("scale"))->toolTip().contains(QLatin1String("Couldn't connect")));
        QVERIFY(allEnabled(view, kRefusedButtons + kAllowedButtons, true));
        QVERIFY(view.permissionHint()->text().contains(QLatin1String("Couldn't connect")));
    }

    void connectionChangesAndTheMinuteAskAgain()
    {
        Console c;
        const sim::ActionSpec scale = specOf(sim::ActionKind::Scale, "model-server");
        QCOMPARE(c.permissions->answerFor(scale).state, PermissionAnswer::State::Allowed); // simulation: at once
        QCOMPARE(c.backend.questions, 1);
        c.permissions->answerFor(scale);
        QCOMPARE(c.backend.questions, 1); // cached
        // Same kind and target in another namespace is another question.
        sim::ActionSpec elsewhere = scale;
        elsewhere.params["namespace"] = "chatgpt-agent-canary";
        c.permissions->answerFor(elsewhere);
        QCOMPARE(c.backend.questions, 2);

        QSignalSpy changed(c.permissions, &ActionPermissions::answersChanged);
        c.backend.denied = {{sim::ActionKind::Scale, kViewerReason}};
        Q_EMIT c.backend.connectionStateChanged(backends::ConnectionState::Connected);
        QCOMPARE(c.backend.questions, 4);
        QCOMPARE(c.permissions->answerFor(scale).state, PermissionAnswer::State::Denied);
        QTRY_COMPARE(changed.size(), 1); // both answers changed: one signal
        Q_EMIT c.backend.connectionStateChanged(backends::ConnectionState::Connected);
        QCOMPARE(c.backend.questions, 4); // not a change of state: nothing asked

        // RBAC can change any time: every minute everything is asked again.
        QCOMPARE(c.permissions->refreshTimer()->interval(), 60'000);
        QVERIFY(c.permissions->refreshTimer()->isActive());
        c.permissions->refresh();
        QCOMPARE(c.backend.questions, 6);
    }

    void aSlowServerGetsOneQuestionPerActionAtATime()
    {
        Console c;
        c.backend.holding = true;
        const sim::ActionSpec rollback = specOf(sim::ActionKind::Rollback, "agent-orchestrator");
        QCOMPARE(c.permissions->answerFor(rollback).state, PermissionAnswer::State::Unknown);
        c.permissions->refresh();
        c.permissions->refresh();
        QCOMPARE(c.backend.questions, 1);
        c.backend.denied = {{sim::ActionKind::Rollback, kViewerReason}};
        Q_EMIT c.backend.release(); // the answer, then the one question asked again
        QTRY_COMPARE(c.backend.questions, 2);
        QCOMPARE(c.permissions->questionsInFlight(), 1);
        c.backend.holding = false;
        Q_EMIT c.backend.release();
        QTRY_COMPARE(c.permissions->questionsInFlight(), 0);
        QCOMPARE(c.permissions->answerFor(rollback).state, PermissionAnswer::State::Denied);
        QCOMPARE(c.backend.questions, 2);
    }

    void mapContextMenuGreysOutRefusedEntries()
    {
        Console c;
        c.backend.denied = {{sim::ActionKind::Restart, kViewerReason}};
        widgets::ServiceMapView map(&c.backend);
        map.setActionPermissions(c.permissions);
        std::unique_ptr<QMenu> menu(map.createContextMenu(QStringLiteral("model-server")));
        QAction *restart = menu->findChild<QAction *>(QStringLiteral("restart"));
        QAction *scale = menu->findChild<QAction *>(QStringLiteral("scale"));
        QVERIFY(restart && scale);
        QTRY_VERIFY(!restart->isEnabled());
        QVERIFY(restart->toolTip().contains(QLatin1String(kViewerReason)));
        QVERIFY(scale->isEnabled());
        QVERIFY(menu->toolTipsVisible());

        // An answer that changes while the menu is open shows in it.
        c.backend.denied = {{sim::ActionKind::Scale, kViewerReason}};
        c.permissions->refresh();
        QTRY_VERIFY(!scale->isEnabled());
        QVERIFY(restart->isEnabled());
        QCOMPARE(restart->toolTip(), restart->text());
    }

    void checklistActionStepsFollowThePermissions()
    {
        QTemporaryDir dir;
        Console c;
        c.backend.denied = {{sim::ActionKind::Rollback, kViewerReason}};
        models::IncidentSession session;
        QVERIFY(session.open(dir.filePath(QStringLiteral("incidents.sqlite"))).ok());
        session.attach(&c.backend);
        models::NewIncident incident;
        incident.title = "HighErrorRate on agent-orchestrator";
        incident.severity = 1;
        incident.commander = "alice";
        session.declareIncident(incident);
        session.waitForWrites();
        QCOMPARE(session.incidents().size(), std::size_t(1));

        widgets::ResponsePanel panel(&session);
        panel.setActionPermissions(c.permissions);
        panel.setIncident(session.incidents().front().id);
        QPushButton *rollback = panel.stepButton(QStringLiteral("rollback"));
        QPushButton *scale = panel.stepButton(QStringLiteral("scale"));
        QVERIFY(rollback && scale);
        QTRY_VERIFY(!rollback->isEnabled());
        QVERIFY(rollback->toolTip().contains(QLatin1String(kViewerReason)));
        QVERIFY(scale->isEnabled());
        QVERIFY(panel.stepButton(QStringLiteral("acknowledge"))->isEnabled()); // the console's own

        c.backend.denied.clear();
        c.permissions->refresh();
        QTRY_VERIFY(rollback->isEnabled());
        QCOMPARE(rollback->toolTip(), QString());
    }
};

QTEST_MAIN(TestActionPermissions)
#include "tst_action_permissions.moc"
