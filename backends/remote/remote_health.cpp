#include "remote_health.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace opsdeck::remote {

using telemetry::promql::Value;
using telemetry::promql::ValueType;

const std::vector<HealthQuery> &healthQueries()
{
    // The runbook's key-metric table, written as runbook.rules.yml writes it (5m rates),
    // with max() where the simulation's health takes the worst serving region.
    static const std::vector<HealthQuery> queries = {
        {"requestRatePerMin", "sum(rate(agent_requests_total[5m])) * 60"},
        {"errorRatio", "sum(rate(agent_errors_total[5m])) / sum(rate(agent_requests_total[5m]))"},
        {"avgTaskLatencySec",
         "sum(rate(agent_task_duration_seconds_sum[5m])) / sum(rate(agent_task_duration_seconds_count[5m]))"},
        {"virtualComputerUtilization", "max(virtual_computer_utilization)"},
        {"modelInferenceP99Sec",
         "histogram_quantile(0.99, sum by (le) (rate(model_inference_latency_seconds_bucket[5m])))"},
        {"memoryUsageRatio", "max(container_memory_usage_bytes / container_spec_memory_limit_bytes)"},
        {"safetyViolationsPerSec", "sum(rate(safety_violations_total[5m]))"},
        {"activeSessions", "sum(agent_active_sessions)"},
        {"regionRequests", "sum by (region) (rate(agent_requests_total[5m]))"},
        {"serviceRequests", "sum by (service, region) (rate(http_requests_total[5m]))"},
        {"serviceErrors", "sum by (service, region) (rate(http_requests_total{code=~\"5..\"}[5m]))"},
        {"serviceP99",
         "histogram_quantile(0.99, sum by (service, region, le) (rate(http_request_duration_seconds_bucket[5m])))"},
    };
    return queries;
}

namespace {

// The single number of a scalar or one-element vector; nullopt when there is none
// (empty vector: no data yet, or a division by zero that PromQL drops).
std::optional<double> single(const Value &v)
{
    if (v.type == ValueType::Scalar)
        return v.scalar;
    if (v.type == ValueType::Vector && !v.vector.empty() && std::isfinite(v.vector.front().value))
        return v.vector.front().value;
    return std::nullopt;
}

using ServiceKey = std::pair<std::string, std::string>; // component, region

} // namespace

sim::HealthSnapshot healthFromResults(const std::map<std::string, Value> &results, const sim::Inventory *inventory,
                                      std::vector<std::string> *missing, const std::vector<std::string> *podComponents)
{
    sim::HealthSnapshot h;
    const auto number = [&](const char *key, double &into) {
        auto it = results.find(key);
        std::optional<double> v = it == results.end() ? std::nullopt : single(it->second);
        if (v)
            into = *v;
        else if (missing)
            missing->push_back(key);
        return v.has_value();
    };
    number("requestRatePerMin", h.requestRatePerMin);
    if (number("errorRatio", h.errorRatio))
        h.successRate = 1 - h.errorRatio;
    number("avgTaskLatencySec", h.avgTaskLatencySec);
    number("virtualComputerUtilization", h.virtualComputerUtilization);
    number("modelInferenceP99Sec", h.modelInferenceP99Sec);
    number("memoryUsageRatio", h.memoryUsageRatio);
    number("safetyViolationsPerSec", h.safetyViolationsPerSec);
    double sessions = 0;
    if (number("activeSessions", sessions))
        h.activeSessions = static_cast<int>(std::lround(sessions));

    if (auto it = results.find("regionRequests"); it != results.end() && it->second.type == ValueType::Vector) {
        double best = -1;
        for (const auto &s : it->second.vector) {
            if (s.value > best) {
                best = s.value;
                h.activeRegion = s.metric.get("region");
            }
        }
    }

    // Per-service rows: Kubernetes says how many replicas, Prometheus how they behave.
    std::map<ServiceKey, sim::ServiceStatus> rows;
    std::map<std::string, std::string> componentOfName; // deployment name -> its component ("" if ambiguous)
    if (inventory) {
        std::set<std::string> withDeployment;
        for (const auto &d : inventory->deployments) {
            const std::string component = d.component.empty() ? d.name : d.component;
            auto &row = rows[{component, d.region}];
            row.component = component;
            row.region = d.region;
            row.desired += d.replicas;
            row.ready += d.readyReplicas;
            withDeployment.insert(component);
            if (auto [it, fresh] = componentOfName.emplace(d.name, component); !fresh && it->second != component)
                it->second.clear(); // same name, different components (namespaces): leave the label alone
        }
        if (podComponents && podComponents->size() == inventory->pods.size()) {
            for (std::size_t i = 0; i < inventory->pods.size(); ++i) {
                const std::string &component = (*podComponents)[i];
                const sim::Pod &pod = inventory->pods[i];
                if (component.empty() || withDeployment.count(component) || pod.phase == sim::PodPhase::Succeeded)
                    continue;
                auto &row = rows[{component, pod.region}];
                row.component = component;
                row.region = pod.region;
                row.desired += 1;
                row.ready += pod.ready;
            }
        }
    }
    const auto perService = [&](const char *key, auto apply) {
        auto it = results.find(key);
        if (it == results.end() || it->second.type != ValueType::Vector) {
            if (missing)
                missing->push_back(key);
            return;
        }
        for (const auto &s : it->second.vector) {
            std::string service = s.metric.get("service");
            if (service.empty() || !std::isfinite(s.value))
                continue;
            if (auto renamed = componentOfName.find(service); renamed != componentOfName.end() && !renamed->second.empty())
                service = renamed->second; // the cluster's name for a runbook component
            ServiceKey k{service, s.metric.get("region")};
            // A region-less Kubernetes row (one cluster) takes any region's numbers.
            if (!rows.count(k) && rows.count({service, ""}))
                k = {service, ""};
            auto &row = rows[k];
            row.component = k.first;
            row.region = k.second;
            apply(row, s.value);
        }
    };
    perService("serviceRequests", [](sim::ServiceStatus &r, double v) { r.requestsPerSec += v; });
    perService("serviceErrors", [](sim::ServiceStatus &r, double v) { r.errorRatio += v; }); // rate for now
    perService("serviceP99", [](sim::ServiceStatus &r, double v) { r.latencyP99Sec = std::max(r.latencyP99Sec, v); });
    for (auto &[key, row] : rows) {
        row.errorRatio = row.requestsPerSec > 0 ? std::min(1.0, row.errorRatio / row.requestsPerSec) : 0.0;
        h.services.push_back(row);
    }
    return h;
}

} // namespace opsdeck::remote
