#pragma once
// One scrape's worth of metrics, shaped as the Prometheus text exposition shapes them:
// a family (name, help, type) holding samples. Histogram families hold their
// `_bucket{le=...}`, `_sum` and `_count` samples, each with its full sample name.
#include "labels.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace opsdeck::telemetry {

enum class MetricType { Counter, Gauge, Histogram, Summary, Untyped };

struct Sample {
    std::string name;   // full sample name, e.g. "agent_task_duration_seconds_bucket"
    Labels labels;      // without __name__
    double value = 0;
    std::optional<std::int64_t> timestampMs;
};

struct MetricFamily {
    std::string name;   // family name, e.g. "agent_task_duration_seconds"
    std::string help;
    MetricType type = MetricType::Untyped;
    std::vector<Sample> samples;
};

using Scrape = std::vector<MetricFamily>;

} // namespace opsdeck::telemetry
