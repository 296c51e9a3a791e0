#include "hpa.h"

#include <algorithm>
#include <cmath>

namespace opsdeck::sim {

int hpaReplicasForMetric(int currentReplicas, const HpaMetricSample &metric, double tolerance)
{
    if (currentReplicas <= 0 || !(metric.targetValue > 0))
        return currentReplicas;
    const double ratio = metric.currentValue / metric.targetValue;
    if (std::abs(ratio - 1.0) <= tolerance)
        return currentReplicas;
    // The tiny epsilon keeps e.g. 10 × 0.7 = 7.000000000000001 from rounding up to 8.
    return static_cast<int>(std::ceil(currentReplicas * ratio - 1e-9));
}

int hpaDesiredReplicas(int currentReplicas, const std::vector<HpaMetricSample> &metrics,
                       int minReplicas, int maxReplicas, double tolerance)
{
    int desired = metrics.empty() ? currentReplicas : 0;
    for (const auto &m : metrics)
        desired = std::max(desired, hpaReplicasForMetric(currentReplicas, m, tolerance));
    return std::clamp(desired, minReplicas, maxReplicas);
}

int HpaController::evaluate(std::int64_t nowMs, int currentReplicas,
                            const std::vector<HpaMetricSample> &metrics)
{
    const int raw = hpaDesiredReplicas(currentReplicas, metrics, m_min, m_max);
    m_recommendations.emplace_back(nowMs, raw);
    while (!m_recommendations.empty() && m_recommendations.front().first < nowMs - m_window)
        m_recommendations.pop_front();

    int result = raw;
    if (raw < currentReplicas) {
        // scale down no further than the highest recommendation in the window
        int highest = raw;
        for (const auto &r : m_recommendations)
            highest = std::max(highest, r.second);
        result = std::min(currentReplicas, highest);
    } else if (raw > currentReplicas) {
        const int limit = std::max(currentReplicas * 2, currentReplicas + 4);
        result = std::min(raw, limit);
    }
    m_last = std::clamp(result, m_min, m_max);
    return m_last;
}

} // namespace opsdeck::sim
