#pragma once
// Command-line style scenario arguments, shared by opsdeck-sim and the GUI:
//   --fault  KIND[:TARGET][,key=value...]@TIME          bad-deploy:agent-orchestrator@2h
//   --action KIND[:TARGET[=VALUE]][,key=value...]@TIME  scale:virtual-computer=100@3h
// VALUE is the action's main parameter (scale: replicas, set-image/canary/
// progressive-rollout: image or version tag, failover: region, restore: backup id).
// TIME is a duration from the simulation start ("2h10m", "90s", "1d", "500ms").
#include "simulation.h"

#include <cstdint>
#include <string_view>

namespace opsdeck::sim {

struct TimedFault {
    std::int64_t atMs = 0;
    FaultSpec spec;
};

struct TimedAction {
    std::int64_t atMs = 0;
    ActionSpec spec;
};

// "6h", "2h10m", "90s", "1d", "1.5h", "500ms"; errors say which character and why.
Result<std::int64_t> parseDurationMs(std::string_view text);
// "2h10m" / "45s" / "0s": the shortest exact form, for messages and summaries.
std::string formatDuration(std::int64_t ms);

Result<TimedFault> parseFaultArg(std::string_view text);
Result<TimedAction> parseActionArg(std::string_view text);

Result<Preset> presetFromName(std::string_view name); // "default", "large"

} // namespace opsdeck::sim
