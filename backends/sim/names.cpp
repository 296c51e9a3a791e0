// Command-line names of faults and actions, both ways.
#include "simulation.h"

#include <array>
#include <utility>

namespace opsdeck::sim {

namespace {
constexpr std::array<std::pair<FaultKind, const char *>, 10> kFaults{{
    {FaultKind::BadDeploy, "bad-deploy"},
    {FaultKind::ModelServerCrash, "model-server-crash"},
    {FaultKind::VcPoolExhaustion, "vc-pool-exhaustion"},
    {FaultKind::DbPoolExhaustion, "db-pool-exhaustion"},
    {FaultKind::MemoryLeak, "memory-leak"},
    {FaultKind::GpuFailure, "gpu-failure"},
    {FaultKind::RegionFailure, "region-failure"},
    {FaultKind::PromptInjection, "prompt-injection"},
    {FaultKind::DataCorruption, "data-corruption"},
    {FaultKind::TrafficSurge, "traffic-surge"},
}};

constexpr std::array<std::pair<ActionKind, const char *>, 16> kActions{{
    {ActionKind::Rollback, "rollback"},
    {ActionKind::Scale, "scale"},
    {ActionKind::SetImage, "set-image"},
    {ActionKind::Canary, "canary"},
    {ActionKind::ProgressiveRollout, "progressive-rollout"},
    {ActionKind::Failover, "failover"},
    {ActionKind::SafetyMode, "safety-mode"},
    {ActionKind::CircuitBreaker, "circuit-breaker"},
    {ActionKind::DeleteFailedPods, "delete-failed-pods"},
    {ActionKind::Restart, "restart"},
    {ActionKind::RotateCredentials, "rotate-credentials"},
    {ActionKind::Backup, "backup"},
    {ActionKind::Restore, "restore"},
    {ActionKind::IsolateResources, "isolate"},
    {ActionKind::UpdatePromptFilters, "update-prompt-filters"},
    {ActionKind::IncreaseDbPool, "increase-db-pool"},
}};

template <typename Table>
std::string knownNames(const Table &table)
{
    std::string out;
    for (const auto &[kind, name] : table) {
        if (!out.empty())
            out += ", ";
        out += name;
    }
    return out;
}
} // namespace

const char *faultName(FaultKind kind)
{
    for (const auto &[k, name] : kFaults)
        if (k == kind)
            return name;
    return "unknown-fault";
}

const char *actionName(ActionKind kind)
{
    for (const auto &[k, name] : kActions)
        if (k == kind)
            return name;
    return "unknown-action";
}

Result<FaultKind> faultFromName(const std::string &name)
{
    for (const auto &[k, n] : kFaults)
        if (name == n)
            return k;
    return Error{"unknown fault '" + name + "' (known: " + knownNames(kFaults) + ")"};
}

Result<ActionKind> actionFromName(const std::string &name)
{
    for (const auto &[k, n] : kActions)
        if (name == n)
            return k;
    return Error{"unknown action '" + name + "' (known: " + knownNames(kActions) + ")"};
}

std::vector<FaultKind> allFaults()
{
    std::vector<FaultKind> out;
    for (const auto &[k, n] : kFaults)
        out.push_back(k);
    return out;
}

std::vector<ActionKind> allActions()
{
    std::vector<ActionKind> out;
    for (const auto &[k, n] : kActions)
        out.push_back(k);
    return out;
}

} // namespace opsdeck::sim
