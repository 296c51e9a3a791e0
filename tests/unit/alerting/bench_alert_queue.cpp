// Micro benchmark, run by hand (not a test): how long a push, a dispatcher tick and a
// console snapshot take with N alerts. Usage: bench_alert_queue [alerts=2000]
#include "alert_test_util.h"

#include "backends/telemetry/alerting/alert_queue.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace opsdeck::telemetry;
using namespace opsdeck::telemetry::alerting;
using namespace opsdeck::telemetry::alerting::testutil;

int main(int argc, char **argv)
{
    const int n = argc > 1 ? std::atoi(argv[1]) : 2000;
    const std::int64_t t0 = utcMs(2026, 11, 27, 12, 0, 0);
    std::vector<PostableAlert> batch;
    for (int i = 0; i < n; ++i) {
        const std::string sev = "P" + std::to_string(1 + i % 4);
        batch.push_back(firing({{"alertname", "Alert" + std::to_string(i % 50)},
                                {"service", "svc" + std::to_string(i % 200)},
                                {"instance", "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250)},
                                {"severity", sev}},
                               t0, t0));
    }
    AlertQueue q;
    for (int s = 0; s < 20; ++s) {
        SilenceSpec spec;
        spec.matchers = *parseMatchers("{service=\"svc" + std::to_string(s * 7) + "\", severity=~\"P[34]\"}");
        spec.endsAtMs = t0 + 24 * kHour;
        q.setSilence(spec, t0);
    }
    using Clock = std::chrono::steady_clock;
    auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
    double putMs = 0, advanceMs = 0, snapshotMs = 0;
    std::size_t notifications = 0;
    const int rounds = 240; // one simulated hour of 15 s evaluations
    for (int r = 0; r < rounds; ++r) {
        const std::int64_t t = t0 + r * 15 * kSecond;
        for (auto &a : batch)
            a.endsAtMs = t + 4 * kMinute;
        auto c0 = Clock::now();
        q.put(batch, t);
        auto c1 = Clock::now();
        notifications += q.advance(t).size();
        auto c2 = Clock::now();
        const auto snap = q.snapshot(t);
        auto c3 = Clock::now();
        putMs += ms(c1 - c0);
        advanceMs += ms(c2 - c1);
        snapshotMs += ms(c3 - c2);
        if (snap.size() != std::size_t(n))
            return 1;
    }
    std::printf("%d alerts, %d rounds: put %.2f ms, advance %.2f ms, snapshot %.2f ms per round; %zu notifications\n",
                n, rounds, putMs / rounds, advanceMs / rounds, snapshotMs / rounds, notifications);
    return 0;
}
