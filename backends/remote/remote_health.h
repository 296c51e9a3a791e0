#pragma once
// The runbook's health numbers (sim::HealthSnapshot) from PromQL: the queries the remote
// backend sends to Prometheus every refresh, and how their answers fill the snapshot.
// The same text runs against the embedded evaluator in tests, so a real cluster and the
// simulation are measured with one yardstick. Plain C++20, no Qt.
#include "backends/sim/inventory.h"
#include "backends/sim/simulation.h"
#include "backends/telemetry/promql/promql.h"

#include <map>
#include <string>
#include <vector>

namespace opsdeck::remote {

struct HealthQuery {
    std::string key;     // "requestRatePerMin", ...
    std::string promql;
};

// Runbook key metrics first, then per-service request/error/latency series.
const std::vector<HealthQuery> &healthQueries();

// Builds the snapshot from the answers (keyed by HealthQuery::key). Missing keys leave the
// field at its default and are listed in `missing`. Deployments of `inventory` give each
// service's desired and ready replicas, under their runbook component; services seen
// only in Prometheus still appear, and a `service` label naming a deployment counts for
// that deployment's component. `podComponents` (parallel to inventory->pods, from the
// component map) adds components that run pods but no Deployment (StatefulSets,
// DaemonSets): desired = their pods, ready = the Ready ones.
sim::HealthSnapshot healthFromResults(const std::map<std::string, telemetry::promql::Value> &results,
                                      const sim::Inventory *inventory, std::vector<std::string> *missing = nullptr,
                                      const std::vector<std::string> *podComponents = nullptr);

} // namespace opsdeck::remote
