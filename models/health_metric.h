#pragma once
// The runbook's five system-health metrics ("Monitoring & Alerting / System Health
// Metrics"): their names, thresholds, severities and how to read them off a snapshot.
// The single place the console keeps these numbers, so tiles, charts and tests agree.
#include "../backends/sim/simulation.h"

#include <QString>

#include <array>

namespace opsdeck::models {

enum class HealthMetric {
    RequestRate,          // agent_request_rate, per minute, > 10000/min: P2
    SuccessRate,          // agent_success_rate, < 95 %: P1
    AverageTaskLatency,   // average_task_latency, > 30 s: P2
    VcUtilization,        // virtual_computer_utilization, > 80 %: P2
    InferenceLatencyP99,  // model_inference_latency_p99, > 2 s: P1
    NUM_METRICS
};
constexpr int kHealthMetricCount = int(HealthMetric::NUM_METRICS);

enum class Severity { P1, P2 };
enum class Breach { Above, Below }; // which side of the threshold is bad

struct HealthMetricInfo {
    HealthMetric metric;
    const char *runbookName;  // "agent_request_rate"
    QString title;            // translated, for chart titles
    QString unit;             // translated unit suffix ("/min", "%", "s")
    double threshold;         // in the snapshot's units (ratios stay 0..1)
    Breach breach;
    Severity severity;
    double displayScale;      // multiply snapshot units by this to show (ratio -> %)
};

const HealthMetricInfo &healthMetricInfo(HealthMetric metric);
std::array<HealthMetric, kHealthMetricCount> allHealthMetrics();

double healthValue(const sim::HealthSnapshot &snapshot, HealthMetric metric);
bool isBreach(HealthMetric metric, double value);
// "12,345 /min", "97.3 %", "1.84 s": value with unit, rounded for reading at a glance.
QString formatHealthValue(HealthMetric metric, double value);
QString formatThreshold(HealthMetric metric); // "> 10,000 /min", "< 95 %"
QString severityName(Severity severity);      // "P1", "P2"

} // namespace opsdeck::models
