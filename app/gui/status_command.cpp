#include "status_command.h"

#include "backends/remote/remote_backend.h"
#include "backends/telemetry/alerting/alert_json.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>

namespace opsdeck::app {

namespace {

using backends::ConnectionState;
using remote::RemoteComponent;

constexpr int kRefreshTimeoutMs = 45'000;

const char *kUsage =
    "usage: opsdeck status [--kubeconfig FILE] [--context NAME] [--prometheus URL] [--alertmanager URL]\n"
    "                      [--component-map FILE] [--json]\n"
    "  Prints the cluster's inventory, firing alerts and key metrics once, through the same\n"
    "  remote backend the console uses. --component-map: YAML mapping the runbook's components\n"
    "  to label selectors. Exit 0: all configured components answered;\n"
    "  2: some were unreachable (the rest is still printed); 1: bad arguments.\n";

QCoro::Task<void> refreshAndQuit(remote::RemoteBackend *backend, QEventLoop *loop, bool *done)
{
    auto refresh = backend->refreshNow(); // named: GCC 12 and temporaries in co_await
    co_await refresh;
    *done = true;
    loop->quit();
}

// The runbook's key-metric table: value, how it is shown, and when it breaches.
struct KeyMetric {
    const char *key;
    const char *label;
    double value;
    bool breach;
    const char *threshold;
    const char *severity;
    QString shown;
};

std::vector<KeyMetric> keyMetrics(const sim::HealthSnapshot &h)
{
    const auto pct = [](double v) { return QString::number(v * 100, 'f', 1) + QStringLiteral(" %"); };
    return {
        {"requestRatePerMin", "Request rate", h.requestRatePerMin, h.requestRatePerMin > 10000, "> 10000/min", "P2",
         QString::number(h.requestRatePerMin, 'f', 0) + QStringLiteral(" /min")},
        {"successRate", "Success rate", h.successRate, h.successRate < 0.95, "< 95 %", "P1", pct(h.successRate)},
        {"avgTaskLatencySec", "Average task latency", h.avgTaskLatencySec, h.avgTaskLatencySec > 30, "> 30 s", "P2",
         QString::number(h.avgTaskLatencySec, 'f', 2) + QStringLiteral(" s")},
        {"virtualComputerUtilization", "Virtual computer utilization", h.virtualComputerUtilization,
         h.virtualComputerUtilization > 0.8, "> 80 %", "P2", pct(h.virtualComputerUtilization)},
        {"modelInferenceP99Sec", "Model inference p99", h.modelInferenceP99Sec, h.modelInferenceP99Sec > 2, "> 2 s",
         "P1", QString::number(h.modelInferenceP99Sec, 'f', 3) + QStringLiteral(" s")},
        {"memoryUsageRatio", "Memory usage (max pod)", h.memoryUsageRatio, h.memoryUsageRatio > 0.9, "> 90 %", "P2",
         pct(h.memoryUsageRatio)},
    };
}

QString stateWord(const remote::ComponentStatus &s)
{
    switch (s.state) {
    case ConnectionState::Connected: return QStringLiteral("connected");
    case ConnectionState::Disconnected: return QStringLiteral("not configured");
    case ConnectionState::Connecting: return QStringLiteral("no answer yet");
    default: return QStringLiteral("unreachable");
    }
}

struct InventoryCounts {
    int namespaces = 0, deployments = 0, deploymentsReady = 0, pods = 0, podsReady = 0, podsFailed = 0, nodes = 0,
        nodesReady = 0;
};

InventoryCounts countInventory(const sim::Inventory &inv)
{
    InventoryCounts c;
    c.namespaces = int(inv.namespaces.size());
    c.deployments = int(inv.deployments.size());
    for (const auto &d : inv.deployments)
        c.deploymentsReady += d.readyReplicas >= d.replicas;
    c.pods = int(inv.pods.size());
    for (const auto &p : inv.pods) {
        c.podsReady += p.ready;
        c.podsFailed += p.phase == sim::PodPhase::Failed;
    }
    c.nodes = int(inv.nodes.size());
    for (const auto &n : inv.nodes)
        c.nodesReady += n.ready;
    return c;
}

QString alertLabels(const telemetry::Labels &labels)
{
    QStringList parts;
    for (const auto &[k, v] : labels.items())
        if (k != "alertname" && k != "severity")
            parts << QString::fromStdString(k + "=" + v);
    return parts.join(QLatin1Char(' '));
}

void printText(const remote::RemoteBackend &backend, const backends::ClusterSnapshot &snap)
{
    std::printf("Cluster %s\n", qPrintable(backend.displayName()));
    for (RemoteComponent c : {RemoteComponent::Kubernetes, RemoteComponent::Prometheus, RemoteComponent::Alertmanager}) {
        const auto s = backend.componentStatus(c);
        std::printf("  %-13s %s%s%s\n", qPrintable(remote::remoteComponentName(c)), qPrintable(stateWord(s)),
                    s.detail.isEmpty() ? "" : ": ", qPrintable(s.detail));
    }
    std::printf("\nInventory\n");
    if (backend.componentStatus(RemoteComponent::Kubernetes).state != ConnectionState::Connected) {
        std::printf("  unknown: Kubernetes did not answer\n");
    } else {
        const InventoryCounts c = countInventory(*snap.inventory);
        std::printf("  %d namespaces, %d deployments (%d fully ready), %d pods (%d ready, %d failed), %d nodes (%d ready)\n",
                    c.namespaces, c.deployments, c.deploymentsReady, c.pods, c.podsReady, c.podsFailed, c.nodes,
                    c.nodesReady);
        for (const auto &d : snap.inventory->deployments) {
            const std::string image = d.podTemplate.containers.empty() ? "" : d.podTemplate.containers.front().image;
            // The runbook component, when the cluster's name for it differs.
            const std::string component = d.component.empty() || d.component == d.name ? "" : "  [" + d.component + "]";
            std::printf("  %-24s %-22s %4d/%-4d rev %-3d %s%s\n", d.ns.c_str(), d.name.c_str(), d.readyReplicas,
                        d.replicas, d.revision, image.c_str(), component.c_str());
        }
    }
    std::printf("\nFiring alerts\n");
    if (!snap.alerts) {
        std::printf("  unknown: %s\n", backend.config().alertmanagerUrl.isEmpty() ? "no Alertmanager URL given"
                                                                                  : "Alertmanager did not answer");
    } else {
        int firing = 0;
        for (const auto &q : *snap.alerts) {
            if (q.resolved)
                continue;
            ++firing;
            std::printf("  %-3s %-28s since %s  %s%s%s\n",
                        telemetry::alerting::severityName(q.severity).c_str(),
                        q.alert.labels.get("alertname").c_str(),
                        telemetry::alerting::formatRfc3339Ms(q.alert.startsAtMs).c_str(),
                        qPrintable(alertLabels(q.alert.labels)),
                        q.status.state == telemetry::alerting::AlertStatus::State::Suppressed ? "  (silenced)" : "",
                        q.ack ? qPrintable(QStringLiteral("  (acknowledged by %1)").arg(QString::fromStdString(q.ack->by)))
                              : "");
        }
        if (firing == 0)
            std::printf("  none\n");
    }
    std::printf("\nKey metrics\n");
    if (backend.componentStatus(RemoteComponent::Prometheus).state != ConnectionState::Connected) {
        std::printf("  unknown: %s\n", backend.config().prometheusUrl.isEmpty() ? "no Prometheus URL given"
                                                                                : "Prometheus did not answer");
    } else {
        for (const KeyMetric &m : keyMetrics(snap.health))
            std::printf("  %-30s %14s   threshold %-12s %s\n", m.label, qPrintable(m.shown), m.threshold,
                        m.breach ? qPrintable(QStringLiteral("BREACH (%1)").arg(QLatin1String(m.severity))) : "ok");
    }
}

QJsonObject toJson(const remote::RemoteBackend &backend, const backends::ClusterSnapshot &snap)
{
    QJsonObject root;
    root[QStringLiteral("cluster")] = backend.displayName();
    root[QStringLiteral("time")] = QString::fromStdString(telemetry::alerting::formatRfc3339Ms(snap.epochMs));
    QJsonObject connections;
    for (RemoteComponent c : {RemoteComponent::Kubernetes, RemoteComponent::Prometheus, RemoteComponent::Alertmanager}) {
        const auto s = backend.componentStatus(c);
        connections[remote::remoteComponentName(c).toLower()] =
            QJsonObject{{QStringLiteral("state"), stateWord(s)}, {QStringLiteral("detail"), s.detail}};
    }
    root[QStringLiteral("connections")] = connections;
    if (backend.componentStatus(RemoteComponent::Kubernetes).state == ConnectionState::Connected) {
        const InventoryCounts c = countInventory(*snap.inventory);
        QJsonArray deployments;
        for (const auto &d : snap.inventory->deployments)
            deployments.append(QJsonObject{{QStringLiteral("namespace"), QString::fromStdString(d.ns)},
                                           {QStringLiteral("name"), QString::fromStdString(d.name)},
                                           {QStringLiteral("component"), QString::fromStdString(d.component)},
                                           {QStringLiteral("replicas"), d.replicas},
                                           {QStringLiteral("ready"), d.readyReplicas},
                                           {QStringLiteral("revision"), d.revision},
                                           {QStringLiteral("image"), d.podTemplate.containers.empty()
                                                ? QString()
                                                : QString::fromStdString(d.podTemplate.containers.front().image)}});
        root[QStringLiteral("inventory")] = QJsonObject{
            {QStringLiteral("namespaces"), c.namespaces}, {QStringLiteral("deployments"), c.deployments},
            {QStringLiteral("deploymentsReady"), c.deploymentsReady}, {QStringLiteral("pods"), c.pods},
            {QStringLiteral("podsReady"), c.podsReady}, {QStringLiteral("podsFailed"), c.podsFailed},
            {QStringLiteral("nodes"), c.nodes}, {QStringLiteral("nodesReady"), c.nodesReady},
            {QStringLiteral("deploymentList"), deployments}};
    } else {
        root[QStringLiteral("inventory")] = QJsonValue::Null;
    }
    if (snap.alerts) {
        QJsonArray alerts;
        for (const auto &q : *snap.alerts) {
            if (q.resolved)
                continue;
            QJsonObject labels;
            for (const auto &[k, v] : q.alert.labels.items())
                labels[QString::fromStdString(k)] = QString::fromStdString(v);
            alerts.append(QJsonObject{
                {QStringLiteral("alertname"), QString::fromStdString(q.alert.labels.get("alertname"))},
                {QStringLiteral("severity"), QString::fromStdString(telemetry::alerting::severityName(q.severity))},
                {QStringLiteral("startsAt"), QString::fromStdString(telemetry::alerting::formatRfc3339Ms(q.alert.startsAtMs))},
                {QStringLiteral("fingerprint"), QString::fromStdString(telemetry::alerting::fingerprintToString(q.alert.fingerprint))},
                {QStringLiteral("state"), QString::fromStdString(telemetry::alerting::alertStateName(q.status.state))},
                {QStringLiteral("labels"), labels}});
        }
        root[QStringLiteral("firingAlerts")] = alerts;
    } else {
        root[QStringLiteral("firingAlerts")] = QJsonValue::Null;
    }
    if (backend.componentStatus(RemoteComponent::Prometheus).state == ConnectionState::Connected) {
        QJsonObject metrics;
        for (const KeyMetric &m : keyMetrics(snap.health))
            metrics[QLatin1String(m.key)] = QJsonObject{{QStringLiteral("value"), std::isfinite(m.value) ? QJsonValue(m.value) : QJsonValue()},
                                                       {QStringLiteral("threshold"), QLatin1String(m.threshold)},
                                                       {QStringLiteral("breach"), m.breach},
                                                       {QStringLiteral("severity"), QLatin1String(m.severity)}};
        root[QStringLiteral("keyMetrics")] = metrics;
    } else {
        root[QStringLiteral("keyMetrics")] = QJsonValue::Null;
    }
    return root;
}

} // namespace

int runStatusCommand(const QStringList &args)
{
    if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    const remote::RemoteConfigParse parsed = remote::remoteConfigFromArguments(args);
    if (!parsed.error.isEmpty()) {
        std::fprintf(stderr, "opsdeck status: %s\n%s", qPrintable(parsed.error), kUsage);
        return 1;
    }
    std::unique_ptr<QCoreApplication> ownApp;
    static int argc = 1;
    static char name[] = "opsdeck";
    static char *argv[] = {name, nullptr};
    if (!QCoreApplication::instance())
        ownApp = std::make_unique<QCoreApplication>(argc, argv);

    remote::RemoteBackend backend(parsed.config);
    QEventLoop loop;
    bool done = false;
    auto task = refreshAndQuit(&backend, &loop, &done);
    QTimer::singleShot(kRefreshTimeoutMs, &loop, &QEventLoop::quit);
    if (!done)
        loop.exec();
    if (!done) {
        std::fprintf(stderr, "opsdeck status: no complete answer within %d s\n", kRefreshTimeoutMs / 1000);
        return 2;
    }
    const backends::SnapshotPtr snap = backend.latestSnapshot();
    if (parsed.json)
        std::fputs(QJsonDocument(toJson(backend, *snap)).toJson(QJsonDocument::Indented).constData(), stdout);
    else
        printText(backend, *snap);
    std::fflush(stdout);
    int unreachable = 0;
    for (RemoteComponent c : {RemoteComponent::Kubernetes, RemoteComponent::Prometheus, RemoteComponent::Alertmanager}) {
        const auto state = backend.componentStatus(c).state;
        unreachable += state != ConnectionState::Connected && state != ConnectionState::Disconnected;
    }
    return unreachable ? 2 : 0;
}

} // namespace opsdeck::app
