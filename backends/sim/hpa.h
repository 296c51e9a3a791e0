#pragma once
// The Kubernetes HorizontalPodAutoscaler algorithm (autoscaling/v2), as documented:
// per metric desired = ceil(current × currentValue / targetValue), skipped while the
// ratio is within the tolerance; the largest proposal wins; scale-down is stabilised by
// taking the largest recommendation of the last window; the result is clamped.
#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

namespace opsdeck::sim {

struct HpaMetricSample {
    double currentValue = 0; // average utilisation (%) or average value per pod
    double targetValue = 1;
};

// One metric's proposal. Returns currentReplicas when |ratio - 1| <= tolerance.
int hpaReplicasForMetric(int currentReplicas, const HpaMetricSample &metric,
                         double tolerance = 0.1);
// Max over metrics, clamped to [minReplicas, maxReplicas] (no stabilisation).
int hpaDesiredReplicas(int currentReplicas, const std::vector<HpaMetricSample> &metrics,
                       int minReplicas, int maxReplicas, double tolerance = 0.1);

// Stateful controller: stabilisation window for scale-down and the default scale-up
// policy (at most double, or +4 pods, per 15 s period, whichever is more).
class HpaController {
public:
    HpaController(int minReplicas, int maxReplicas, std::int64_t downWindowMs = 300000)
        : m_min(minReplicas), m_max(maxReplicas), m_window(downWindowMs) {}

    int evaluate(std::int64_t nowMs, int currentReplicas,
                 const std::vector<HpaMetricSample> &metrics);
    int minReplicas() const { return m_min; }
    int maxReplicas() const { return m_max; }
    int lastRecommendation() const { return m_last; }

private:
    int m_min, m_max;
    std::int64_t m_window;
    int m_last = 0;
    std::deque<std::pair<std::int64_t, int>> m_recommendations;
};

} // namespace opsdeck::sim
