// `opsdeck-sim bench [MODE] [options]`: dispatches to a bench mode; the simulator's is
// the default.
#include "bench_modes.h"
#include "commands.h"

#include <cstdio>
#include <sched.h>
#include <sys/resource.h>

namespace opsdeck::cli {

namespace {

std::vector<BenchMode> benchModes()
{
    return {simulatorBenchMode(), rulesBenchMode()};
}

std::vector<OptionSpec> allBenchOptions()
{
    std::vector<OptionSpec> options;
    for (const BenchMode &mode : benchModes()) {
        for (const OptionSpec &option : mode.options) {
            bool seen = false;
            for (const OptionSpec &known : options)
                seen = seen || known.name == option.name;
            if (!seen)
                options.push_back(option);
        }
    }
    return options;
}

int benchMain(const std::vector<std::string> &argv)
{
    std::vector<BenchMode> modes = benchModes();
    const BenchMode *mode = &modes.front();
    std::vector<std::string> rest = argv;
    if (!rest.empty() && !rest.front().empty() && rest.front()[0] != '-') {
        mode = nullptr;
        for (const BenchMode &candidate : modes) {
            if (candidate.name == rest.front())
                mode = &candidate;
        }
        if (!mode) {
            std::string names;
            for (const BenchMode &candidate : modes)
                names += (names.empty() ? "" : ", ") + candidate.name;
            return usageError("bench", "unknown bench mode '" + rest.front() + "' (valid: " +
                                           names + ")");
        }
        rest.erase(rest.begin());
    }
    Result<ParsedArgs> args = parseArgs(rest, mode->options);
    if (!args)
        return usageError("bench", "bench " + mode->name + ": " + args.error());
    if (!args->positionals().empty())
        return usageError("bench", "unexpected argument '" + args->positionals().front() + "'");
    return mode->run(*args);
}

} // namespace

std::int64_t peakRssBytes()
{
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return 0;
    return static_cast<std::int64_t>(usage.ru_maxrss) * 1024; // Linux reports KiB
}

bool pinToOneCore()
{
    const int cpu = sched_getcpu();
    if (cpu < 0)
        return false;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set) == 0;
}

std::string fixed(double v, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string padLeft(std::string text, std::size_t width)
{
    if (text.size() < width)
        text.insert(0, width - text.size(), ' ');
    return text;
}

std::string padRight(std::string text, std::size_t width)
{
    if (text.size() < width)
        text.append(width - text.size(), ' ');
    return text;
}

Command benchCommand()
{
    Command command;
    command.name = "bench";
    command.summary = "measure simulated seconds per wall second and peak memory";
    command.usage = "opsdeck-sim bench [MODE] [options]";
    command.description = "Benchmarks, pinned to one core. Modes:";
    const auto modes = benchModes();
    for (std::size_t i = 0; i < modes.size(); ++i) // the first mode is the default
        command.description += " '" + modes[i].name + (i == 0 ? "' (the default): " : "': ") +
                               modes[i].summary + ".";
    command.options = allBenchOptions();
    command.examples = "  opsdeck-sim bench\n"
                       "  opsdeck-sim bench --preset default --duration 1d\n"
                       "  opsdeck-sim bench sim --preset all --check\n"
                       "  opsdeck-sim bench rules --duration 10m --rounds 20\n";
    command.run = benchMain;
    return command;
}

} // namespace opsdeck::cli
