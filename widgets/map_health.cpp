#include "map_health.h"

#include "../backends/sim/topology.h"
#include "../models/health_metric.h"
#include "widgets_tr.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <map>

namespace opsdeck::widgets::map {

namespace alerting = telemetry::alerting;
using models::HealthMetric;
using models::healthMetricInfo;

QString healthLabel(Health health)
{
    //: Service map: a node's or region's state badge
    switch (health) {
    case Health::Standby: return Tr::tr("STANDBY");
    case Health::Ok: return Tr::tr("OK");
    case Health::Notice: return Tr::tr("NOTICE");
    case Health::P2: return Tr::tr("P2");
    case Health::P1: return Tr::tr("P1");
    case Health::Dark: return Tr::tr("DARK");
    }
    return {};
}

QString componentTitle(const QString &id)
{
    //: Service map node titles: the runbook's components
    static const std::map<QString, const char *> titles = {
        {QStringLiteral("load-balancer"), QT_TRANSLATE_NOOP("OpsDeck::Widgets", "Load balancer")},
        {QStringLiteral("api-gateway"), QT_TRANSLATE_NOOP("OpsDeck::Widgets", "API gateway")},
        {QStringLiteral("agent-orchestrator"), QT_TRANSLATE_NOOP("OpsDeck::Widgets", "Agent orchestrator")},
        {QStringLiteral("model-server"), QT_TRANSLATE_NOOP("OpsDeck::Widgets", "Model server")},
        {QStringLiteral("virtual-computer"), QT_TRANSLATE_NOOP("OpsDeck::Widgets", "Virtual computer")},
        {QStringLiteral("browser-tool"), QT_TRANSLATE_NOOP("OpsDeck::Widgets", "Browser tool")},
        {QStringLiteral("code-executor"), QT_TRANSLATE_NOOP("OpsDeck::Widgets", "Code executor")},
        {QStringLiteral("tool-api-gateway"), QT_TRANSLATE_NOOP("OpsDeck::Widgets", "Tool API gateway")},
        {QStringLiteral("safety-filter"), QT_TRANSLATE_NOOP("OpsDeck::Widgets", "Safety filter")},
        {QStringLiteral("permission-manager"), QT_TRANSLATE_NOOP("OpsDeck::Widgets", "Permission manager")},
        {QStringLiteral("state-db"), QT_TRANSLATE_NOOP("OpsDeck::Widgets", "State database")},
        {QStringLiteral("message-queue"), QT_TRANSLATE_NOOP("OpsDeck::Widgets", "Message queue")},
    };
    auto it = titles.find(id);
    return it == titles.end() ? id : Tr::tr(it->second);
}

QString componentGroup(const QString &id)
{
    const int service = sim::findService(id.toStdString());
    if (service < 0)
        return Tr::tr("OTHER");
    const std::string &tier = sim::serviceSpec(sim::ServiceId(service)).tier;
    //: Service map: the runbook's component groups, shown small above a node's title
    if (tier == "edge") return Tr::tr("EDGE");
    if (tier == "core") return Tr::tr("CORE");
    if (tier == "inference") return Tr::tr("MODEL SERVING");
    if (tier == "sandbox") return Tr::tr("VIRTUAL COMPUTERS");
    if (tier == "tools") return Tr::tr("TOOL SERVICES");
    if (tier == "safety") return Tr::tr("SAFETY SYSTEMS");
    if (tier == "data") return Tr::tr("DATA");
    return QString::fromStdString(tier).toUpper();
}

QString formatRate(double perSec)
{
    const QLocale locale;
    if (perSec <= 0)
        return Tr::tr("0/s");
    if (perSec >= 100)
        return Tr::tr("%1/s").arg(locale.toString(perSec, 'f', 0));
    return Tr::tr("%1/s").arg(locale.toString(perSec, 'f', perSec >= 10 ? 1 : 2));
}

QString formatRatio(double ratio)
{
    const double pct = ratio * 100;
    if (pct < 0.05 || pct >= 99.95) // whole shares read better: "0 %", "100 %"
        return Tr::tr("%1 %").arg(QLocale().toString(std::round(pct), 'f', 0));
    return Tr::tr("%1 %").arg(QLocale().toString(pct, 'f', pct >= 10 ? 0 : 1));
}

QString formatSeconds(double seconds)
{
    if (seconds < 1)
        return Tr::tr("%1 ms").arg(QLocale().toString(seconds * 1000, 'f', 0));
    return Tr::tr("%1 s").arg(QLocale().toString(seconds, 'f', seconds >= 10 ? 0 : 2));
}

QString componentForAlert(const telemetry::Labels &labels, const QStringList &known)
{
    // Labels that name the affected thing directly, most specific first.
    for (const char *name : {"component", "deployment", "service", "job", "app"}) {
        const QString value = QString::fromStdString(labels.get(name));
        if (value.isEmpty())
            continue;
        if (known.contains(value))
            return value;
        const int service = sim::findService(value.toStdString()); // app label spelling
        if (service >= 0) {
            const QString id = QString::fromStdString(sim::serviceSpec(sim::ServiceId(service)).deployment);
            if (known.contains(id))
                return id;
        }
    }
    // Per-pod rules (HighMemoryUsage): pods are named "<deployment>-<hash>-<suffix>".
    const QString pod = QString::fromStdString(labels.get("pod"));
    if (!pod.isEmpty()) {
        QString best;
        for (const QString &id : known)
            if (pod.startsWith(id + QLatin1Char('-')) && id.size() > best.size())
                best = id;
        if (!best.isEmpty())
            return best;
    }
    // The runbook's aggregate rules sum the labels away; the metric says whose it is.
    static const std::map<std::string, const char *> byAlertName = {
        {"HighErrorRate", "agent-orchestrator"},
        {"AgentSuccessRateLow", "agent-orchestrator"},
        {"AverageTaskLatencyHigh", "agent-orchestrator"},
        {"AgentRequestRateHigh", "load-balancer"},
        {"VirtualComputerUtilizationHigh", "virtual-computer"},
        {"ModelInferenceLatencyP99High", "model-server"},
    };
    if (auto it = byAlertName.find(labels.get("alertname")); it != byAlertName.end()) {
        const QString id = QString::fromLatin1(it->second);
        if (known.contains(id))
            return id;
    }
    return {};
}

namespace {

Health healthOfSeverity(alerting::Severity severity)
{
    switch (severity) {
    case alerting::Severity::P1: return Health::P1;
    case alerting::Severity::P2: return Health::P2;
    default: return Health::Notice;
    }
}

struct Verdict {
    Health health = Health::Ok;
    std::vector<std::pair<Health, QString>> reasons;
    void raise(Health h, QString why)
    {
        health = std::max(health, h);
        reasons.emplace_back(h, std::move(why));
    }
};

// Golden signals of one component in one region against the runbook's thresholds.
void judgeCell(const QString &id, RegionCell &cell, Verdict &verdict)
{
    const QString where = cell.region;
    if (!cell.regionHealthy) {
        cell.health = Health::Dark;
        if (cell.trafficWeight > 0)
            verdict.raise(Health::P1, Tr::tr("%1 is dark but still routed %2 of traffic")
                                          .arg(where, formatRatio(cell.trafficWeight)));
        return;
    }
    Verdict local;
    if (cell.desired > 0 && cell.ready == 0)
        local.raise(Health::P1, Tr::tr("no ready replicas in %1 (0/%2)").arg(where).arg(cell.desired));
    else if (cell.ready * 2 < cell.desired)
        local.raise(Health::P2, Tr::tr("only %1/%2 replicas ready in %3").arg(cell.ready).arg(cell.desired).arg(where));
    else if (cell.ready < cell.desired)
        local.raise(Health::Notice, Tr::tr("%1/%2 replicas ready in %3").arg(cell.ready).arg(cell.desired).arg(where));

    const bool serving = cell.trafficWeight > 0;
    if (serving) {
        // agent_success_rate < 95 % is P1: the same 5 % error budget, per component.
        const double maxErrors = 1 - healthMetricInfo(HealthMetric::SuccessRate).threshold;
        if (cell.errorRatio > maxErrors)
            local.raise(Health::P1, Tr::tr("error ratio %1 > %2 in %3")
                                        .arg(formatRatio(cell.errorRatio), formatRatio(maxErrors), where));
        double latencyLimit = 0;
        Health latencyHealth = Health::P2;
        if (id == QLatin1String("model-server")) {
            const auto &info = healthMetricInfo(HealthMetric::InferenceLatencyP99);
            latencyLimit = info.threshold;
            latencyHealth = Health::P1;
        } else if (id == QLatin1String("agent-orchestrator")) {
            latencyLimit = healthMetricInfo(HealthMetric::AverageTaskLatency).threshold;
        } else if (const int s = sim::findService(id.toStdString()); s >= 0) {
            // Calls waiting past the timeout fail; half of it is where users feel it.
            latencyLimit = sim::serviceSpec(sim::ServiceId(s)).timeoutSeconds / 2;
        }
        if (latencyLimit > 0 && cell.latencyP99Sec > latencyLimit)
            local.raise(latencyHealth, Tr::tr("p99 latency %1 > %2 in %3")
                                           .arg(formatSeconds(cell.latencyP99Sec), formatSeconds(latencyLimit), where));
        // virtual_computer_utilization > 80 % is P2; the same headroom rule for all.
        const double maxUtil = healthMetricInfo(HealthMetric::VcUtilization).threshold;
        if (cell.utilization > maxUtil)
            local.raise(Health::P2, Tr::tr("utilization %1 > %2 in %3")
                                        .arg(formatRatio(cell.utilization), formatRatio(maxUtil), where));
    }
    cell.health = local.reasons.empty() ? (serving ? Health::Ok : Health::Standby) : local.health;
    for (auto &r : local.reasons)
        verdict.raise(r.first, std::move(r.second));
}

} // namespace

MapState buildMapState(const backends::ClusterSnapshot &snapshot)
{
    MapState state;
    state.timeMs = snapshot.timeMs;
    const sim::HealthSnapshot &health = snapshot.health;

    // Regions: the inventory's, else whatever regions the services report.
    if (snapshot.inventory)
        for (const sim::Region &r : snapshot.inventory->regions)
            state.regions.push_back({QString::fromStdString(r.name), r.primary, r.healthy, r.trafficWeight, false});
    for (const sim::ServiceStatus &s : health.services) {
        const QString name = QString::fromStdString(s.region);
        if (std::none_of(state.regions.begin(), state.regions.end(), [&](const MapRegion &r) { return r.name == name; }))
            state.regions.push_back({name, false, true, 0, false});
    }
    for (MapRegion &r : state.regions)
        r.active = r.name == QString::fromStdString(health.activeRegion);
    if (!snapshot.inventory) // no weights known: the active region takes the traffic
        for (MapRegion &r : state.regions)
            r.trafficWeight = r.active ? 1 : 0;

    // Nodes: the runbook's catalogue first (fixed layout), then anything else reported.
    QStringList ids;
    for (const sim::ServiceSpec &spec : sim::serviceCatalogue())
        ids << QString::fromStdString(spec.deployment);
    for (const sim::ServiceStatus &s : health.services)
        if (const QString id = QString::fromStdString(s.component); !ids.contains(id))
            ids << id;

    std::map<QString, std::size_t> index;
    for (const QString &id : ids) {
        MapNode node;
        node.id = id;
        node.title = componentTitle(id);
        node.group = componentGroup(id);
        for (const MapRegion &r : state.regions) {
            RegionCell cell;
            cell.region = r.name;
            cell.regionHealthy = r.healthy;
            cell.trafficWeight = r.trafficWeight;
            cell.health = Health::Standby; // the lowest: alerts and judgeCell only raise it
            node.regions.push_back(cell);
        }
        index[id] = state.nodes.size();
        state.nodes.push_back(std::move(node));
    }
    for (const sim::ServiceStatus &s : health.services) {
        MapNode &node = state.nodes[index[QString::fromStdString(s.component)]];
        for (RegionCell &cell : node.regions) {
            if (cell.region != QString::fromStdString(s.region))
                continue;
            cell.ready = s.ready;
            cell.desired = s.desired;
            cell.requestsPerSec = s.requestsPerSec;
            cell.errorRatio = s.errorRatio;
            cell.latencyP99Sec = s.latencyP99Sec;
            cell.utilization = s.utilization;
        }
    }

    // Alerts: firing ones, to their component (and region, when labelled).
    std::map<QString, Verdict> verdicts;
    if (snapshot.alerts) {
        for (const alerting::QueuedAlert &a : *snapshot.alerts) {
            if (a.resolved)
                continue;
            const telemetry::Labels &labels = a.alert.labels;
            NodeAlert alert{QString::fromStdString(labels.get("alertname")),
                            QString::fromStdString(alerting::severityName(a.severity)),
                            QString::fromStdString(labels.get("region")), {}};
            if (auto it = a.alert.annotations.find("summary"); it != a.alert.annotations.end())
                alert.summary = QString::fromStdString(it->second);
            const QString id = componentForAlert(labels, ids);
            if (id.isEmpty()) {
                state.clusterAlerts.push_back(std::move(alert));
                continue;
            }
            const QString why = alert.region.isEmpty()
                ? Tr::tr("%1 firing (%2)").arg(alert.name, alert.severity)
                : Tr::tr("%1 firing in %2 (%3)").arg(alert.name, alert.region, alert.severity);
            MapNode &node = state.nodes[index[id]];
            const Health h = healthOfSeverity(a.severity);
            verdicts[id].raise(h, why);
            for (RegionCell &cell : node.regions)
                if (cell.region == alert.region && cell.regionHealthy)
                    cell.health = std::max(cell.health, h);
            node.alerts.push_back(std::move(alert));
        }
    }

    for (MapNode &node : state.nodes) {
        Verdict &verdict = verdicts[node.id];
        // Alert-raised cell states set above survive; judgeCell only ever raises them.
        std::vector<Health> fromAlerts;
        for (const RegionCell &cell : node.regions)
            fromAlerts.push_back(cell.health);
        for (std::size_t i = 0; i < node.regions.size(); ++i) {
            judgeCell(node.id, node.regions[i], verdict);
            if (node.regions[i].health != Health::Dark)
                node.regions[i].health = std::max(node.regions[i].health, fromAlerts[i]);
        }
        // Totals over the serving regions; with none serving, over all of them.
        const bool anyServing = std::any_of(node.regions.begin(), node.regions.end(),
                                            [](const RegionCell &c) { return c.trafficWeight > 0; });
        double errors = 0;
        for (const RegionCell &cell : node.regions) {
            if (anyServing && cell.trafficWeight <= 0)
                continue;
            node.ready += cell.ready;
            node.desired += cell.desired;
            node.requestsPerSec += cell.requestsPerSec;
            errors += cell.errorRatio * cell.requestsPerSec;
            node.latencyP99Sec = std::max(node.latencyP99Sec, cell.latencyP99Sec);
            node.utilization = std::max(node.utilization, cell.utilization);
        }
        node.errorRatio = node.requestsPerSec > 0 ? errors / node.requestsPerSec : 0;
        node.health = verdict.health;
        std::stable_sort(verdict.reasons.begin(), verdict.reasons.end(),
                         [](const auto &a, const auto &b) { return a.first > b.first; });
        for (auto &r : verdict.reasons)
            if (!node.reasons.contains(r.second))
                node.reasons << r.second;
    }
    return state;
}

} // namespace opsdeck::widgets::map
