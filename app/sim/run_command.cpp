// `opsdeck-sim run`: simulate a scenario, optionally write every scrape, print a summary.
#include "commands.h"
#include "run_monitor.h"
#include "scenario_options.h"

#include "backends/telemetry/csv_writer.h"
#include "backends/telemetry/exposition.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>

namespace opsdeck::cli {

namespace {

enum class OutputFormat { Prometheus, Csv };

int runMain(const std::vector<std::string> &argv)
{
    const Command command = runCommand();
    Result<ParsedArgs> args = parseArgs(argv, command.options);
    if (!args)
        return usageError("run", args.error());
    if (!args->positionals().empty())
        return usageError("run", "unexpected argument '" + args->positionals().front() + "'");
    Result<ScenarioOptions> options = scenarioFromArgs(*args, 6LL * 3600 * 1000);
    if (!options)
        return usageError("run", options.error());

    OutputFormat format = OutputFormat::Prometheus;
    if (const std::optional<std::string> name = args->value("--format")) {
        if (*name == "csv")
            format = OutputFormat::Csv;
        else if (*name != "prometheus")
            return usageError("run", "--format: unknown format \"" + *name +
                                         "\" (valid: prometheus, csv)");
        if (!args->has("--out"))
            return usageError("run", "--format needs --out FILE (or --out - for stdout)");
    }

    // Every check that can fail happens before the first simulated second.
    Result<std::unique_ptr<sim::Simulation>> built = buildSimulation(*options);
    if (!built)
        return usageError("run", built.error());
    sim::Simulation &simulation = **built;

    std::ofstream file;
    std::ostream *metricsOut = nullptr;
    const std::optional<std::string> outPath = args->value("--out");
    if (outPath && *outPath == "-") {
        metricsOut = &std::cout;
    } else if (outPath) {
        file.open(*outPath, std::ios::binary | std::ios::trunc);
        if (!file)
            return failure("--out: cannot open \"" + *outPath + "\" for writing: " +
                           std::strerror(errno));
        metricsOut = &file;
    }
    // With metrics on stdout, the summary goes to stderr so the stream stays parseable.
    std::ostream &summaryOut = (metricsOut == &std::cout) ? std::cerr : std::cout;

    RunMonitor monitor(options->faults, options->faultTexts);
    std::string block;
    if (metricsOut && format == OutputFormat::Csv)
        *metricsOut << telemetry::kCsvHeader;

    const auto wallStart = std::chrono::steady_clock::now();
    while (true) {
        std::optional<telemetry::Scrape> scrape;
        if (metricsOut) {
            scrape = simulation.scrape();
            block.clear();
            if (format == OutputFormat::Csv)
                telemetry::appendCsvRows(*scrape, simulation.epochMs(), block);
            else
                telemetry::writeExposition(*scrape, block, simulation.epochMs());
            metricsOut->write(block.data(), static_cast<std::streamsize>(block.size()));
        }
        monitor.observe(simulation, scrape ? &*scrape : nullptr);
        if (simulation.nowMs() >= options->durationMs)
            break;
        simulation.advance(std::min(options->scrapeIntervalMs,
                                    options->durationMs - simulation.nowMs()));
    }
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - wallStart;

    if (metricsOut) {
        metricsOut->flush();
        if (!*metricsOut)
            return failure("--out: writing \"" + *outPath + "\" failed: " + std::strerror(errno));
    }
    printRunSummary(summaryOut, simulation, monitor, {simulation.nowMs(), wall.count()});
    return 0;
}

} // namespace

Command runCommand()
{
    Command command;
    command.name = "run";
    command.summary = "simulate a scenario; write its metrics; print a summary";
    command.usage = "opsdeck-sim run [--seed N] [--duration D] [--preset NAME] "
                    "[--fault SPEC]... [--action SPEC]... [--out FILE] [--format prometheus|csv]";
    command.description =
        "Runs the simulated cluster for the given simulated time, injecting faults and applying "
        "operator actions at their times. With --out, every scrape (one every --scrape-interval "
        "of simulated time, starting at t=0) is written as a block of Prometheus text exposition "
        "(or CSV rows), each sample stamped with its epoch-millisecond time; the simulated clock "
        "starts at 2025-07-20T00:00:00Z. Then prints a summary: simulated span, wall time and "
        "speed-up, for each fault its onset, detection (the first scrape at which a runbook "
        "threshold newly crossed) and mitigation (when those thresholds cleared), the actions "
        "and their results, request and error totals, worst latencies, peak virtual computer "
        "utilization, and the data a restore lost. Targets are checked against the cluster "
        "before anything runs. Same seed and options give byte-identical output.";
    command.options = {
        seedOption(),
        durationOption("6h"),
        presetOption(),
        faultOption(),
        actionOption(),
        {"--out", "FILE",
         "Write every scrape to FILE ('-' for stdout; the summary then goes to stderr). "
         "Without --out the run only simulates and prints the summary."},
        {"--format", "FORMAT",
         "prometheus (default): text exposition 0.0.4, one block per scrape. csv: a header "
         "then one row per sample: timestamp_ms,name,labels,value."},
        scrapeIntervalOption(),
    };
    command.examples =
        "  opsdeck-sim run --seed 7 --duration 6h --fault bad-deploy@2h --action rollback@2h10m\n"
        "  opsdeck-sim run --duration 1h --out metrics.prom\n"
        "  opsdeck-sim run --duration 30m --format csv --out - | head\n"
        "  opsdeck-sim run --fault traffic-surge,factor=3@1h --action scale:virtual-computer=100@1h5m\n"
        "  opsdeck-sim run --fault data-corruption@3h --action restore@3h20m\n";
    command.listsFaultsAndActions = true;
    command.run = runMain;
    return command;
}

} // namespace opsdeck::cli
