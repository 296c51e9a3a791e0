// End to end against the real API server of `opsdeck-sim serve --token-auth-file` on
// 127.0.0.1, through RemoteBackend as the console attaches to it: with a viewer's token
// (group opsdeck:viewers) the Actions view greys out scale, rollback and restart with the
// server's SelfSubjectAccessReview reason before anything is clicked; with an operator's
// token (opsdeck:operators) they stay enabled. Waits only for the server's answers.
// Set ACTION_PERMISSIONS_SCREENSHOT=<file.png> to keep a picture of the viewer's view.
#include "../unit/remote/sim_server.h"

#include "backends/remote/remote_backend.h"
#include "widgets/actions_view.h"
#include "widgets/remediation_controller.h"
#include "widgets/remediation_controller_permissions.h"

#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace opsdeck;
using widgets::PermissionAnswer;

namespace {
constexpr int kServerAnswerMs = 30'000; // a loaded CI machine; answers come in milliseconds
const QStringList kClusterActions{QStringLiteral("scale"), QStringLiteral("rollback"), QStringLiteral("restart")};

sim::ActionSpec onOrchestrator(sim::ActionKind kind)
{
    sim::ActionSpec s;
    s.kind = kind;
    s.target = "agent-orchestrator"; // the Actions view's default target deployment
    return s;
}

// The console attached to the server with one user's token, as `opsdeck --kubeconfig` does.
struct AttachedConsole {
    remote::RemoteBackend backend;
    QWidget window;
    widgets::RemediationController controller{&backend, &window};
    widgets::ActionsView view{&backend, &controller, &window};
    explicit AttachedConsole(remote::RemoteConfig config) : backend(std::move(config)) { backend.start(); }

    // Scale, rollback and restart of the view's target are all answered with `state`.
    bool answered(PermissionAnswer::State state)
    {
        for (auto kind : {sim::ActionKind::Scale, sim::ActionKind::Rollback, sim::ActionKind::Restart})
            if (controller.permissions()->answerFor(onOrchestrator(kind)).state != state)
                return false;
        return true;
    }
};
} // namespace

class TestActionPermissionsRemote : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("opsdeck-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_action_permissions_remote"));
        QFile tokens(m_dir.filePath(QStringLiteral("tokens.csv")));
        QVERIFY(tokens.open(QIODevice::WriteOnly));
        tokens.write("operator-token-1,olive,1,\"opsdeck:operators\"\nviewer-token-2,vic,2,\"opsdeck:viewers\"\n");
        tokens.close();
        QString error;
        QVERIFY2(m_server.start(testing::simBinary(QStringLiteral(OPSDECK_BINARY_DIR)),
                                {QStringLiteral("--speed"), QStringLiteral("0"), QStringLiteral("--token-auth-file"),
                                 tokens.fileName()},
                                &error),
                 qPrintable(error));
    }

    void viewerSeesTheServersReason()
    {
        AttachedConsole console(configFor(QStringLiteral("viewer-token-2")));
        const widgets::ActionsView &view = console.view;
        QTRY_VERIFY_WITH_TIMEOUT(console.answered(PermissionAnswer::State::Denied), kServerAnswerMs);
        QTRY_VERIFY(!view.button(QStringLiteral("scale"))->isEnabled()); // the view hears of it on the next turn
        for (const QString &name : kClusterActions) {
            QPushButton *button = view.button(name);
            QVERIFY2(!button->isEnabled(), qPrintable(name));
            const QString tip = button->toolTip();
            QVERIFY2(tip.startsWith(QLatin1String("Not allowed: auth can-i patch deployments")), qPrintable(tip));
            // The reason is the server's own, and the token is nowhere in it.
            QVERIFY2(tip.contains(QLatin1String("user \"vic\" is not in group opsdeck:operators")), qPrintable(tip));
            QVERIFY2(!tip.contains(QLatin1String("viewer-token-2")), qPrintable(tip));
        }
        QVERIFY(view.button(QStringLiteral("scale"))->toolTip().contains(QLatin1String("deployments/scale")));
        QVERIFY(!view.permissionHint()->isHidden());
        QVERIFY2(view.permissionHint()->text().contains(QLatin1String("opsdeck:operators")),
                 qPrintable(view.permissionHint()->text()));
        // Not a Kubernetes call, nothing to ask: the confirmation / apply() says why not.
        QVERIFY(view.button(QStringLiteral("failover"))->isEnabled());
        if (const char *shot = getenv("ACTION_PERMISSIONS_SCREENSHOT")) {
            console.view.resize(1500, 1000);
            console.view.show();
            QCoreApplication::processEvents(); // layouts and shows are posted events
            console.view.grab().save(QString::fromLocal8Bit(shot));
        }
    }

    void operatorMayAct()
    {
        AttachedConsole console(configFor(QStringLiteral("operator-token-1")));
        const widgets::ActionsView &view = console.view;
        QTRY_VERIFY_WITH_TIMEOUT(console.answered(PermissionAnswer::State::Allowed), kServerAnswerMs);
        QCoreApplication::processEvents();
        for (const QString &name : kClusterActions) {
            QVERIFY2(view.button(name)->isEnabled(), qPrintable(name));
            QCOMPARE(view.button(name)->toolTip(), QString());
        }
        QVERIFY(view.permissionHint()->isHidden());
    }

private:
    remote::RemoteConfig configFor(const QString &token) const
    {
        remote::RemoteConfig config;
        config.kubeconfigPath = m_server.writeKubeconfig(m_dir, token + QStringLiteral(".kubeconfig"), token);
        return config;
    }

    QTemporaryDir m_dir;
    testing::SimServer m_server;
};

QTEST_MAIN(TestActionPermissionsRemote)
#include "tst_action_permissions_remote.moc"
