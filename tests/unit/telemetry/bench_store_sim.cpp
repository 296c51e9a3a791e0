// Memory and read cost of the series store holding the simulator's own series, run by
// hand (not a test):
//   bench_store_sim [hours=1] [default|large] [rules]
// Ingests one scrape of the whole simulated cluster every simulated second, as the
// console's embedded simulator does (with `rules`, the runbook rules are evaluated
// every 15 s too and write their recorded series and ALERTS back), then reports the
// store's size (approxBytes, bytes per point, RSS growth for comparison) and times
// range reads the way PromQL makes them (selectBatch: one buffer for all series).
#include "backends/sim/simulation.h"
#include "backends/telemetry/rules/rule_file.h"
#include "backends/telemetry/rules/rule_group.h"
#include "backends/telemetry/rules/store_sink.h"
#include "backends/telemetry/series_store.h"
#include "bench_memory.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

using namespace opsdeck;
using Clock = std::chrono::steady_clock;
using telemetry::bench::residentBytes;

namespace {

double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

} // namespace

int main(int argc, char **argv)
{
    const double hours = argc > 1 ? std::atof(argv[1]) : 1.0;
    sim::SimConfig config;
    if (argc > 2 && std::strcmp(argv[2], "large") == 0)
        config.preset = sim::Preset::Large;
    const bool withRules = argc > 3 && std::strcmp(argv[3], "rules") == 0;

    sim::Simulation simulation(config);
    const long rssBefore = residentBytes();
    telemetry::SeriesStore store;
    telemetry::rules::SeriesStoreSink sink(store);
    telemetry::rules::RuleEvaluator rules(15'000);
    if (withRules) {
        auto parsed = telemetry::rules::loadRuleFile(OPSDECK_SOURCE_DIR "/resources/rules/runbook.rules.yml");
        if (!parsed.ok()) {
            std::fprintf(stderr, "cannot load the runbook rules\n");
            return 1;
        }
        rules.addFile(parsed.file);
        rules.startAt(simulation.epochMs());
    }

    const auto seconds = static_cast<std::int64_t>(hours * 3600);
    double ingestCpu = 0;
    const Clock::time_point start = Clock::now();
    for (std::int64_t s = 0; s < seconds; ++s) {
        simulation.advance(1000);
        const telemetry::Scrape scrape = simulation.scrape();
        const double c0 = cpuSeconds();
        store.ingest(scrape, simulation.epochMs(), "sim");
        if (withRules)
            rules.advanceTo(store, sink, simulation.epochMs());
        ingestCpu += cpuSeconds() - c0;
    }
    const double fillWall = std::chrono::duration<double>(Clock::now() - start).count();
    const std::size_t points = store.pointCount(), bytes = store.approxBytes();
    std::printf("filled: %.2f h of 1 s scrapes (%s preset%s) in %.1f s wall, %.2f s CPU in ingest%s\n", hours,
                config.preset == sim::Preset::Large ? "large" : "default", withRules ? ", runbook rules" : "",
                fillWall, ingestCpu, withRules ? " and rules" : "");
    std::printf("store:  %zu series, %zu points, approxBytes %.1f MB = %.2f bytes/point; RSS grew %.1f MB\n",
                store.seriesCount(), points, double(bytes) / 1e6, double(bytes) / double(points),
                double(residentBytes() - rssBefore) / 1e6);

    // Reads as PromQL makes them: every series of a metric family, and all series.
    const std::int64_t end = simulation.epochMs();
    using Op = telemetry::LabelMatcher::Op;
    auto timeRead = [&](const char *what, const std::vector<telemetry::LabelMatcher> &m, std::int64_t span) {
        int rounds = 0;
        std::size_t series = 0, got = 0;
        const Clock::time_point t0 = Clock::now();
        const double cpu0 = cpuSeconds();
        do {
            const telemetry::SeriesBatch batch = store.selectBatch(m, end - span, end);
            series = batch.size();
            got = batch.points.size();
            ++rounds;
        } while (rounds < 3 || std::chrono::duration<double>(Clock::now() - t0).count() < 1.0);
        const double perRead = std::chrono::duration<double>(Clock::now() - t0).count() / rounds;
        const double cpuPerRead = (cpuSeconds() - cpu0) / rounds;
        std::printf("read %-34s %5zu series %9zu points: %9.3f ms wall, %9.3f ms CPU = %5.1f ns/point\n", what,
                    series, got, perRead * 1e3, cpuPerRead * 1e3, cpuPerRead * 1e9 / double(got));
    };
    const std::vector<telemetry::LabelMatcher> all = {{"__name__", Op::RegexMatch, ".+"}};
    timeRead("all series, last 5 m", all, 300'000);
    timeRead("all series, last 1 h", all, 3'600'000);
    timeRead("agent_requests_total, last 5 m", {{"__name__", Op::Equal, "agent_requests_total"}}, 300'000);
    timeRead("agent_requests_total, last 1 h", {{"__name__", Op::Equal, "agent_requests_total"}}, 3'600'000);
    return 0;
}
