// bench-kube-inventory: OpsDeck's Kubernetes client against `opsdeck-sim serve`, side by
// side with kubectl on the same server in the same run.
//
//   bench-kube-inventory [--sim PATH] [--preset large] [--runs 3] [--watch-seconds 10]
//                        [--speed 600] [--kubectl kubectl] [--server URL]
//
// 1. time to first complete inventory: KubeClient::listOnce() (Deployments, ReplicaSets,
//    Pods, Nodes, Events, decoded into sim::Inventory) vs `kubectl get pods -A -o json`
//    (pods only, printed to /dev/null) — best and median of --runs;
// 2. watch events per second processed: every deployment is rollout-restarted, then
//    KubeClient watches while the simulator runs at --speed for --watch-seconds wall
//    seconds; events applied (decoded and merged into the inventory) / elapsed.
// --server URL uses a server that is already running instead of starting one.
#include "backends/remote/kube_client.h"
#include "backends/remote/kubeconfig.h"
#include "fake_server.h"
#include "sim_server.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace opsdeck;
using namespace opsdeck::remote;

namespace {
double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}
} // namespace

int main(int argc, char **argv) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription("OpsDeck Kubernetes client vs kubectl on opsdeck-sim serve");
    parser.addHelpOption();
    parser.addOption({"sim", "opsdeck-sim binary", "PATH", opsdeck::testing::simBinary(OPSDECK_BINARY_DIR)});
    parser.addOption({"preset", "simulator preset", "NAME", "large"});
    parser.addOption({"runs", "list repetitions", "N", "3"});
    parser.addOption({"watch-seconds", "wall seconds of watching", "S", "10"});
    parser.addOption({"speed", "simulator speed while watching", "X", "600"});
    parser.addOption({"kubectl", "kubectl binary", "PATH", "kubectl"});
    parser.addOption({"server", "use this running server instead of starting one", "URL"});
    parser.addOption({"token", "bearer token for --server", "TOKEN"});
    parser.process(app);
    const int runs = std::max(1, parser.value("runs").toInt());

    opsdeck::testing::SimServer server;
    QString url = parser.value("server");
    if (url.isEmpty()) {
        QString error;
        QElapsedTimer startup;
        startup.start();
        if (!server.start(parser.value("sim"), {"--preset", parser.value("preset"), "--speed", "0"}, &error)) {
            std::fprintf(stderr, "bench-kube-inventory: %s\n", qPrintable(error));
            return 1;
        }
        url = server.url();
        std::printf("server: %s (preset %s, started in %.1f s)\n", qPrintable(url),
                    qPrintable(parser.value("preset")), startup.elapsed() / 1000.0);
    }
    QTemporaryDir dir;
    const QString kubeconfig = dir.filePath("config");
    {
        QFile file(kubeconfig);
        file.open(QIODevice::WriteOnly);
        QString text = "apiVersion: v1\nkind: Config\nclusters:\n- name: sim\n  cluster:\n    server: " + url +
                       "\ncontexts:\n- name: sim\n  context: {cluster: sim, user: me}\ncurrent-context: sim\n"
                       "users:\n- name: me\n  user:\n";
        text += parser.value("token").isEmpty() ? "    username: \"\"\n" : "    token: " + parser.value("token") + "\n";
        file.write(text.toUtf8());
    }
    auto config = loadKubeconfigFiles({kubeconfig.toStdString()});
    auto context = config ? resolveContext(*config) : Result<ResolvedContext>(Error{config.error()});
    if (!context) {
        std::fprintf(stderr, "bench-kube-inventory: %s\n", context.error().c_str());
        return 1;
    }
    auto credentials = std::make_shared<KubeCredentials>(*context);

    // 1. First complete inventory.
    std::vector<double> ours, theirs;
    std::size_t pods = 0, deployments = 0, replicaSets = 0, nodes = 0;
    for (int run = 0; run < runs; ++run) {
        KubeClient client(credentials);
        QElapsedTimer clock;
        clock.start();
        auto inventory = opsdeck::testing::await(client.listOnce(), 300000);
        const double ms = clock.nsecsElapsed() / 1e6;
        if (!inventory) {
            std::fprintf(stderr, "bench-kube-inventory: %s\n", inventory.error().c_str());
            return 1;
        }
        pods = inventory->pods.size();
        deployments = inventory->deployments.size();
        replicaSets = inventory->replicaSets.size();
        nodes = inventory->nodes.size();
        ours.push_back(ms);

        QProcess kubectl;
        kubectl.setStandardOutputFile(QProcess::nullDevice());
        QElapsedTimer kclock;
        kclock.start();
        kubectl.start(parser.value("kubectl"), {"--kubeconfig", kubeconfig, "get", "pods", "-A", "-o", "json"});
        if (!kubectl.waitForFinished(600000) || kubectl.exitCode() != 0) {
            std::fprintf(stderr, "bench-kube-inventory: kubectl failed: %s\n",
                         kubectl.readAllStandardError().constData());
            return 1;
        }
        theirs.push_back(kclock.nsecsElapsed() / 1e6);
        std::printf("run %d: opsdeck %.0f ms (all five kinds), kubectl get pods -A -o json %.0f ms\n", run + 1,
                    ours.back(), theirs.back());
        std::fflush(stdout);
    }
    std::printf("inventory: %zu pods, %zu deployments, %zu replicasets, %zu nodes\n", pods, deployments,
                replicaSets, nodes);
    std::printf("first complete inventory: opsdeck best %.0f ms, median %.0f ms | kubectl (pods only) best %.0f ms, "
                "median %.0f ms | ratio kubectl/opsdeck (median) %.2fx\n",
                *std::min_element(ours.begin(), ours.end()), median(ours),
                *std::min_element(theirs.begin(), theirs.end()), median(theirs), median(theirs) / median(ours));

    // 2. Watch throughput while the simulation runs.
    KubeClient client(credentials);
    bool synced = false;
    QObject::connect(&client, &KubeClient::syncedChanged, [&](bool s) { synced = s; });
    client.start();
    QElapsedTimer syncClock;
    syncClock.start();
    while (!synced && syncClock.elapsed() < 300000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    std::printf("list+watch synced in %.0f ms\n", syncClock.nsecsElapsed() / 1e6);
    HttpClient control;
    HttpRequest speed;
    speed.method = "PUT";
    speed.url = (url + "/opsdeck/v1/speed").toStdString();
    speed.body = "{\"speed\":" + parser.value("speed").toStdString() + "}";
    speed.headers = {{"Content-Type", "application/json"}};
    auto set = opsdeck::testing::await(control.send(speed));
    if (!set || !set->ok())
        std::fprintf(stderr, "bench-kube-inventory: could not set the speed: %s\n",
                     set ? set->errorSummary().c_str() : set.error().c_str());
    // Churn for the watch to carry: `kubectl rollout restart` of every deployment, so
    // every pod is replaced while the simulator runs (steady state changes little).
    const auto current = client.inventory();
    int restarted = 0;
    for (const sim::Deployment &d : current->deployments) {
        auto r = opsdeck::testing::await(client.rolloutRestart(d.ns, d.name));
        restarted += r.ok();
    }
    std::printf("rollout restart of %d/%zu deployments sent\n", restarted, current->deployments.size());
    const auto before = client.watchEventsApplied();
    QElapsedTimer watchClock;
    watchClock.start();
    const qint64 watchMs = qint64(parser.value("watch-seconds").toDouble() * 1000);
    while (watchClock.elapsed() < watchMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    const double seconds = watchClock.nsecsElapsed() / 1e9;
    const auto events = client.watchEventsApplied() - before;
    const double applyMs = client.watchApplyTime().count() / 1e6;
    std::printf("watch: %llu events applied in %.1f s = %.0f events/s as the server produced them; client cost "
                "%.1f ms in total = %.0f us/event, i.e. capacity ~%.0f events/s "
                "(simulator at %sx; relists %llu; last error: %s)\n",
                (unsigned long long)events, seconds, events / seconds, applyMs,
                events ? applyMs * 1000 / double(events) : 0.0, applyMs > 0 ? events / (applyMs / 1000) : 0.0,
                qPrintable(parser.value("speed")),
                (unsigned long long)client.relists(),
                client.lastError().isEmpty() ? "none" : qPrintable(client.lastError()));
    client.stop();
    return 0;
}
