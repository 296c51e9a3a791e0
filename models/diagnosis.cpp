#include "diagnosis.h"

#include "models_tr.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace opsdeck::models {

namespace {
using promql = telemetry::promql::ValueType;

QString q(const std::string &s) { return QString::fromStdString(s); }

const sim::Deployment *deploymentNamed(const sim::Inventory *inv, const std::string &region, const std::string &name)
{
    if (!inv)
        return nullptr;
    for (const auto &d : inv->deployments)
        if (d.name == name && d.region == region && d.ns == "chatgpt-agent")
            return &d;
    return nullptr;
}

// Current replicas of `name` in `region`, or `fallback` when the inventory does not say.
int replicasOf(const sim::Inventory *inv, const std::string &region, const std::string &name, int fallback)
{
    const sim::Deployment *d = deploymentNamed(inv, region, name);
    return d ? d->replicas : fallback;
}

sim::ActionSpec makeAction(sim::ActionKind kind, const std::string &target, const std::string &region)
{
    sim::ActionSpec a;
    a.kind = kind;
    a.target = target;
    if (!region.empty())
        a.params["region"] = region;
    return a;
}

QString percent(double ratio) { return QStringLiteral("%1 %").arg(ratio * 100, 0, 'f', ratio < 0.1 ? 1 : 0); }
QString seconds(double s) { return QStringLiteral("%1 s").arg(s, 0, 'f', s < 1 ? 3 : 2); }
} // namespace

QString Finding::valueText() const
{
    if (!measured)
        return Tr::tr("no data");
    return check.unit == DiagnosisCheck::Unit::Ratio ? percent(value) : seconds(value);
}

QString Finding::thresholdText() const
{
    return QStringLiteral("> ") + (check.unit == DiagnosisCheck::Unit::Ratio ? percent(check.threshold) : seconds(check.threshold));
}

const Finding *DiagnosisReport::primary() const
{
    for (const auto &f : findings)
        if (f.breached && f.action)
            return &f;
    return nullptr;
}

int DiagnosisReport::breachedCount() const
{
    return static_cast<int>(std::count_if(findings.begin(), findings.end(), [](const Finding &f) { return f.breached; }));
}

std::vector<DiagnosisCheck> diagnosisChecks()
{
    using U = DiagnosisCheck::Unit;
    return {
        {DiagnosisArea::Database, Tr::tr("State DB connection pool in use"),
         QStringLiteral("max by (region) (db_pool_connections_in_use / db_pool_connections_max)"), 0.9, U::Ratio},
        {DiagnosisArea::Database, Tr::tr("Wait for a DB connection"), QStringLiteral("max by (region) (db_pool_wait_seconds)"), 0.1,
         U::Seconds},
        {DiagnosisArea::Memory, Tr::tr("Container memory against its limit"),
         QStringLiteral("container_memory_usage_bytes / container_spec_memory_limit_bytes"), 0.9, U::Ratio},
        {DiagnosisArea::Inference, Tr::tr("Model inference latency p99"),
         QStringLiteral("histogram_quantile(0.99, sum by (region, le) (rate(model_inference_latency_seconds_bucket[5m])))"), 2.0,
         U::Seconds},
        {DiagnosisArea::ExternalServices, Tr::tr("External service latency p99"),
         QStringLiteral("histogram_quantile(0.99, sum by (service, le) (rate(external_service_latency_seconds_bucket[5m])))"), 10.0,
         U::Seconds},
        {DiagnosisArea::VirtualComputers, Tr::tr("Virtual computer utilization"),
         QStringLiteral("max by (region) (virtual_computer_utilization)"), 0.8, U::Ratio},
    };
}

Finding evaluateCheck(const DiagnosisCheck &check, const telemetry::promql::Value &value, const sim::Inventory *inv,
                      std::optional<double> poolMax)
{
    Finding f;
    f.check = check;
    if (value.type == promql::Scalar) {
        f.measured = std::isfinite(value.scalar);
        f.value = value.scalar;
    } else if (value.type == promql::Vector) {
        const telemetry::promql::InstantSample *worst = nullptr;
        for (const auto &s : value.vector)
            if (std::isfinite(s.value) && (!worst || s.value > worst->value))
                worst = &s;
        if (worst) {
            f.measured = true;
            f.value = worst->value;
            f.region = q(worst->metric.get("region"));
            for (const char *label : {"pod", "service"})
                if (const std::string &v = worst->metric.get(label); !v.empty()) {
                    f.subject = q(v);
                    break;
                }
            if (f.subject.isEmpty())
                f.subject = f.region;
        }
    } else {
        f.error = Tr::tr("the query answered with a %1, not an instant vector").arg(value.type == promql::Matrix ? QLatin1String("matrix") : QLatin1String("string"));
        return f;
    }
    if (!f.measured) {
        f.recommendation = Tr::tr("No data: nothing exports this here.");
        return f;
    }
    f.breached = f.value > check.threshold;
    if (!f.breached) {
        f.recommendation = Tr::tr("Within tolerance.");
        return f;
    }
    const std::string region = f.region.toStdString();
    switch (check.area) {
    case DiagnosisArea::Database: {
        sim::ActionSpec a = makeAction(sim::ActionKind::IncreaseDbPool, "state-db", region);
        if (poolMax && *poolMax > 0) {
            a.params["size"] = std::to_string(static_cast<int>(std::ceil(*poolMax * 2.5)));
            a.params["current"] = std::to_string(static_cast<int>(*poolMax));
        }
        f.recommendation = poolMax ? Tr::tr("Connection pool exhausted: increase the pool size from %1 to %2 connections.")
                                         .arg(static_cast<int>(*poolMax))
                                         .arg(static_cast<int>(std::ceil(*poolMax * 2.5)))
                                   : Tr::tr("Connection pool exhausted: increase the pool size (2.5 ×).");
        f.action = a;
        break;
    }
    case DiagnosisArea::Memory: {
        std::string deployment, ns = "chatgpt-agent", podRegion = region;
        if (inv)
            for (const auto &pod : inv->pods)
                if (q(pod.name) == f.subject) {
                    deployment = pod.deployment;
                    ns = pod.ns;
                    podRegion = pod.region;
                    break;
                }
        if (deployment.empty()) {
            f.recommendation = Tr::tr("Memory near the limit in pod %1 (its deployment is unknown): find the leak.").arg(f.subject);
            break;
        }
        sim::ActionSpec a = makeAction(sim::ActionKind::Restart, deployment, podRegion);
        if (ns != "chatgpt-agent")
            a.params["namespace"] = ns;
        f.recommendation = Tr::tr("Pod %1 is at %2 of its memory limit and will be OOMKilled: restart deployment/%3 (rolling) "
                                  "to free it now, then find the leak.")
                               .arg(f.subject, f.valueText(), q(deployment));
        f.action = a;
        break;
    }
    case DiagnosisArea::Inference: {
        const int now = replicasOf(inv, region, "model-server", 0);
        sim::ActionSpec a = makeAction(sim::ActionKind::Scale, "model-server", region);
        const int target = now > 0 ? now + std::max(1, static_cast<int>(std::ceil(now * 0.5))) : 20;
        a.params["replicas"] = std::to_string(target);
        f.recommendation = Tr::tr("Inference is the bottleneck: scale model-server from %1 to %2 (GPU nodes permitting); "
                                  "if no GPUs are free, enable safety mode to shed free-tier load.")
                               .arg(now)
                               .arg(target);
        f.action = a;
        break;
    }
    case DiagnosisArea::ExternalServices: {
        sim::ActionSpec a = makeAction(sim::ActionKind::CircuitBreaker, "agent-orchestrator", {});
        a.params["enabled"] = "true";
        f.recommendation = Tr::tr("Tool service %1 is slow: arm the circuit breakers so failing tools degrade tasks "
                                  "instead of holding them.")
                               .arg(f.subject);
        f.action = a;
        break;
    }
    case DiagnosisArea::VirtualComputers: {
        const int now = replicasOf(inv, region, "virtual-computer", 0);
        // Enough sandboxes to bring utilization back to about 60 %.
        const int target = now > 0 ? std::max(now + 1, static_cast<int>(std::ceil(now * f.value / 0.6))) : 100;
        sim::ActionSpec a = makeAction(sim::ActionKind::Scale, "virtual-computer", region);
        a.params["replicas"] = std::to_string(target);
        f.recommendation = Tr::tr("Scale out compute: virtual-computer from %1 to %2 replicas (about 60 % utilization).")
                               .arg(now)
                               .arg(target);
        f.action = a;
        break;
    }
    }
    return f;
}

QCoro::Task<DiagnosisReport> runDiagnosis(backends::ClusterBackend *backend, std::int64_t atEpochMs,
                                          std::shared_ptr<const sim::Inventory> inventory)
{
    DiagnosisReport report;
    report.atEpochMs = atEpochMs;
    // Pool sizes per region, to say how big the new pool should be.
    std::map<QString, double> poolMax;
    {
        const auto sizes = co_await backend->queryInstant(QStringLiteral("max by (region) (db_pool_connections_max)"), atEpochMs);
        if (sizes && sizes->type == promql::Vector)
            for (const auto &s : sizes->vector)
                poolMax[q(s.metric.get("region"))] = s.value;
    }
    for (const DiagnosisCheck &check : diagnosisChecks()) {
        const auto answer = co_await backend->queryInstant(check.promql, atEpochMs);
        if (!answer) {
            Finding f;
            f.check = check;
            f.error = q(answer.error());
            f.recommendation = Tr::tr("Query failed: %1").arg(f.error);
            report.findings.push_back(std::move(f));
            continue;
        }
        std::optional<double> pool;
        if (check.area == DiagnosisArea::Database) {
            // the region of the worst series is only known after evaluation: pick it there
            Finding probe = evaluateCheck(check, *answer, inventory.get());
            if (auto it = poolMax.find(probe.region); it != poolMax.end())
                pool = it->second;
        }
        report.findings.push_back(evaluateCheck(check, *answer, inventory.get(), pool));
    }
    co_return report;
}

} // namespace opsdeck::models
