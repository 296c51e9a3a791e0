// `opsdeck-sim bench [sim]`: how many simulated seconds the engine runs per wall second,
// scraping every metric once per 15 simulated seconds exactly as `run --out` does.
#include "bench_modes.h"
#include "commands.h"
#include "scenario_options.h"

#include "backends/telemetry/exposition.h"

#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <thread>

namespace opsdeck::cli {

namespace {

struct PresetTarget {
    sim::Preset preset;
    const char *name;
    double targetSpeedUp;        // runbook-day targets: default 10,000x, large 100x
    std::int64_t defaultDurationMs;
};

// Written once per preset so the compiler cannot drop the scrapes being measured.
volatile std::size_t g_scrapeSink = 0;

constexpr std::int64_t kHourMs = 3600LL * 1000;

const PresetTarget kPresets[] = {
    {sim::Preset::Default, "default", 10'000, 24 * kHourMs},
    {sim::Preset::Large, "large", 100, 2 * kHourMs},
};

struct BenchRow {
    const PresetTarget *preset = nullptr;
    std::int64_t simulatedMs = 0;
    double wallSeconds = 0;
    double cpuSeconds = 0;        // this process's CPU time: honest on a busy machine
    double scrapeWallSeconds = 0; // the part of wallSeconds spent building scrapes
    long scrapes = 0;
    std::size_t samplesPerScrape = 0;
    std::size_t expositionBytes = 0; // of one scrape, as `run --out` would write it
    std::int64_t peakRss = 0;
};

double processCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

BenchRow benchOne(const PresetTarget &preset, std::int64_t durationMs, std::int64_t intervalMs)
{
    sim::SimConfig config;
    config.preset = preset.preset;
    BenchRow row;
    row.preset = &preset;
    sim::Simulation simulation(config);
    std::size_t sink = 0; // keeps the scrapes from being optimised away
    using Clock = std::chrono::steady_clock;
    const double cpuStart = processCpuSeconds();
    const Clock::time_point start = Clock::now();
    Clock::duration scrapeTime{};
    while (simulation.nowMs() < durationMs) {
        simulation.advance(std::min(intervalMs, durationMs - simulation.nowMs()));
        const Clock::time_point scrapeStart = Clock::now();
        const telemetry::Scrape scrape = simulation.scrape();
        sink += scrape.size();
        scrapeTime += Clock::now() - scrapeStart;
        ++row.scrapes;
    }
    row.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    row.cpuSeconds = processCpuSeconds() - cpuStart;
    row.scrapeWallSeconds = std::chrono::duration<double>(scrapeTime).count();
    row.simulatedMs = simulation.nowMs();
    const telemetry::Scrape last = simulation.scrape();
    for (const telemetry::MetricFamily &family : last)
        row.samplesPerScrape += family.samples.size();
    row.expositionBytes = telemetry::writeExposition(last).size();
    g_scrapeSink = sink;
    row.peakRss = peakRssBytes();
    return row;
}

int simulatorBench(const ParsedArgs &args)
{
    std::vector<const PresetTarget *> presets;
    const std::string which = args.value("--preset").value_or("all");
    for (const PresetTarget &preset : kPresets) {
        if (which == "all" || which == preset.name)
            presets.push_back(&preset);
    }
    if (presets.empty())
        return usageError("bench", "--preset: unknown preset \"" + which +
                                       "\" (valid: default, large, all)");
    std::optional<std::int64_t> duration;
    if (const std::optional<std::string> text = args.value("--duration")) {
        Result<std::int64_t> ms = sim::parseDurationMs(*text);
        if (!ms)
            return usageError("bench", "--duration: " + ms.error());
        if (*ms <= 0)
            return usageError("bench", "--duration: must be longer than 0s");
        duration = *ms;
    }
    std::int64_t intervalMs = 15'000;
    if (const std::optional<std::string> text = args.value("--scrape-interval")) {
        Result<std::int64_t> ms = sim::parseDurationMs(*text);
        if (!ms || *ms < 1000)
            return usageError("bench", "--scrape-interval: " +
                                           (ms ? std::string("must be at least 1s") : ms.error()));
        intervalMs = *ms;
    }

    const bool pinned = pinToOneCore();
    // Wall time on a shared machine measures the neighbours too; the load says how much.
    double load[1] = {0};
    const bool haveLoad = getloadavg(load, 1) == 1;
    std::cout << "Simulator benchmark: one scrape every " << sim::formatDuration(intervalMs)
              << " of simulated time, " << (pinned ? "pinned to one core" : "not pinned")
              << ", load average " << (haveLoad ? fixed(load[0], 2) : std::string("unknown"))
              << " on " << std::thread::hardware_concurrency() << " CPUs.\n"
              << "Speed-up = simulated seconds per second; the verdict judges wall time. "
                 "Peak RSS is the process's so far (getrusage).\n\n";
    std::cout << "preset   simulated    wall s   sim s/wall s     CPU s   sim s/CPU s    target"
                 "  verdict  scrape share  scrapes  samples/scrape  scrape KiB  peak RSS MiB\n";
    bool allMet = true;
    for (const PresetTarget *preset : presets) {
        const BenchRow row = benchOne(*preset, duration.value_or(preset->defaultDurationMs),
                                      intervalMs);
        const double simulatedSec = static_cast<double>(row.simulatedMs) / 1000.0;
        const double wallSpeedUp = row.wallSeconds > 0 ? simulatedSec / row.wallSeconds : 0;
        const double cpuSpeedUp = row.cpuSeconds > 0 ? simulatedSec / row.cpuSeconds : 0;
        // The target is judged on wall time, as a user waiting for a run experiences it.
        const bool met = wallSpeedUp >= preset->targetSpeedUp;
        allMet = allMet && met;
        std::string name = preset->name;
        name.resize(9, ' ');
        std::cout << name << padLeft(sim::formatDuration(row.simulatedMs), 9)
                  << padLeft(fixed(row.wallSeconds, 3), 10) << padLeft(fixed(wallSpeedUp, 0) + "x", 15)
                  << padLeft(fixed(row.cpuSeconds, 3), 10) << padLeft(fixed(cpuSpeedUp, 0) + "x", 14)
                  << padLeft(fixed(preset->targetSpeedUp, 0) + "x", 10)
                  << padLeft(met ? "ok" : "SLOW", 9)
                  << padLeft(fixed(row.wallSeconds > 0 ? 100.0 * row.scrapeWallSeconds / row.wallSeconds : 0, 0) + "%", 14)
                  << padLeft(std::to_string(row.scrapes), 9)
                  << padLeft(std::to_string(row.samplesPerScrape), 16)
                  << padLeft(fixed(static_cast<double>(row.expositionBytes) / 1024.0, 1), 12)
                  << padLeft(fixed(static_cast<double>(row.peakRss) / (1024.0 * 1024.0), 1), 14)
                  << "\n";
        std::cout.flush();
    }
    if (args.has("--check") && !allMet)
        return failure("bench: below target (see the verdict column)");
    return 0;
}

} // namespace

BenchMode simulatorBenchMode()
{
    BenchMode mode;
    mode.name = "sim";
    mode.summary = "simulated seconds per wall second for each preset, with a scrape every 15 "
                   "simulated seconds, against the targets (default >= 10000x, large >= 100x), "
                   "and peak memory";
    mode.options = {
        {"--preset", "NAME", "default, large or all (default: all)."},
        {"--duration", "D",
         "Simulated time per preset (default: 1d for default, 2h for large)."},
        scrapeIntervalOption(),
        {"--check", "", "Exit 1 when a preset misses its target."},
    };
    mode.run = simulatorBench;
    return mode;
}

} // namespace opsdeck::cli
