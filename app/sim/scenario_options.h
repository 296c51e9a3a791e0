#pragma once
// The scenario options `run`, `query` and `bench` share (--seed, --preset, --duration,
// --fault, --action, --scrape-interval): declared once, parsed once, and checked
// against the simulated cluster's inventory before any simulated second runs.
#include "arg_parser.h"

#include "backends/sim/scenario.h"
#include "backends/sim/simulation.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace opsdeck::cli {

struct ScenarioOptions {
    sim::SimConfig config;
    std::int64_t durationMs = 6LL * 3600 * 1000;
    std::int64_t scrapeIntervalMs = 15'000;
    std::vector<sim::TimedFault> faults;
    std::vector<sim::TimedAction> actions;
    std::vector<std::string> faultTexts;  // as typed, for the summary
    std::vector<std::string> actionTexts;
    // How errors name durationMs: "the end of the run", or for query "the query time".
    std::string endDescription = "the end of the run";
};

// Option specs; pick the ones a command accepts.
OptionSpec seedOption();
OptionSpec presetOption();
OptionSpec durationOption(const std::string &defaultText);
OptionSpec faultOption();
OptionSpec actionOption();
OptionSpec scrapeIntervalOption();

// Reads whichever scenario options were given; errors read "--duration: "6x": ...".
Result<ScenarioOptions> scenarioFromArgs(const ParsedArgs &args, std::int64_t defaultDurationMs);

// Builds the simulation with every fault and action scheduled, after checking each target
// exists in the inventory and each time falls inside the run. Nothing has run on success.
Result<std::unique_ptr<sim::Simulation>> buildSimulation(const ScenarioOptions &options);

// "bad-deploy, model-server-crash, ..." for help texts and errors.
std::string faultNameList();
std::string actionNameList();

} // namespace opsdeck::cli
