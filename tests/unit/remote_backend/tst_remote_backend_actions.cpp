// RemoteBackend's actions go through KubeClient (as kubectl sends them) and keep what the
// console shows: the result message, the kubectl equivalent, the server's own error. And
// the component map end to end: against `opsdeck-sim serve`, a map that selects by label
// rather than by name renames the cluster's workloads into runbook components in the
// inventory, the service rows and `opsdeck status`. Bounded polling only.
#include "remote_test_support.h"

#include "backends/remote/remote_config.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace opsdeck;
using namespace opsdeck::remote;
using backends::ConnectionState;
using testing::awaitTask;
using testing::kNs;
using testing::kOrchestrator;

namespace {
sim::ActionSpec action(sim::ActionKind kind, std::string target, std::map<std::string, std::string> params = {})
{
    return {kind, std::move(target), std::move(params), "alice"};
}

#define VERIFY_RESULT(r) QVERIFY2((r).ok() && (r)->ok, (r).ok() ? (r)->message.c_str() : (r).error().c_str())
} // namespace

class TestRemoteBackendActions : public QObject {
    Q_OBJECT
private:
    QString m_binary = testing::simBinary(QStringLiteral(OPSDECK_BINARY_DIR));
    QTemporaryDir m_dir;
    testing::SimServer m_server;

    // A backend on the shared server with this component map (written to `file`).
    RemoteConfig mapped(const QString &file, const QByteArray &yaml)
    {
        QFile out(m_dir.filePath(file));
        if (!out.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(out.fileName()));
        out.write(yaml);
        RemoteConfig config;
        config.kubeconfigPath = m_server.writeKubeconfig(m_dir, file + ".kubeconfig");
        config.componentMapPath = out.fileName();
        return config;
    }

private slots:
    void initTestCase()
    {
        if (!QFile::exists(m_binary))
            QFAIL(qPrintable("opsdeck-sim not built: " + m_binary));
        QString error;
        QVERIFY2(m_server.start(m_binary, {"--speed", "0"}, &error), qPrintable(error));
    }

    void actionsShowMessageKubectlAndServerErrors()
    {
        RemoteConfig config;
        config.kubeconfigPath = m_server.writeKubeconfig(m_dir, "actions");
        RemoteBackend backend(config);
        backend.start();
        QTRY_VERIFY_WITH_TIMEOUT(testing::kubernetesIs(backend, ConnectionState::Connected), 60000);
        const sim::Deployment *before = testing::findDeployment(backend.latestSnapshot(), kNs, kOrchestrator);
        QVERIFY(before);
        const std::string container = before->podTemplate.containers.at(0).name;
        const std::string image = before->podTemplate.containers.at(0).image;
        const std::string repository = image.substr(0, image.rfind(':'));
        QSignalSpy completed(&backend, &backends::ClusterBackend::actionCompleted);

        auto scaled = awaitTask(backend.apply(action(sim::ActionKind::Scale, kOrchestrator, {{"replicas", "7"}})));
        VERIFY_RESULT(scaled);
        QCOMPARE(scaled->message, "deployment.apps/" + kOrchestrator + " scaled to 7");
        QCOMPARE(scaled->kubectl, "kubectl scale deployment/" + kOrchestrator + " -n " + kNs + " --replicas=7");
        QCOMPARE(completed.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(testing::replicasIn(backend.latestSnapshot(), kNs, kOrchestrator) == 7, 20000);

        // A tag alone keeps the repository; the container defaults to the first one.
        auto set = awaitTask(backend.apply(action(sim::ActionKind::SetImage, kOrchestrator, {{"image", "v9.9.9"}})));
        VERIFY_RESULT(set);
        const std::string newImage = repository + ":v9.9.9";
        QCOMPARE(set->message, "deployment.apps/" + kOrchestrator + " image updated to " + newImage);
        QCOMPARE(set->kubectl, "kubectl set image deployment/" + kOrchestrator + " " + container + "=" + newImage + " -n " + kNs);
        QVERIFY(testing::advance(m_server.url(), 300));
        QTRY_VERIFY_WITH_TIMEOUT(testing::findDeployment(backend.latestSnapshot(), kNs, kOrchestrator)
                                         ->podTemplate.containers.at(0).image == newImage, 20000);

        auto missingRevision = awaitTask(
            backend.apply(action(sim::ActionKind::Rollback, kOrchestrator, {{"to-revision", "99"}})));
        QVERIFY(missingRevision.ok());
        QVERIFY(!missingRevision->ok);
        QVERIFY2(missingRevision->message.find("unable to find the specified revision 99") != std::string::npos,
                 missingRevision->message.c_str());
        QCOMPARE(missingRevision->kubectl,
                 "kubectl rollout undo deployment/" + kOrchestrator + " -n " + kNs + " --to-revision=99");

        auto undone = awaitTask(backend.apply(action(sim::ActionKind::Rollback, kOrchestrator)));
        VERIFY_RESULT(undone);
        QVERIFY2(undone->message.find("deployment.apps/" + kOrchestrator + " rolled back to revision ") == 0,
                 undone->message.c_str());
        QVERIFY2(undone->message.find("(image " + image + ")") != std::string::npos, undone->message.c_str());
        QCOMPARE(undone->kubectl, "kubectl rollout undo deployment/" + kOrchestrator + " -n " + kNs);
        QVERIFY(testing::advance(m_server.url(), 300));
        QTRY_VERIFY_WITH_TIMEOUT(testing::findDeployment(backend.latestSnapshot(), kNs, kOrchestrator)
                                         ->podTemplate.containers.at(0).image == image, 20000);

        auto restarted = awaitTask(backend.apply(action(sim::ActionKind::Restart, kOrchestrator)));
        VERIFY_RESULT(restarted);
        QCOMPARE(restarted->message, "deployment.apps/" + kOrchestrator + " restarted");
        auto deleted = awaitTask(backend.apply(action(sim::ActionKind::DeleteFailedPods, kOrchestrator)));
        VERIFY_RESULT(deleted);
        QVERIFY2(deleted->message.find("failed pod(s) deleted in " + kNs) != std::string::npos, deleted->message.c_str());

        // The server's own message, status and reason.
        auto missing = awaitTask(backend.apply(action(sim::ActionKind::Scale, "no-such-deployment", {{"replicas", "1"}})));
        QVERIFY(missing.ok());
        QVERIFY(!missing->ok);
        QVERIFY2(missing->message.find("HTTP 404 Not Found: ") != std::string::npos, missing->message.c_str());
        QVERIFY2(missing->message.find("no-such-deployment") != std::string::npos, missing->message.c_str());
        QCOMPARE(missing->kubectl, "kubectl scale deployment/no-such-deployment -n " + kNs + " --replicas=1");

        // Bad parameters never reach the server.
        auto words = awaitTask(backend.apply(action(sim::ActionKind::Scale, kOrchestrator, {{"replicas", "lots"}})));
        QVERIFY(!words.ok());
        QVERIFY2(words.error().find("replicas must be a whole number") != std::string::npos, words.error().c_str());
        auto revision = awaitTask(backend.apply(action(sim::ActionKind::Rollback, kOrchestrator, {{"to-revision", "two"}})));
        QVERIFY(!revision.ok());
        auto noImage = awaitTask(backend.apply(action(sim::ActionKind::SetImage, kOrchestrator)));
        QVERIFY(!noImage.ok());
        QVERIFY2(noImage.error().find("missing image") != std::string::npos, noImage.error().c_str());
        const auto events = awaitTask(backend.events(0));
        QVERIFY(std::count_if(events->begin(), events->end(),
                              [](const sim::SimEvent &e) { return e.kind == sim::SimEvent::Kind::Action; }) >= 6);
    }

    // The cluster's names are not the runbook's: select the components by label.
    void componentMapRenamesByLabel()
    {
        const RemoteConfig config = mapped(QStringLiteral("map.yaml"),
                                           "components:\n"
                                           "  agent-orchestrator: app=model-server\n"
                                           "  model-server: \"app in (orchestrator), topology.kubernetes.io/region=us-east-1\"\n");
        const QString map = config.componentMapPath;
        RemoteBackend backend(config);
        auto refresh = backend.refreshNow();
        QCoro::waitFor(refresh);
        QVERIFY(testing::kubernetesIs(backend, ConnectionState::Connected));
        const auto snap = backend.latestSnapshot();
        const sim::Deployment *orchestrator = testing::findDeployment(snap, kNs, kOrchestrator);
        const sim::Deployment *model = testing::findDeployment(snap, kNs, "model-server");
        QVERIFY(orchestrator && model);
        QCOMPARE(orchestrator->component, std::string("model-server"));
        QCOMPARE(model->component, std::string("agent-orchestrator"));
        int unclaimed = 0;
        for (const auto &d : snap->inventory->deployments) {
            if (d.name == kOrchestrator && d.ns != kNs) { // another region's: no one's by this map
                QCOMPARE(d.component, d.ns + "/" + d.name);
                ++unclaimed;
            } else if (d.name != kOrchestrator && d.name != "model-server") {
                QCOMPARE(d.component, d.name); // the rest keep the defaults
            }
        }
        QVERIFY(unclaimed > 0);

        // Service rows: the runbook's model-server row counts the orchestrator's replicas.
        int orchestratorReplicas = 0, modelReplicas = 0;
        for (const auto &d : snap->inventory->deployments) {
            orchestratorReplicas += d.component == "model-server" ? d.replicas : 0;
            modelReplicas += d.component == "agent-orchestrator" ? d.replicas : 0;
        }
        int modelRow = 0, orchestratorRow = 0;
        for (const sim::ServiceStatus &s : snap->health.services) {
            modelRow += s.component == "model-server" ? s.desired : 0;
            orchestratorRow += s.component == "agent-orchestrator" ? s.desired : 0;
        }
        QCOMPARE(modelRow, orchestratorReplicas);
        QCOMPARE(orchestratorRow, modelReplicas);
        const QString facts = backend.statusFacts().join(QLatin1Char('\n'));
        QVERIFY2(facts.contains(QStringLiteral("components by label: agent-orchestrator <- app=model-server")), qPrintable(facts));

        // An action on a component name reaches the deployment the map gave it to.
        auto scaled = awaitTask(backend.apply(action(sim::ActionKind::Scale, "chatgpt-agent-us-west-2/agent-orchestrator",
                                                     {{"replicas", "2"}})));
        QVERIFY(scaled.ok()); // no deployment has that name: it is resolved through the components
        QVERIFY2(scaled->ok, scaled->message.c_str());
        QCOMPARE(scaled->kubectl, std::string("kubectl scale deployment/agent-orchestrator -n chatgpt-agent-us-west-2 --replicas=2"));

        // `opsdeck status --component-map` shows the same.
        QProcess status;
        status.start(QStringLiteral(OPSDECK_STATUS_PROBE),
                     {QStringLiteral("--kubeconfig"), config.kubeconfigPath, QStringLiteral("--component-map"), map,
                      QStringLiteral("--json")});
        QVERIFY(status.waitForFinished(60000));
        const QJsonObject root = QJsonDocument::fromJson(status.readAllStandardOutput()).object();
        bool renamed = false;
        for (const QJsonValue &d : root[QStringLiteral("inventory")].toObject()[QStringLiteral("deploymentList")].toArray())
            renamed |= d[QStringLiteral("name")].toString() == QLatin1String("agent-orchestrator")
                       && d[QStringLiteral("namespace")].toString() == QLatin1String("chatgpt-agent")
                       && d[QStringLiteral("component")].toString() == QLatin1String("model-server");
        QVERIFY2(renamed, status.readAllStandardError().constData());
    }

    void aBadComponentMapIsNamedByFileAndLine()
    {
        const RemoteConfig config = mapped(QStringLiteral("bad.yaml"), "components:\n  model-server: app in (vllm\n");
        const QString map = config.componentMapPath;
        const auto parsed = remoteConfigFromArguments({QStringLiteral("--component-map"), map});
        QVERIFY2(parsed.error.contains(map + ":2:17: components.model-server: label selector"), qPrintable(parsed.error));
        RemoteBackend backend(config);
        auto refresh = backend.refreshNow();
        QCoro::waitFor(refresh);
        QVERIFY(testing::kubernetesIs(backend, ConnectionState::Failed));
        QVERIFY2(backend.componentStatus(RemoteComponent::Kubernetes).detail.startsWith("component map " + map + ":2:17"),
                 qPrintable(backend.componentStatus(RemoteComponent::Kubernetes).detail));
        QCOMPARE(componentMapProblem(QString()), QString());
        QVERIFY(componentMapProblem(map).contains(QStringLiteral(":2:17:")));
    }
};

QTEST_GUILESS_MAIN(TestRemoteBackendActions)
#include "tst_remote_backend_actions.moc"
