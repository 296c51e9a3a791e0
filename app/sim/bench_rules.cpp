// `opsdeck-sim bench rules`: how long one evaluation round of the runbook rules plus the
// 100 bench rules takes over the `large` preset's series, per group and in total, so it
// can be set beside Prometheus's `evaluationTime` for the same rules and data
// (tests/bench/prometheus-rules-bench runs both).
//
// Shape of a run: simulate a warm-up span, ingesting one scrape every 15 s into a
// SeriesStore (as the console does), so range functions see a full 5 m window; then
// run N rounds, each evaluating every group at the current simulated time. Between
// rounds the simulation advances one evaluation interval and ingests again; only the
// group evaluations themselves are timed.
#include "bench_modes.h"
#include "commands.h"

#include "backends/sim/scenario.h"
#include "backends/sim/simulation.h"
#include "backends/telemetry/exposition.h"
#include "backends/telemetry/promql/promql.h"
#include "backends/telemetry/rules/rule_file.h"
#include "backends/telemetry/rules/rule_group.h"
#include "backends/telemetry/rules/store_sink.h"
#include "backends/telemetry/series_store.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <thread>

#ifndef OPSDECK_RULES_DIR
#define OPSDECK_RULES_DIR "resources/rules"
#endif

namespace opsdeck::cli {

namespace {

namespace promql = telemetry::promql;

constexpr std::int64_t kIntervalMs = 15'000; // scrape and evaluation interval, as Prometheus's default here

struct Distribution {
    double median = 0, p90 = 0, max = 0;
};

// Nearest-rank percentiles of wall times in ms; the input is copied and sorted.
Distribution distributionOf(std::vector<double> ms)
{
    Distribution d;
    if (ms.empty())
        return d;
    std::sort(ms.begin(), ms.end());
    auto rank = [&](double q) {
        const std::size_t i = static_cast<std::size_t>(q * static_cast<double>(ms.size() - 1) + 0.5);
        return ms[std::min(i, ms.size() - 1)];
    };
    d.median = rank(0.5);
    d.p90 = rank(0.9);
    d.max = ms.back();
    return d;
}

double processCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::size_t sampleCount(const telemetry::Scrape &scrape)
{
    std::size_t n = 0;
    for (const telemetry::MetricFamily &family : scrape)
        n += family.samples.size();
    return n;
}

// Advances the simulation by one interval and ingests its scrape at the new time.
std::size_t stepAndIngest(sim::Simulation &simulation, telemetry::SeriesStore &store)
{
    simulation.advance(kIntervalMs);
    const telemetry::Scrape scrape = simulation.scrape();
    store.ingest(scrape, simulation.nowMs(), "sim");
    return sampleCount(scrape);
}

int rulesBench(const ParsedArgs &args)
{
    std::int64_t warmupMs = 10 * 60 * 1000;
    if (const std::optional<std::string> text = args.value("--duration")) {
        Result<std::int64_t> ms = sim::parseDurationMs(*text);
        if (!ms)
            return usageError("bench", "--duration: " + ms.error());
        if (*ms < kIntervalMs)
            return usageError("bench", "--duration: must be at least 15s (one scrape)");
        warmupMs = *ms;
    }
    int rounds = 20;
    if (const std::optional<std::string> text = args.value("--rounds")) {
        try {
            std::size_t used = 0;
            rounds = std::stoi(*text, &used);
            if (used != text->size() || rounds < 1 || rounds > 100'000)
                throw std::invalid_argument("range");
        } catch (const std::exception &) {
            return usageError("bench", "--rounds: expected a whole number from 1 to 100000, got \"" +
                                           *text + "\"");
        }
    }
    std::vector<std::string> ruleFiles = args.values("--rules");
    if (ruleFiles.empty())
        ruleFiles = {std::string(OPSDECK_RULES_DIR) + "/runbook.rules.yml",
                     std::string(OPSDECK_RULES_DIR) + "/bench-extra.rules.yml"};

    telemetry::rules::RuleEvaluator evaluator(kIntervalMs);
    std::size_t ruleCount = 0;
    for (const std::string &path : ruleFiles) {
        telemetry::rules::RuleFileParse parsed = telemetry::rules::loadRuleFile(path);
        if (!parsed.ok()) {
            for (const std::string &error : parsed.errors)
                std::cerr << error << "\n";
            return failure("bench rules: " + path + ": invalid rule file (errors above)");
        }
        ruleCount += parsed.file.ruleCount();
        evaluator.addFile(parsed.file);
    }

    // Opened before the warm-up, so a bad path fails at once rather than after it.
    const std::optional<std::string> exportPath = args.value("--export");
    std::ofstream exportFile;
    if (exportPath) {
        exportFile.open(*exportPath, std::ios::binary | std::ios::trunc);
        if (!exportFile)
            return failure("bench rules: --export: cannot write " + *exportPath);
    }

    const bool pinned = pinToOneCore();
    double load[1] = {0};
    const bool haveLoad = getloadavg(load, 1) == 1;

    sim::SimConfig config;
    config.preset = sim::Preset::Large;
    sim::Simulation simulation(config);
    telemetry::SeriesStore store;
    telemetry::rules::SeriesStoreSink sink(store);

    using Clock = std::chrono::steady_clock;
    const Clock::time_point warmupStart = Clock::now();
    std::size_t samplesPerScrape = 0;
    while (simulation.nowMs() < warmupMs)
        samplesPerScrape = stepAndIngest(simulation, store);
    const double warmupWall = std::chrono::duration<double>(Clock::now() - warmupStart).count();

    if (exportFile.is_open()) {
        // No timestamps: Prometheus stamps the samples with its own scrape time.
        exportFile << telemetry::writeExposition(simulation.scrape());
        if (!exportFile.flush())
            return failure("bench rules: --export: write to " + *exportPath + " failed");
        exportFile.close();
    }

    std::vector<telemetry::rules::RuleGroup> &groups = evaluator.groups();
    std::vector<std::vector<double>> groupMs(groups.size());
    std::vector<double> totalMs;
    double evalCpuSeconds = 0;
    for (int round = 0; round < rounds; ++round) {
        if (round > 0)
            stepAndIngest(simulation, store);
        const double cpuStart = processCpuSeconds();
        double roundMs = 0;
        for (std::size_t g = 0; g < groups.size(); ++g) {
            const Clock::time_point start = Clock::now();
            groups[g].evaluate(store, sink, simulation.nowMs());
            const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
            groupMs[g].push_back(ms);
            roundMs += ms;
        }
        evalCpuSeconds += processCpuSeconds() - cpuStart;
        totalMs.push_back(roundMs);
    }

    std::size_t failingRules = 0;
    std::string firstError;
    for (const telemetry::rules::RuleGroup &group : groups) {
        for (const telemetry::rules::RuleRuntime &rule : group.rules()) {
            if (!rule.lastError.empty()) {
                ++failingRules;
                if (firstError.empty())
                    firstError = group.name() + "/" + rule.spec.name + ": " + rule.lastError;
            }
        }
    }

    std::cout << "Rule evaluation benchmark: preset large, warm-up "
              << sim::formatDuration(warmupMs) << " simulated (" << fixed(warmupWall, 1)
              << " s wall), one scrape and one evaluation every 15s, " << rounds << " rounds, "
              << (pinned ? "pinned to one core" : "not pinned") << ", load average "
              << (haveLoad ? fixed(load[0], 2) : std::string("unknown")) << " on "
              << std::thread::hardware_concurrency() << " CPUs.\n"
              << "Store: " << store.seriesCount() << " series, " << store.pointCount()
              << " points; " << samplesPerScrape << " samples per scrape; " << ruleCount
              << " rules in " << groups.size() << " groups from " << ruleFiles.size()
              << " files.\n"
              << "Times are wall ms per evaluation of a group (as Prometheus's evaluationTime); "
                 "'total' is one round, all groups one after another.\n\n";
    std::cout << padRight("group", 28) << padLeft("rules", 6) << padLeft("median ms", 11)
              << padLeft("p90 ms", 10) << padLeft("max ms", 10) << "\n";
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const Distribution d = distributionOf(groupMs[g]);
        std::cout << padRight(groups[g].name(), 28)
                  << padLeft(std::to_string(groups[g].rules().size()), 6)
                  << padLeft(fixed(d.median, 3), 11) << padLeft(fixed(d.p90, 3), 10)
                  << padLeft(fixed(d.max, 3), 10) << "\n";
    }
    const Distribution total = distributionOf(totalMs);
    std::cout << padRight("total", 28) << padLeft(std::to_string(ruleCount), 6)
              << padLeft(fixed(total.median, 3), 11) << padLeft(fixed(total.p90, 3), 10)
              << padLeft(fixed(total.max, 3), 10) << "\n\n"
              << "CPU time in evaluation: " << fixed(1000.0 * evalCpuSeconds / rounds, 3)
              << " ms per round. Rules whose last evaluation failed: " << failingRules
              << (firstError.empty() ? std::string() : " (first: " + firstError + ")")
              << ". Rule samples the store rejected: " << sink.rejected() << ".\n";

    // Where the time goes: each rule's query alone (no writes, no alert state), timed
    // over a few repetitions at the last round's time; the slowest ones listed.
    int top = 10;
    if (const std::optional<std::string> text = args.value("--top")) {
        try {
            std::size_t used = 0;
            top = std::stoi(*text, &used);
            if (used != text->size() || top < 0)
                throw std::invalid_argument("range");
        } catch (const std::exception &) {
            return usageError("bench", "--top: expected a whole number >= 0, got \"" + *text + "\"");
        }
    }
    if (top > 0) {
        struct RuleCost {
            double ms;
            std::size_t outputs;
            std::string name;
        };
        std::vector<RuleCost> costs;
        double allQueriesMs = 0;
        constexpr int kRepetitions = 3;
        for (const telemetry::rules::RuleGroup &group : groups) {
            for (const telemetry::rules::RuleRuntime &rule : group.rules()) {
                std::vector<double> ms;
                std::size_t outputs = 0;
                for (int rep = 0; rep < kRepetitions; ++rep) {
                    const Clock::time_point start = Clock::now();
                    const Result<promql::Value> value =
                        promql::evalInstant(rule.spec.expr, store, simulation.nowMs());
                    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
                    outputs = value ? value->vector.size() : 0;
                }
                const double median = distributionOf(ms).median;
                allQueriesMs += median;
                costs.push_back({median, outputs, group.name() + "/" + rule.spec.name});
            }
        }
        std::sort(costs.begin(), costs.end(),
                  [](const RuleCost &a, const RuleCost &b) { return a.ms > b.ms; });
        costs.resize(std::min(costs.size(), static_cast<std::size_t>(top)));
        std::cout << "\nSlowest rule queries (median of " << kRepetitions
                  << ", query only; all rules' queries: " << fixed(allQueriesMs, 1)
                  << " ms, i.e. " << fixed(total.median > 0 ? 100.0 * allQueriesMs / total.median : 0, 0)
                  << "% of a round):\n";
        for (const RuleCost &cost : costs)
            std::cout << padLeft(fixed(cost.ms, 3), 10) << " ms " << padLeft(std::to_string(cost.outputs), 7)
                      << " out  " << cost.name << "\n";
    }
    return failingRules == 0 ? 0 : failure("bench rules: some rules failed to evaluate");
}

} // namespace

BenchMode rulesBenchMode()
{
    BenchMode mode;
    mode.name = "rules";
    mode.summary = "wall time of one evaluation round of the runbook rules plus 100 bench rules "
                   "over the large preset's series, per group (median, p90, max)";
    mode.options = {
        {"--duration", "D",
         "Simulated warm-up before the first round, one scrape every 15s (default: 10m)."},
        {"--rounds", "N", "Evaluation rounds, 15 simulated seconds apart (default: 20)."},
        {"--rules", "FILE",
         "Rule file to evaluate instead of resources/rules/runbook.rules.yml and "
         "bench-extra.rules.yml; repeat for several.",
         true},
        {"--export", "FILE",
         "Also write the warmed-up large preset's scrape as exposition text (no "
         "timestamps), for Prometheus to scrape."},
        {"--top", "N",
         "List the N rules whose queries cost most, to show where the time goes "
         "(default: 10; 0 to skip)."},
    };
    mode.run = rulesBench;
    return mode;
}

} // namespace opsdeck::cli
