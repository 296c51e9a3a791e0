#pragma once
// Queueing approximations for a service of c parallel servers (replicas × workers).
#include <algorithm>
#include <cmath>

namespace opsdeck::sim {

// Mean wait in queue of an M/M/c queue, Sakasegawa's approximation:
//   Wq ≈ S · ρ^(√(2(c+1)) − 1) / (c · (1 − ρ)), ρ = λ / (c · μ), S = 1/μ.
// ρ is capped just below 1: the caller handles overload (λ above capacity) separately.
inline double mmcWaitSeconds(double utilization, double serviceSeconds, double servers)
{
    const double c = std::max(1.0, servers);
    const double rho = std::clamp(utilization, 0.0, 0.985);
    if (rho <= 0)
        return 0;
    return serviceSeconds * std::pow(rho, std::sqrt(2.0 * (c + 1.0)) - 1.0) / (c * (1.0 - rho));
}

} // namespace opsdeck::sim
