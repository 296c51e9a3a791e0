#include "commands.h"
#include "scenario_options.h"

#include <iostream>

#ifndef OPSDECK_VERSION
#define OPSDECK_VERSION "0.0.0"
#endif

namespace opsdeck::cli {

const std::vector<Command> &allCommands()
{
    static const std::vector<Command> commands{runCommand(), queryCommand(), benchCommand(),
                                               rulesCommand(), serveCommand()};
    return commands;
}

const Command *findCommand(const std::string &name)
{
    for (const Command &command : allCommands()) {
        if (command.name == name)
            return &command;
    }
    return nullptr;
}

int usageError(const std::string &command, const std::string &message)
{
    std::cerr << "opsdeck-sim: " << message << "\n";
    std::cerr << "Try 'opsdeck-sim help" << (command.empty() ? "" : " " + command)
              << "' for the options.\n";
    return kExitUsage;
}

int failure(const std::string &message)
{
    std::cerr << "opsdeck-sim: " << message << "\n";
    return kExitFailure;
}

namespace {

std::string kindList(const std::vector<std::pair<std::string, std::string>> &kinds)
{
    std::string out;
    for (const auto &[name, what] : kinds) {
        std::string line = "  " + name;
        line.resize(std::max<std::size_t>(line.size() + 1, 24), ' ');
        out += line + what + "\n";
    }
    return out;
}

std::string faultList()
{
    using sim::FaultKind;
    const auto describe = [](FaultKind kind) -> std::string {
        switch (kind) {
        case FaultKind::BadDeploy: return "new revision whose pods fail requests (default: agent-orchestrator)";
        case FaultKind::ModelServerCrash: return "model servers crash: up{job=\"model-server\"} == 0";
        case FaultKind::VcPoolExhaustion: return "the virtual computer pool runs out";
        case FaultKind::DbPoolExhaustion: return "the state DB connection pool is exhausted";
        case FaultKind::MemoryLeak: return "memory creeps to the limit, then OOMKills";
        case FaultKind::GpuFailure: return "GPUs on a node fail (XID errors), capacity drops";
        case FaultKind::RegionFailure: return "a region goes dark (default: the primary)";
        case FaultKind::PromptInjection: return "a wave of safety violations";
        case FaultKind::DataCorruption: return "the state DB is corrupt: errors until restore";
        case FaultKind::TrafficSurge: return "demand multiplies (factor=N, default 3)";
        }
        return "";
    };
    std::vector<std::pair<std::string, std::string>> kinds;
    for (FaultKind kind : sim::allFaults())
        kinds.emplace_back(sim::faultName(kind), describe(kind));
    return kindList(kinds);
}

std::string actionList()
{
    using sim::ActionKind;
    const auto describe = [](ActionKind kind) -> std::string {
        switch (kind) {
        case ActionKind::Rollback: return "kubectl rollout undo (to the previous ReplicaSet)";
        case ActionKind::Scale: return "kubectl scale --replicas=N (scale:DEPLOYMENT=N)";
        case ActionKind::SetImage: return "kubectl set image (set-image:DEPLOYMENT=IMAGE)";
        case ActionKind::Canary: return "canary of IMAGE at percent=N of traffic (default 5)";
        case ActionKind::ProgressiveRollout: return "5/25/50/100 % with health checks, auto rollback";
        case ActionKind::Failover: return "route traffic to the secondary region (failover:REGION)";
        case ActionKind::SafetyMode: return "enable_safety_mode.sh: stricter filters, shed load";
        case ActionKind::CircuitBreaker: return "open circuit breakers towards failing dependencies";
        case ActionKind::DeleteFailedPods: return "kubectl delete pods --field-selector status.phase=Failed";
        case ActionKind::Restart: return "kubectl rollout restart";
        case ActionKind::RotateCredentials: return "rotate all credentials";
        case ActionKind::Backup: return "back up the state DB";
        case ActionKind::Restore: return "restore the state DB from the latest clean backup";
        case ActionKind::IsolateResources: return "isolate affected resources (security procedure)";
        case ActionKind::UpdatePromptFilters: return "update the prompt-injection filters";
        case ActionKind::IncreaseDbPool: return "increase the state DB connection pool size";
        }
        return "";
    };
    std::vector<std::pair<std::string, std::string>> kinds;
    for (ActionKind kind : sim::allActions())
        kinds.emplace_back(sim::actionName(kind), describe(kind));
    return kindList(kinds);
}

} // namespace

std::string versionText()
{
    return std::string("opsdeck-sim ") + OPSDECK_VERSION + "\n";
}

std::string mainHelpText()
{
    std::string out =
        "Usage: opsdeck-sim COMMAND [options]\n"
        "       opsdeck-sim help [COMMAND]\n"
        "       opsdeck-sim --version\n\n";
    out += wrapText("The OpsDeck simulated cluster, headless: runs the runbook's AI-agent "
                    "platform deterministically (same seed and options, same bytes), writes "
                    "its metrics as Prometheus text or CSV, answers PromQL queries, runs rule "
                    "unit tests and measures its own speed.", 0);
    out += "\nCommands:\n";
    for (const Command &command : allCommands()) {
        std::string line = "  " + command.name;
        line.resize(12, ' ');
        out += line + command.summary + "\n";
    }
    out += "\nFaults (--fault KIND[:TARGET][,key=value...]@TIME):\n" + faultList();
    out += "\nActions (--action KIND[:TARGET[=VALUE]][,key=value...]@TIME):\n" + actionList();
    out += "\nTimes and durations: 500ms, 90s, 10m, 2h10m, 1.5h, 1d, 1w (largest unit first).\n";
    out += "\nExamples:\n";
    out += "  opsdeck-sim run --seed 7 --duration 6h --fault bad-deploy@2h --action rollback@2h10m\n";
    out += "  opsdeck-sim run --duration 1h --out metrics.prom\n";
    out += "  opsdeck-sim query 'sum(rate(agent_requests_total[5m]))' --at 1h\n";
    out += "  opsdeck-sim bench --preset all\n";
    out += "  opsdeck-sim rules test tests.yml\n";
    out += "\nRun 'opsdeck-sim help COMMAND' for a command's options.\n";
    return out;
}

std::string commandHelpText(const Command &command)
{
    std::string out = "Usage: " + command.usage + "\n\n";
    out += wrapText(command.description, 0);
    out += "\nOptions:\n" + formatOptions(command.options);
    out += "  --help\n      Show this help.\n";
    if (command.listsFaultsAndActions) {
        out += "\nFaults:\n" + faultList();
        out += "\nActions:\n" + actionList();
    }
    if (!command.examples.empty())
        out += "\nExamples:\n" + command.examples;
    return out;
}

} // namespace opsdeck::cli
