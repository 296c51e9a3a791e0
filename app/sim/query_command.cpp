// `opsdeck-sim query EXPR --at T`: PromQL over a simulated run, printed like
// `promtool query instant` / `promtool query range`.
#include "commands.h"
#include "scenario_options.h"

#include "backends/telemetry/promql/promql.h"
#include "backends/telemetry/series_store.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace opsdeck::cli {

namespace {

namespace promql = telemetry::promql;

// Prometheus prints times in query output as seconds with milliseconds: 1752973200.000
std::string promTime(std::int64_t epochMs)
{
    char buf[48];
    std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(epochMs / 1000),
                  static_cast<long long>(epochMs % 1000));
    return buf;
}

struct RangeSpec {
    std::int64_t startMs = 0;
    std::int64_t endMs = 0;
    std::int64_t stepMs = 0;
};

Result<RangeSpec> parseRange(const std::string &text)
{
    const std::size_t first = text.find(':');
    const std::size_t second = first == std::string::npos ? first : text.find(':', first + 1);
    if (second == std::string::npos)
        return Error{"--range: \"" + text + "\": expected START:END:STEP, e.g. 1h:2h:1m"};
    const std::string parts[3] = {text.substr(0, first), text.substr(first + 1, second - first - 1),
                                  text.substr(second + 1)};
    const char *names[3] = {"START", "END", "STEP"};
    std::int64_t values[3] = {};
    for (int i = 0; i < 3; ++i) {
        Result<std::int64_t> ms = sim::parseDurationMs(parts[i]);
        if (!ms)
            return Error{"--range: " + std::string(names[i]) + ": " + ms.error()};
        values[i] = *ms;
    }
    if (values[1] < values[0])
        return Error{"--range: END " + parts[1] + " is before START " + parts[0]};
    if (values[2] <= 0)
        return Error{"--range: STEP must be longer than 0s"};
    if ((values[1] - values[0]) / values[2] > 11000)
        return Error{"--range: more than 11000 points per series; use a larger STEP "
                     "(Prometheus has the same limit)"};
    return RangeSpec{values[0], values[1], values[2]};
}

void printValue(const promql::Value &value, std::int64_t tMs)
{
    switch (value.type) {
    case promql::ValueType::Scalar:
        std::cout << "scalar: " << promql::formatValue(value.scalar) << " @[" << promTime(tMs)
                  << "]\n";
        break;
    case promql::ValueType::String:
        std::cout << "string: " << value.string << " @[" << promTime(tMs) << "]\n";
        break;
    case promql::ValueType::Vector:
        for (const promql::InstantSample &sample : value.vector)
            std::cout << sample.metric.toString() << " => " << promql::formatValue(sample.value)
                      << " @[" << promTime(tMs) << "]\n";
        break;
    case promql::ValueType::Matrix:
        for (const promql::RangeSeries &series : value.matrix) {
            std::cout << series.metric.toString() << " =>\n";
            for (const telemetry::Point &point : series.points)
                std::cout << promql::formatValue(point.v) << " @[" << promTime(point.t) << "]\n";
        }
        break;
    }
}

int queryMain(const std::vector<std::string> &argv)
{
    const Command command = queryCommand();
    Result<ParsedArgs> args = parseArgs(argv, command.options);
    if (!args)
        return usageError("query", args.error());
    if (args->positionals().size() != 1)
        return usageError("query", args->positionals().empty()
                                       ? "missing the PromQL expression"
                                       : "one expression only; quote it ('" +
                                             args->positionals()[1] + "' is extra)");
    const std::string &text = args->positionals().front();
    if (args->has("--at") == args->has("--range"))
        return usageError("query", "give either --at T or --range START:END:STEP");

    std::int64_t endMs = 0;
    std::int64_t atMs = 0;
    std::optional<RangeSpec> range;
    if (const std::optional<std::string> at = args->value("--at")) {
        Result<std::int64_t> ms = sim::parseDurationMs(*at);
        if (!ms)
            return usageError("query", "--at: " + ms.error());
        atMs = endMs = *ms;
    } else {
        Result<RangeSpec> parsed = parseRange(*args->value("--range"));
        if (!parsed)
            return usageError("query", parsed.error());
        range = *parsed;
        endMs = range->endMs;
    }

    // A query that does not parse is the command's failure, reported as Prometheus does.
    Result<promql::Expr> expr = promql::parse(text);
    if (!expr)
        return failure("query: " + expr.error());

    Result<ScenarioOptions> options = scenarioFromArgs(*args, endMs);
    if (!options)
        return usageError("query", options.error());
    options->durationMs = endMs; // faults and actions must happen before the query time
    options->endDescription = "the query time";
    Result<std::unique_ptr<sim::Simulation>> built = buildSimulation(*options);
    if (!built)
        return usageError("query", built.error());
    sim::Simulation &simulation = **built;

    telemetry::SeriesStoreOptions storeOptions;
    storeOptions.retentionMs = std::max<std::int64_t>(storeOptions.retentionMs, endMs + 3600'000);
    storeOptions.maxPointsPerSeries = static_cast<std::size_t>(
        storeOptions.retentionMs / options->scrapeIntervalMs + 2);
    telemetry::SeriesStore store(storeOptions);
    while (true) {
        store.ingest(simulation.scrape(), simulation.epochMs(), "opsdeck-sim");
        if (simulation.nowMs() >= endMs)
            break;
        simulation.advance(std::min(options->scrapeIntervalMs, endMs - simulation.nowMs()));
    }

    const std::int64_t epoch0 = simulation.config().startEpochMs;
    if (!range) {
        Result<promql::Value> value = promql::evalInstant(*expr, store, epoch0 + atMs);
        if (!value)
            return failure("query: " + value.error());
        printValue(*value, epoch0 + atMs);
        return 0;
    }
    Result<promql::Value> value = promql::evalRange(*expr, store, epoch0 + range->startMs,
                                                    epoch0 + range->endMs, range->stepMs);
    if (!value)
        return failure("query: " + value.error());
    printValue(*value, epoch0 + range->endMs);
    return 0;
}

} // namespace

Command queryCommand()
{
    Command command;
    command.name = "query";
    command.summary = "run a PromQL query against a simulated run";
    command.usage = "opsdeck-sim query EXPR (--at T | --range START:END:STEP) [--seed N] "
                    "[--preset NAME] [--fault SPEC]... [--action SPEC]...";
    command.description =
        "Simulates up to the query time, storing a scrape of every metric every "
        "--scrape-interval (15s) as Prometheus would, then evaluates the PromQL expression. "
        "An instant query prints one line per series, 'labels => value @[time]', as "
        "'promtool query instant' does; a range query prints each series followed by its "
        "points. Times are durations since the simulation start (2025-07-20T00:00:00Z); the "
        "printed times are Unix seconds. Exit 1 if the expression does not parse.";
    command.options = {
        {"--at", "T", "Instant query at T after the start, e.g. 2h30m."},
        {"--range", "START:END:STEP", "Range query, e.g. 1h:3h:1m."},
        seedOption(),
        presetOption(),
        faultOption(),
        actionOption(),
        scrapeIntervalOption(),
    };
    command.examples =
        "  opsdeck-sim query 'sum(rate(agent_requests_total[5m]))' --at 1h\n"
        "  opsdeck-sim query 'up{job=\"model-server\"}' --at 2h5m --fault model-server-crash@2h\n"
        "  opsdeck-sim query 'sum(rate(agent_errors_total[5m]))' --range 1h50m:2h30m:1m \\\n"
        "      --fault bad-deploy@2h --action rollback@2h10m\n";
    command.listsFaultsAndActions = true;
    command.run = queryMain;
    return command;
}

} // namespace opsdeck::cli
