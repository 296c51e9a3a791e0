#pragma once
// Helpers shared by the simulator tests: read counters out of a scrape, compute the
// error ratio over a window the way PromQL would (increase of errors / increase of
// requests), and serialise a scrape for byte-for-byte comparison.
#include "backends/sim/simulation.h"

#include <cstdio>
#include <functional>
#include <string>

namespace opsdeck::sim::testing {

using telemetry::Labels;
using telemetry::Scrape;

inline constexpr std::int64_t kSec = 1000;
inline constexpr std::int64_t kMin = 60 * kSec;
inline constexpr std::int64_t kHour = 60 * kMin;

// Sum of every sample named `sample` whose labels pass `keep`.
inline double sumSamples(const Scrape &scrape, const std::string &sample,
                         const std::function<bool(const Labels &)> &keep = {})
{
    double total = 0;
    for (const auto &family : scrape)
        for (const auto &s : family.samples)
            if (s.name == sample && (!keep || keep(s.labels)))
                total += s.value;
    return total;
}

inline int countSamples(const Scrape &scrape, const std::string &sample,
                        const std::function<bool(const Labels &)> &keep = {})
{
    int n = 0;
    for (const auto &family : scrape)
        for (const auto &s : family.samples)
            if (s.name == sample && (!keep || keep(s.labels)))
                ++n;
    return n;
}

// Counter snapshot for error ratios over a window.
struct Counters {
    double requests = 0;
    double errors = 0;
    static Counters of(const Simulation &sim, const std::string &ns = "chatgpt-agent")
    {
        const Scrape s = sim.scrape();
        auto inNs = [&](const Labels &l) { return l.get("namespace") == ns; };
        return {sumSamples(s, "agent_requests_total", inNs), sumSamples(s, "agent_errors_total", inNs)};
    }
};

// errors / requests between two snapshots (0 when nothing arrived).
inline double errorRatio(const Counters &before, const Counters &after)
{
    const double req = after.requests - before.requests;
    return req > 0 ? (after.errors - before.errors) / req : 0;
}

// Error ratio over the next `windowMs` of simulated time.
inline double errorRatioOver(Simulation &sim, std::int64_t windowMs)
{
    const Counters a = Counters::of(sim);
    sim.advance(windowMs);
    return errorRatio(a, Counters::of(sim));
}

inline std::string serialise(const Scrape &scrape)
{
    std::string out;
    char buf[64];
    for (const auto &family : scrape) {
        out += "# " + family.name + " " + std::to_string(static_cast<int>(family.type)) + "\n";
        for (const auto &s : family.samples) {
            std::snprintf(buf, sizeof buf, " %.17g\n", s.value);
            out += s.name + s.labels.toString() + buf;
        }
    }
    return out;
}

inline const Deployment *findDeployment(const Simulation &sim, const std::string &name,
                                        const std::string &region = "us-east-1",
                                        const std::string &ns = "chatgpt-agent")
{
    for (const auto &d : sim.inventory().deployments)
        if (d.name == name && d.region == region && d.ns == ns)
            return &d;
    return nullptr;
}

inline ActionSpec action(ActionKind kind, std::string target = {},
                         std::map<std::string, std::string> params = {})
{
    ActionSpec a;
    a.kind = kind;
    a.target = std::move(target);
    a.params = std::move(params);
    return a;
}

inline FaultSpec fault(FaultKind kind, std::string target = {}, std::map<std::string, std::string> params = {})
{
    FaultSpec f;
    f.kind = kind;
    f.target = std::move(target);
    f.params = std::move(params);
    return f;
}

} // namespace opsdeck::sim::testing
