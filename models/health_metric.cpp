#include "health_metric.h"

#include "models_tr.h"

#include <QLocale>

#include <cmath>

namespace opsdeck::models {

namespace {
std::array<HealthMetricInfo, kHealthMetricCount> buildInfos()
{
    //: Units and titles of the runbook's system-health metrics, shown on dashboard tiles.
    return {{
        {HealthMetric::RequestRate, "agent_request_rate", Tr::tr("Agent request rate"),
         Tr::tr("/min"), 10000, Breach::Above, Severity::P2, 1},
        {HealthMetric::SuccessRate, "agent_success_rate", Tr::tr("Agent success rate"),
         Tr::tr("%"), 0.95, Breach::Below, Severity::P1, 100},
        {HealthMetric::AverageTaskLatency, "average_task_latency", Tr::tr("Average task latency"),
         Tr::tr("s"), 30, Breach::Above, Severity::P2, 1},
        {HealthMetric::VcUtilization, "virtual_computer_utilization",
         Tr::tr("Virtual computer utilization"), Tr::tr("%"), 0.80, Breach::Above, Severity::P2, 100},
        {HealthMetric::InferenceLatencyP99, "model_inference_latency_p99",
         Tr::tr("Model inference latency p99"), Tr::tr("s"), 2, Breach::Above, Severity::P1, 1},
    }};
}

int decimalsFor(HealthMetric metric, double shown)
{
    switch (metric) {
    case HealthMetric::RequestRate: return 0;
    case HealthMetric::SuccessRate: return shown >= 99.95 ? 1 : 2;
    case HealthMetric::VcUtilization: return 1;
    case HealthMetric::AverageTaskLatency: return shown >= 100 ? 0 : 1;
    case HealthMetric::InferenceLatencyP99: return shown >= 10 ? 1 : 2;
    case HealthMetric::NUM_METRICS: break;
    }
    return 1;
}

QString withUnit(HealthMetric metric, double shown)
{
    const auto &info = healthMetricInfo(metric);
    const QString number = QLocale().toString(shown, 'f', decimalsFor(metric, shown));
    return number + QLatin1Char(' ') + info.unit;
}
} // namespace

const HealthMetricInfo &healthMetricInfo(HealthMetric metric)
{
    // Built on first use, after the application installed its translators.
    static const auto infos = buildInfos();
    return infos.at(std::size_t(metric));
}

std::array<HealthMetric, kHealthMetricCount> allHealthMetrics()
{
    return {HealthMetric::RequestRate, HealthMetric::SuccessRate, HealthMetric::AverageTaskLatency,
            HealthMetric::VcUtilization, HealthMetric::InferenceLatencyP99};
}

double healthValue(const sim::HealthSnapshot &s, HealthMetric metric)
{
    switch (metric) {
    case HealthMetric::RequestRate: return s.requestRatePerMin;
    case HealthMetric::SuccessRate: return s.successRate;
    case HealthMetric::AverageTaskLatency: return s.avgTaskLatencySec;
    case HealthMetric::VcUtilization: return s.virtualComputerUtilization;
    case HealthMetric::InferenceLatencyP99: return s.modelInferenceP99Sec;
    case HealthMetric::NUM_METRICS: break;
    }
    return 0;
}

bool isBreach(HealthMetric metric, double value)
{
    if (std::isnan(value))
        return false; // no data is not a breach; the tile shows "no data" instead
    const auto &info = healthMetricInfo(metric);
    return info.breach == Breach::Above ? value > info.threshold : value < info.threshold;
}

QString formatHealthValue(HealthMetric metric, double value)
{
    if (std::isnan(value))
        return Tr::tr("no data");
    return withUnit(metric, value * healthMetricInfo(metric).displayScale);
}

QString formatThreshold(HealthMetric metric)
{
    const auto &info = healthMetricInfo(metric);
    const QString side = info.breach == Breach::Above ? QStringLiteral("> ") : QStringLiteral("< ");
    const double shown = info.threshold * info.displayScale;
    // Thresholds are round numbers; "95 %" reads better than "95.00 %".
    const bool whole = std::abs(shown - std::round(shown)) < 1e-9;
    const QString number = QLocale().toString(shown, 'f', whole ? 0 : decimalsFor(metric, shown));
    return side + number + QLatin1Char(' ') + info.unit;
}

QString severityName(Severity severity)
{
    return severity == Severity::P1 ? QStringLiteral("P1") : QStringLiteral("P2");
}

} // namespace opsdeck::models
