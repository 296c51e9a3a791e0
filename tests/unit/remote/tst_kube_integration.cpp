// KubeClient against the real thing it will meet: `opsdeck-sim serve` speaking the
// Kubernetes API on 127.0.0.1. Lists and watches the cluster, performs scale, set image,
// rollout undo/restart and delete-pods as kubectl does, asks SelfSubjectAccessReview, and
// shows the server's 401/403/404 messages. The simulator is paused (--speed 0): its time
// moves only when the test POSTs /opsdeck/v1/advance.
#include "backends/remote/kube_client.h"
#include "backends/remote/kubeconfig.h"
#include "backends/remote/remote_backend.h"
#include "fake_server.h"
#include "kube_credentials_for.h"
#include "sim_server.h"

#include <QSignalSpy>
#include <QTest>

using namespace opsdeck;
using namespace opsdeck::remote;
using opsdeck::testing::await;
using opsdeck::testing::credentialsFor;
using opsdeck::testing::SimServer;

namespace {
const sim::Deployment *findDeployment(const sim::Inventory &inventory, const std::string &ns,
                                      const std::string &name) {
    for (const auto &d : inventory.deployments)
        if (d.ns == ns && d.name == name)
            return &d;
    return nullptr;
}
void advance(HttpClient &http, const QString &url, int seconds) {
    HttpRequest request;
    request.method = "POST";
    request.url = (url + "/opsdeck/v1/advance").toStdString();
    request.body = "{\"seconds\":" + std::to_string(seconds) + "}";
    request.headers = {{"Content-Type", "application/json"}};
    auto response = await(http.send(request));
    if (!response || !response->ok())
        qFatal("advance failed: %s", response ? response->errorSummary().c_str() : response.error().c_str());
}
#define VERIFY_OK(result) QVERIFY2((result).ok(), (result).ok() ? "" : (result).error().c_str())
} // namespace

class TestKubeIntegration : public QObject {
    Q_OBJECT
private:
    QString m_binary = opsdeck::testing::simBinary(OPSDECK_BINARY_DIR);

private slots:
    void initTestCase() {
        if (!QFile::exists(m_binary))
            QFAIL(qPrintable("opsdeck-sim not built: " + m_binary));
    }

    void listWatchAndActionsAgainstTheSimulator() {
        SimServer server;
        QString error;
        QVERIFY2(server.start(m_binary, {"--speed", "0"}, &error), qPrintable(error));
        QTemporaryDir dir;
        KubeClient::Options options;
        options.reconnectBase = std::chrono::milliseconds(100);
        KubeClient client(credentialsFor(server.writeKubeconfig(dir, "config")), options);
        QSignalSpy synced(&client, &KubeClient::syncedChanged);
        client.start();
        QVERIFY(synced.wait(60000));
        QVERIFY(client.synced());
        auto inventory = client.inventory();
        QVERIFY(!inventory->deployments.empty());
        QVERIFY(!inventory->replicaSets.empty());
        QVERIFY(!inventory->pods.empty());
        QVERIFY(!inventory->nodes.empty());
        const std::string ns = "chatgpt-agent", name = "agent-orchestrator";
        const sim::Deployment *orchestrator = findDeployment(*inventory, ns, name);
        QVERIFY2(orchestrator, "agent-orchestrator not in chatgpt-agent");
        const int replicas = orchestrator->replicas;
        const std::string container = orchestrator->podTemplate.containers.at(0).name;
        const std::string image = orchestrator->podTemplate.containers.at(0).image;
        QVERIFY(!image.empty());

        // Permission check first, as the console does before enabling the button.
        auto review = await(client.canI("patch", "apps", "deployments", ns, "scale"));
        VERIFY_OK(review);
        QVERIFY(review->allowed);

        // Scale: the watch brings the new spec without a re-list.
        const auto eventsBefore = client.watchEventsApplied();
        auto scaled = await(client.scale(ns, name, replicas + 2));
        VERIFY_OK(scaled);
        QCOMPARE(*scaled, "deployment.apps/" + name + " scaled");
        QVERIFY(QTest::qWaitFor([&] {
            auto d = findDeployment(*client.inventory(), ns, name);
            return d && d->replicas == replicas + 2;
        }, 20000));
        QVERIFY(client.watchEventsApplied() > eventsBefore);
        HttpClient control;
        advance(control, server.url(), 180);
        // The simulator's controllers (and its HPA) act on the new spec; whatever they
        // settle on, the watched inventory must match a fresh list of the server.
        KubeClient fresh(credentialsFor(server.writeKubeconfig(dir, "fresh")));
        auto listed = await(fresh.listOnce());
        VERIFY_OK(listed);
        const sim::Deployment *truth = findDeployment(*listed, ns, name);
        QVERIFY(truth);
        QVERIFY(QTest::qWaitFor([&] {
            auto d = findDeployment(*client.inventory(), ns, name);
            return d && d->replicas == truth->replicas && d->readyReplicas == truth->readyReplicas &&
                   client.inventory()->pods.size() == listed->pods.size();
        }, 20000));

        // Set image, then roll back: the previous image returns.
        auto set = await(client.setImage(ns, name, container, "openai/chatgpt-agent:v0.0.1-integration"));
        VERIFY_OK(set);
        QCOMPARE(set->previousImage, image);
        auto wrongContainer = await(client.setImage(ns, name, "sidecar", "v1"));
        QVERIFY(!wrongContainer.ok());
        QVERIFY2(wrongContainer.error().find("unable to find container named \"sidecar\"") != std::string::npos,
                 wrongContainer.error().c_str());
        advance(control, server.url(), 300);
        QVERIFY(QTest::qWaitFor([&] {
            auto d = findDeployment(*client.inventory(), ns, name);
            return d && d->podTemplate.containers.at(0).image == "openai/chatgpt-agent:v0.0.1-integration";
        }, 20000));
        auto history = await(client.rolloutHistory(ns, name));
        VERIFY_OK(history);
        QVERIFY(history->size() >= 2);
        QCOMPARE(history->back().images.at(0), std::string("openai/chatgpt-agent:v0.0.1-integration"));
        auto undo = await(client.rolloutUndo(ns, name));
        VERIFY_OK(undo);
        QCOMPARE(undo->message, "deployment.apps/" + name + " rolled back");
        QCOMPARE(undo->images.at(0), image); // what it went back to
        QVERIFY(!undo->skipped);
        advance(control, server.url(), 300);
        QVERIFY(QTest::qWaitFor([&] {
            auto d = findDeployment(*client.inventory(), ns, name);
            return d && d->podTemplate.containers.at(0).image == image;
        }, 20000));

        auto restarted = await(client.rolloutRestart(ns, name));
        VERIFY_OK(restarted);
        auto deleted = await(client.deletePods(ns, "status.phase=Failed"));
        VERIFY_OK(deleted);

        // The server's own message for a missing object.
        auto missing = await(client.scale(ns, "no-such-deployment", 1));
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().find("HTTP 404 Not Found: ") != std::string::npos, missing.error().c_str());
        QVERIFY2(missing.error().find("no-such-deployment") != std::string::npos, missing.error().c_str());
        QCOMPARE(client.relists(), std::uint64_t(0)); // the watch kept up on its own
        client.stop();
    }

    void viewersAreToldWhyAndUnknownTokensAreRejected() {
        QTemporaryDir dir;
        QFile tokens(dir.filePath("tokens.csv"));
        QVERIFY(tokens.open(QIODevice::WriteOnly));
        tokens.write("operator-token-1,olive,1,\"opsdeck:operators\"\nviewer-token-2,vic,2,\"opsdeck:viewers\"\n");
        tokens.close();
        SimServer server;
        QString error;
        QVERIFY2(server.start(m_binary, {"--speed", "0", "--token-auth-file", tokens.fileName()}, &error),
                 qPrintable(error));
        KubeClient viewer(credentialsFor(server.writeKubeconfig(dir, "viewer", "viewer-token-2")));
        auto review = await(viewer.canI("patch", "apps", "deployments", "chatgpt-agent", "scale"));
        VERIFY_OK(review);
        QVERIFY(!review->allowed);
        auto scaled = await(viewer.scale("chatgpt-agent", "agent-orchestrator", 1));
        QVERIFY(!scaled.ok());
        QVERIFY2(scaled.error().find("HTTP 403 Forbidden: ") != std::string::npos, scaled.error().c_str());
        QVERIFY2(scaled.error().find("viewer-token-2") == std::string::npos, "token leaked into a message");
        auto listed = await(viewer.listOnce());
        VERIFY_OK(listed); // viewers may read

        KubeClient op(credentialsFor(server.writeKubeconfig(dir, "operator", "operator-token-1")));
        auto allowed = await(op.canI("patch", "apps", "deployments", "chatgpt-agent", "scale"));
        VERIFY_OK(allowed);
        QVERIFY(allowed->allowed);

        // The console asks the same before enabling Apply: RemoteBackend::whyNotAllowed.
        sim::ActionSpec scale;
        scale.kind = sim::ActionKind::Scale;
        scale.target = "agent-orchestrator";
        scale.params["replicas"] = "3";
        RemoteConfig viewerConfig;
        viewerConfig.kubeconfigPath = server.writeKubeconfig(dir, "viewer-console", "viewer-token-2");
        RemoteBackend viewerConsole(viewerConfig);
        auto denied = await(viewerConsole.whyNotAllowed(scale));
        VERIFY_OK(denied);
        QVERIFY2(!denied->empty(), "a viewer may not scale");
        QVERIFY2(denied->find("patch deployments/scale") != std::string::npos, denied->c_str());
        QVERIFY2(denied->find("viewer-token-2") == std::string::npos, "token leaked into a message");
        sim::ActionSpec failover;
        failover.kind = sim::ActionKind::Failover; // not a Kubernetes call: nothing to ask
        auto notAsked = await(viewerConsole.whyNotAllowed(failover));
        VERIFY_OK(notAsked);
        QVERIFY(notAsked->empty());
        RemoteConfig operatorConfig;
        operatorConfig.kubeconfigPath = server.writeKubeconfig(dir, "operator-console", "operator-token-1");
        RemoteBackend operatorConsole(operatorConfig);
        auto permitted = await(operatorConsole.whyNotAllowed(scale));
        VERIFY_OK(permitted);
        QVERIFY2(permitted->empty(), permitted->c_str());

        KubeClient stranger(credentialsFor(server.writeKubeconfig(dir, "stranger", "who-knows-token")));
        auto refused = await(stranger.listOnce());
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().find("HTTP 401 Unauthorized") != std::string::npos, refused.error().c_str());
    }
};

QTEST_GUILESS_MAIN(TestKubeIntegration)
#include "tst_kube_integration.moc"
