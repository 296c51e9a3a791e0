#pragma once
// Expected-count histogram: each tick adds n observations spread over the buckets by a
// log-normal latency distribution (mean and spread from the queueing model), so the
// buckets fill as a real histogram would without sampling every request.
#include "../telemetry/labels.h"

#include <cmath>
#include <vector>

namespace opsdeck::sim {

class Histogram {
public:
    explicit Histogram(const std::vector<double> &upperBounds)
        : m_bounds(&upperBounds), m_counts(upperBounds.size() + 1, 0.0) {}

    // Log-normal with the given mean and sigma of log (sigma ~0.3-0.8 for latencies).
    // Observations are pooled for a few ticks (count-weighted mean) and spread over the
    // buckets together: the CDF is the expensive part of a tick.
    void addLognormal(double count, double mean, double sigma)
    {
        if (!(count > 0) || !(mean > 0))
            return;
        m_pendingCount += count;
        m_pendingWeighted += count * mean;
        m_pendingSigma = sigma;
        if (++m_pendingTicks >= kPoolTicks)
            flush();
    }

    void flush()
    {
        if (m_pendingCount > 0)
            spread(m_pendingCount, m_pendingWeighted / m_pendingCount, m_pendingSigma);
        m_pendingCount = m_pendingWeighted = 0;
        m_pendingTicks = 0;
    }

    void spread(double count, double mean, double sigma)
    {
        const double mu = std::log(mean) - sigma * sigma / 2;
        double prev = 0;
        for (std::size_t i = 0; i < m_bounds->size(); ++i) {
            const double cdf = lognormalCdf((*m_bounds)[i], mu, sigma);
            m_counts[i] += count * (cdf - prev);
            prev = cdf;
        }
        m_counts.back() += count * (1 - prev);
        m_sum += count * mean;
        m_total += count;
    }

    static double lognormalCdf(double x, double mu, double sigma)
    {
        if (x <= 0)
            return 0;
        return 0.5 * std::erfc(-(std::log(x) - mu) / (sigma * 1.4142135623730951));
    }
    // p-quantile of the log-normal with this mean and sigma.
    static double lognormalQuantile(double mean, double sigma, double z)
    {
        return std::exp(std::log(mean) - sigma * sigma / 2 + z * sigma);
    }

    const std::vector<double> &bounds() const { return *m_bounds; }
    const std::vector<double> &counts() const { return m_counts; } // per bucket, last is +Inf
    double sum() const { return m_sum; }
    double total() const { return m_total; }

    static const std::vector<double> &httpBuckets()
    {
        static const std::vector<double> b{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
        return b;
    }
    static const std::vector<double> &taskBuckets()
    {
        static const std::vector<double> b{0.5, 1, 2.5, 5, 10, 15, 20, 30, 45, 60, 120, 300};
        return b;
    }
    static const std::vector<double> &inferenceBuckets()
    {
        static const std::vector<double> b{0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10};
        return b;
    }
    static const std::vector<double> &externalBuckets()
    {
        static const std::vector<double> b{0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30};
        return b;
    }
    // vLLM's own bucket boundaries.
    static const std::vector<double> &ttftBuckets()
    {
        static const std::vector<double> b{0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,
                                           0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0};
        return b;
    }
    static const std::vector<double> &itlBuckets()
    {
        static const std::vector<double> b{0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2,
                                           0.3, 0.4, 0.5, 0.75, 1.0, 2.5};
        return b;
    }
    static const std::vector<double> &e2eBuckets()
    {
        static const std::vector<double> b{1.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0};
        return b;
    }

    // Label sets of this histogram's samples, built by the first scrape and reused:
    // bucket labels (with le) in order, then the base labels for _sum and _count.
    mutable std::vector<telemetry::Labels> labelCache;

private:
    static constexpr int kPoolTicks = 5;
    double m_pendingCount = 0, m_pendingWeighted = 0, m_pendingSigma = 0.5;
    int m_pendingTicks = 0;
    const std::vector<double> *m_bounds;
    std::vector<double> m_counts;
    double m_sum = 0;
    double m_total = 0;
};

} // namespace opsdeck::sim
