#pragma once
// What the service map shows for each component, computed from one ClusterSnapshot:
// per-region golden signals and replica counts, the firing alerts that belong to the
// component, and one health verdict (the worst of alerts and runbook thresholds) with
// the reasons for it, so a colour on the map can always be explained in words.
//
// Pure computation, no widgets: the model and the tests share it.
#include "../backends/cluster_backend.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace opsdeck::widgets::map {

// Ordered from best to worst, so std::max picks the verdict.
enum class Health {
    Standby,  // healthy but takes no traffic (warm standby region)
    Ok,
    Notice,   // P3/P4 alert, or replicas still coming up
    P2,       // performance: amber
    P1,       // down / degraded: red
    Dark,     // region unreachable (only for region rows; a node is never Dark)
};
QString healthLabel(Health health); // "OK", "P2", "DOWN", ...

// One component in one region.
struct RegionCell {
    QString region;
    bool regionHealthy = true;
    double trafficWeight = 0;   // the region's DNS share
    int ready = 0;
    int desired = 0;
    double requestsPerSec = 0;
    double errorRatio = 0;
    double latencyP99Sec = 0;
    double utilization = 0;
    Health health = Health::Ok;
};

// A firing alert attributed to a component.
struct NodeAlert {
    QString name;        // alertname
    QString severity;    // "P1".."P4"
    QString region;      // empty: not region specific
    QString summary;
};

struct MapNode {
    QString id;          // runbook component / deployment, "agent-orchestrator"
    QString title;       // "Agent orchestrator"
    QString group;       // "TOOL SERVICES", "DATA", ...
    std::vector<RegionCell> regions; // in the inventory's region order
    // Totals over the regions taking traffic (all regions when none does).
    int ready = 0;
    int desired = 0;
    double requestsPerSec = 0;
    double errorRatio = 0;
    double latencyP99Sec = 0;
    double utilization = 0;
    std::vector<NodeAlert> alerts;
    Health health = Health::Ok;
    QStringList reasons; // why health is what it is, worst first; empty when Ok
};

struct MapRegion {
    QString name;
    bool primary = false;
    bool healthy = true;
    double trafficWeight = 0;
    bool active = false; // HealthSnapshot::activeRegion: takes (most) traffic
};

struct MapState {
    std::int64_t timeMs = 0;
    std::vector<MapRegion> regions;
    std::vector<MapNode> nodes;          // catalogue order, then unknown components
    std::vector<NodeAlert> clusterAlerts; // firing alerts no component could be found for
};

MapState buildMapState(const backends::ClusterSnapshot &snapshot);

// The component an alert is about, from its labels (component, deployment, service,
// job, app, pod name prefix) or, for the runbook's aggregate rules that keep no such
// label, from the metric the rule reads. Empty when none of the known ones fits.
QString componentForAlert(const telemetry::Labels &labels, const QStringList &known);

// Display names for the runbook's components ("model-server" -> "Model server").
QString componentTitle(const QString &id);
QString componentGroup(const QString &id);

// Short figures for node faces and tooltips: "1,234/s", "0.4 %", "180 ms".
QString formatRate(double perSec);
QString formatRatio(double ratio);
QString formatSeconds(double seconds);

} // namespace opsdeck::widgets::map
