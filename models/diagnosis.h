#pragma once
// "Diagnose": the runbook's P2 performance investigation (performance_investigation.py)
// run against the live cluster through PromQL: resource usage (container memory against
// its limit, virtual computer utilization), the state DB connection pool (in use / max,
// wait for a connection), external service latencies (p99 per tool service) and model
// inference p99. Each finding carries its value, its threshold and, when breached, the
// recommendation with the one action that carries it out (increase-db-pool, scale,
// restart, circuit breakers) for RemediationController::request().
//
// Queries go through ClusterBackend::queryInstant only, so Diagnose works the same on a
// remote cluster. The evaluation of one answer is a pure function, tested on its own.
#include "../backends/cluster_backend.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

#include <QCoro/QCoroTask>

namespace opsdeck::models {

enum class DiagnosisArea { Database, Memory, Inference, ExternalServices, VirtualComputers };

struct DiagnosisCheck {
    DiagnosisArea area{};
    QString title;       // "State DB connection pool in use"
    QString promql;      // the instant query that measures it
    double threshold = 0;
    enum class Unit { Ratio, Seconds } unit = Unit::Ratio;
};

struct Finding {
    DiagnosisCheck check;
    bool measured = false;    // the query returned a value
    double value = 0;         // worst series' value
    QString subject;          // what the worst series is ("pod agent-orchestrator-x", "browser-tool", region)
    QString region;
    bool breached = false;
    QString recommendation;   // what to do, when breached (or why nothing)
    std::optional<sim::ActionSpec> action; // the one click that carries it out
    QString error;            // query failed: why

    QString valueText() const;     // "97 %", "2.41 s"
    QString thresholdText() const; // "> 90 %"
    double severity() const { return check.threshold > 0 ? value / check.threshold : 0; }
};

struct DiagnosisReport {
    std::int64_t atEpochMs = 0;
    std::vector<Finding> findings; // in investigation order (root causes first)
    // The first breached finding with an action: what the runbook would do first.
    const Finding *primary() const;
    int breachedCount() const;
};

// The checks in investigation order: the DB pool first (a saturated pool backs every
// other signal up), then memory, inference, tool services, virtual computers.
std::vector<DiagnosisCheck> diagnosisChecks();

// Turns one query answer into a finding (pure). `inventory` (may be null) maps pods to
// deployments and supplies current replica counts for the recommended action.
// `poolMax`: db_pool_connections_max of the region, when known, to size the new pool.
Finding evaluateCheck(const DiagnosisCheck &check, const telemetry::promql::Value &value,
                      const sim::Inventory *inventory, std::optional<double> poolMax = std::nullopt);

// Runs every check at `atEpochMs` (the snapshot's epochMs). Query errors become findings
// with `error` set; the report is never silently short.
QCoro::Task<DiagnosisReport> runDiagnosis(backends::ClusterBackend *backend, std::int64_t atEpochMs,
                                          std::shared_ptr<const sim::Inventory> inventory);

} // namespace opsdeck::models
