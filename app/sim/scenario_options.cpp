#include "scenario_options.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace opsdeck::cli {

OptionSpec seedOption()
{
    return {"--seed", "N", "Random seed (default 1). Same seed and options give byte-identical output."};
}

OptionSpec presetOption()
{
    return {"--preset", "NAME",
            "Cluster size: 'default' (one primary and one secondary region, runbook-sized "
            "deployments) or 'large' (more regions, nodes and pods). Default: default."};
}

OptionSpec durationOption(const std::string &defaultText)
{
    return {"--duration", "D",
            "Simulated time to run, e.g. 6h, 2h10m, 90s, 1.5h, 1d, 500ms (units ms, s, m, h, d, "
            "w; largest first). Default: " + defaultText + "."};
}

OptionSpec faultOption()
{
    return {"--fault", "KIND[:TARGET][,key=value...]@TIME",
            "Inject a fault at TIME after the start, e.g. bad-deploy:agent-orchestrator@2h or "
            "traffic-surge,factor=3@1h. TARGET is a deployment (or a region for "
            "region-failure); omitted, the runbook's usual target. Faults: " + faultNameList() + ".",
            true};
}

OptionSpec actionOption()
{
    return {"--action", "KIND[:TARGET[=VALUE]][,key=value...]@TIME",
            "Apply an operator action at TIME, e.g. rollback@2h10m, scale:virtual-computer=100@3h, "
            "set-image:agent-orchestrator=openai/chatgpt-agent:v2.15.0@1h. VALUE is the main "
            "parameter: scale: replicas; set-image, canary, progressive-rollout: image; "
            "failover: region; restore: backup id. The time is after the last '@'. Actions: " +
                actionNameList() + ".",
            true};
}

OptionSpec scrapeIntervalOption()
{
    return {"--scrape-interval", "D",
            "Simulated time between two scrapes of every metric (default 15s, as Prometheus)."};
}

std::string faultNameList()
{
    std::string out;
    for (sim::FaultKind kind : sim::allFaults())
        out += (out.empty() ? "" : ", ") + std::string(sim::faultName(kind));
    return out;
}

std::string actionNameList()
{
    std::string out;
    for (sim::ActionKind kind : sim::allActions())
        out += (out.empty() ? "" : ", ") + std::string(sim::actionName(kind));
    return out;
}

namespace {

Result<std::int64_t> durationArg(const ParsedArgs &args, const std::string &name,
                                 std::int64_t fallback)
{
    const std::optional<std::string> text = args.value(name);
    if (!text)
        return fallback;
    Result<std::int64_t> ms = sim::parseDurationMs(*text);
    if (!ms)
        return Error{name + ": " + ms.error()};
    return ms;
}

std::string joined(const std::set<std::string> &names)
{
    std::string out;
    for (const std::string &name : names)
        out += (out.empty() ? "" : ", ") + name;
    return out;
}

// What a target may name in this cluster: deployments (and their runbook components),
// regions, nodes.
struct TargetNames {
    std::set<std::string> workloads;
    std::set<std::string> regions;
    std::set<std::string> nodes;
};

TargetNames targetNames(const sim::Inventory &inventory)
{
    TargetNames names;
    for (const sim::Deployment &d : inventory.deployments) {
        names.workloads.insert(d.name);
        if (!d.component.empty())
            names.workloads.insert(d.component);
    }
    for (const sim::Region &r : inventory.regions)
        names.regions.insert(r.name);
    for (const sim::Node &n : inventory.nodes)
        names.nodes.insert(n.name);
    return names;
}

std::optional<std::string> checkFaultTarget(const sim::TimedFault &fault, const TargetNames &names)
{
    const std::string &target = fault.spec.target;
    if (target.empty())
        return std::nullopt;
    if (fault.spec.kind == sim::FaultKind::RegionFailure) {
        if (names.regions.count(target))
            return std::nullopt;
        return "no region named '" + target + "' (regions: " + joined(names.regions) + ")";
    }
    if (names.workloads.count(target) || names.regions.count(target) || names.nodes.count(target))
        return std::nullopt;
    return "no deployment, region or node named '" + target + "' (deployments: " +
           joined(names.workloads) + "; regions: " + joined(names.regions) + ")";
}

std::optional<std::string> checkActionTarget(sim::TimedAction &action, const TargetNames &names)
{
    sim::ActionSpec &spec = action.spec;
    if (spec.kind == sim::ActionKind::Failover) {
        // "failover:us-west-2@1h" reads naturally; the region is the action's parameter.
        if (names.regions.count(spec.target) && !spec.params.count("region")) {
            spec.params["region"] = spec.target;
            spec.target.clear();
        }
        auto region = spec.params.find("region");
        if (region != spec.params.end() && !names.regions.count(region->second))
            return "no region named '" + region->second + "' (regions: " + joined(names.regions) +
                   ")";
    }
    if (spec.target.empty() || names.workloads.count(spec.target))
        return std::nullopt;
    return "no deployment named '" + spec.target + "' (deployments: " + joined(names.workloads) +
           ")";
}

} // namespace

Result<ScenarioOptions> scenarioFromArgs(const ParsedArgs &args, std::int64_t defaultDurationMs)
{
    ScenarioOptions options;
    if (const std::optional<std::string> seed = args.value("--seed")) {
        std::uint64_t value = 0;
        const char *end = seed->data() + seed->size();
        const auto [ptr, ec] = std::from_chars(seed->data(), end, value);
        if (seed->empty() || ec != std::errc() || ptr != end)
            return Error{"--seed: \"" + *seed + "\" is not a whole number from 0 to " +
                         std::to_string(UINT64_MAX)};
        options.config.seed = value;
    }
    if (const std::optional<std::string> preset = args.value("--preset")) {
        Result<sim::Preset> parsed = sim::presetFromName(*preset);
        if (!parsed)
            return Error{"--preset: " + parsed.error()};
        options.config.preset = *parsed;
    }
    Result<std::int64_t> duration = durationArg(args, "--duration", defaultDurationMs);
    if (!duration)
        return Error{duration.error()};
    options.durationMs = *duration;
    Result<std::int64_t> interval = durationArg(args, "--scrape-interval", 15'000);
    if (!interval)
        return Error{interval.error()};
    if (*interval < 1000)
        return Error{"--scrape-interval: must be at least 1s (the simulation ticks once a "
                     "simulated second), got " + sim::formatDuration(*interval)};
    options.scrapeIntervalMs = *interval;

    for (const std::string &text : args.values("--fault")) {
        Result<sim::TimedFault> fault = sim::parseFaultArg(text);
        if (!fault)
            return Error{"--fault: " + fault.error()};
        options.faults.push_back(std::move(*fault));
        options.faultTexts.push_back(text);
    }
    for (const std::string &text : args.values("--action")) {
        Result<sim::TimedAction> action = sim::parseActionArg(text);
        if (!action)
            return Error{"--action: " + action.error()};
        options.actions.push_back(std::move(*action));
        options.actionTexts.push_back(text);
    }
    return options;
}

Result<std::unique_ptr<sim::Simulation>> buildSimulation(const ScenarioOptions &options)
{
    auto simulation = std::make_unique<sim::Simulation>(options.config);
    const TargetNames names = targetNames(simulation->inventory());
    const std::string end = sim::formatDuration(options.durationMs);

    for (std::size_t i = 0; i < options.faults.size(); ++i) {
        const sim::TimedFault &fault = options.faults[i];
        const std::string where = "--fault: \"" + options.faultTexts[i] + "\": ";
        if (std::optional<std::string> problem = checkFaultTarget(fault, names))
            return Error{where + *problem};
        if (fault.atMs > options.durationMs)
            return Error{where + "time " + sim::formatDuration(fault.atMs) +
                         " is after " + options.endDescription + " (" + end + ")"};
        simulation->scheduleFault(fault.atMs, fault.spec);
    }
    for (std::size_t i = 0; i < options.actions.size(); ++i) {
        sim::TimedAction action = options.actions[i];
        const std::string where = "--action: \"" + options.actionTexts[i] + "\": ";
        if (std::optional<std::string> problem = checkActionTarget(action, names))
            return Error{where + *problem};
        if (action.atMs > options.durationMs)
            return Error{where + "time " + sim::formatDuration(action.atMs) +
                         " is after " + options.endDescription + " (" + end + ")"};
        simulation->scheduleAction(action.atMs, action.spec);
    }
    return simulation;
}

} // namespace opsdeck::cli
