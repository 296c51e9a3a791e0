#include "models/response_plan.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace opsdeck::models {
namespace {
constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;

int clampSeverity(int severity) { return std::clamp(severity, 1, 4); }

QJsonObject payloadOf(const TimelineEntry &entry)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(entry.payloadJson)).object();
}

sim::ActionSpec spec(sim::ActionKind kind, std::string target,
                     std::map<std::string, std::string> params = {})
{
    sim::ActionSpec action;
    action.kind = kind;
    action.target = std::move(target);
    action.params = std::move(params);
    return action;
}
} // namespace

const char *severityDescription(int severity)
{
    static const char *const names[] = {"Service Down/Degraded", "Performance Issues",
                                        "Minor Issues", "Non-critical"};
    return names[clampSeverity(severity) - 1];
}

const char *responseTimeText(int severity)
{
    static const char *const texts[] = {"5 minutes", "1 hour", "4 hours", "Next business day"};
    return texts[clampSeverity(severity) - 1];
}

int64_t responseDeadlineMs(int severity, int64_t declaredAtMs,
                           const telemetry::alerting::BusinessCalendar &calendar)
{
    const auto deadline = telemetry::alerting::responseDeadlineMs(
        telemetry::alerting::Severity(clampSeverity(severity)), declaredAtMs, calendar);
    return deadline.value_or(declaredAtMs);
}

std::vector<StakeholderDuty> stakeholderChecklist(int severity, int64_t declaredAtMs,
                                                  const std::vector<StakeholderNotice> &notices,
                                                  const std::vector<StatusUpdate> &updates,
                                                  int64_t nowMs,
                                                  const telemetry::alerting::BusinessCalendar &calendar)
{
    struct Cell {
        const char *text;
        std::optional<int64_t> withinMs; // nullopt: no deadline
        bool required;
        bool nextBusinessDay = false;
    };
    const auto nbd = [](const char *text) { return Cell{text, 0, true, true}; };
    // Runbook, "Stakeholder Matrix": Engineering / Product / Leadership / Users.
    std::vector<Cell> row;
    switch (clampSeverity(severity)) {
    case 1:
        row = {{"Immediate", kMinute, true}, {"5 min", 5 * kMinute, true},
               {"15 min", 15 * kMinute, true}, {"Status page", 5 * kMinute, true}};
        break;
    case 2:
        row = {{"15 min", 15 * kMinute, true}, {"30 min", 30 * kMinute, true},
               {"1 hour", kHour, true}, {"If visible", std::nullopt, false}};
        break;
    case 3:
        row = {{"1 hour", kHour, true}, nbd("Daily sync"), {"Weekly", 7 * 24 * kHour, true},
               {"No", std::nullopt, false}};
        break;
    default:
        row = {nbd("Next business day"), {"No", std::nullopt, false}, {"No", std::nullopt, false},
               {"No", std::nullopt, false}};
        break;
    }
    std::vector<StakeholderDuty> out;
    for (size_t i = 0; i < row.size(); ++i) {
        StakeholderDuty duty;
        duty.stakeholder = Stakeholder(i);
        duty.runbookText = row[i].text;
        duty.required = row[i].required;
        if (row[i].nextBusinessDay)
            duty.dueAtMs = telemetry::alerting::nextBusinessDayStartMs(declaredAtMs, calendar);
        else if (row[i].withinMs)
            duty.dueAtMs = declaredAtMs + *row[i].withinMs;
        for (const auto &notice : notices)
            if (notice.stakeholder == duty.stakeholder
                && (!duty.doneAtMs || notice.atMs < *duty.doneAtMs))
                duty.doneAtMs = notice.atMs;
        if (duty.stakeholder == Stakeholder::Users && !updates.empty()) {
            const int64_t first = updates.front().stampedAtMs;
            if (!duty.doneAtMs || first < *duty.doneAtMs)
                duty.doneAtMs = first;
        }
        if (duty.doneAtMs)
            duty.state = DutyState::Done;
        else if (!duty.required)
            duty.state = DutyState::NotRequired;
        else if (duty.dueAtMs && nowMs > *duty.dueAtMs)
            duty.state = DutyState::Overdue;
        else
            duty.state = DutyState::Due;
        out.push_back(std::move(duty));
    }
    return out;
}

std::optional<int64_t> statusUpdateIntervalMs(int severity)
{
    switch (clampSeverity(severity)) {
    case 1:
    case 2:
        return 15 * kMinute;
    case 3:
        return kHour;
    default:
        return std::nullopt;
    }
}

std::optional<int64_t> nextStatusUpdateDueMs(int severity, int64_t declaredAtMs,
                                             const std::vector<StatusUpdate> &updates)
{
    const auto interval = statusUpdateIntervalMs(severity);
    if (!interval)
        return std::nullopt;
    int64_t last = declaredAtMs;
    for (const auto &update : updates)
        last = std::max(last, update.stampedAtMs);
    return last + *interval;
}

std::vector<ProcedureStep> responseProcedure(int severity)
{
    using K = sim::ActionKind;
    const std::string orchestrator = "agent-orchestrator";
    ProcedureStep acknowledge{"acknowledge", "Acknowledge the alert",
                              "pagerduty-cli acknowledge $INCIDENT_ID", StepKind::Acknowledge,
                              std::nullopt, {}};
    ProcedureStep health{"check_health", "Check service health",
                         "kubectl get pods -n chatgpt-agent -l app=orchestrator; "
                         "kubectl get pods -n chatgpt-agent -l app=model-server",
                         StepKind::Inspect, std::nullopt, {}};
    switch (clampSeverity(severity)) {
    case 1:
        return {
            acknowledge,
            health,
            {"check_deployments", "Check recent deployments",
             "kubectl rollout history deployment/agent-orchestrator -n chatgpt-agent",
             StepKind::Inspect, std::nullopt, {}},
            {"rollback", "If recent deployment, roll back",
             "kubectl rollout undo deployment/agent-orchestrator -n chatgpt-agent", StepKind::Action,
             spec(K::Rollback, orchestrator), {K::Rollback}},
            {"scale", "Scale up healthy components",
             "kubectl scale deployment/agent-orchestrator --replicas=10 -n chatgpt-agent",
             StepKind::Action, spec(K::Scale, orchestrator, {{"replicas", "10"}}), {K::Scale}},
            {"circuit_breakers", "Enable circuit breakers",
             "kubectl exec -it orchestrator-pod -- ./enable_safety_mode.sh", StepKind::Action,
             spec(K::SafetyMode, orchestrator), {K::SafetyMode, K::CircuitBreaker}},
        };
    case 2:
        return {
            acknowledge,
            {"check_resources", "Check CPU/memory usage", "kubectl top pods -n chatgpt-agent",
             StepKind::Inspect, std::nullopt, {}},
            {"check_database", "Check database connections", "check_database_pool()",
             StepKind::Inspect, std::nullopt, {}},
            {"scale_out", "Scale out compute (CPU above 80%)",
             "kubectl scale deployment/virtual-computer --replicas=100", StepKind::Action,
             spec(K::Scale, "virtual-computer", {{"replicas", "100"}}), {K::Scale}},
            {"increase_db_pool", "Increase connection pool size (pool exhausted)",
             "increase connection pool size", StepKind::Action, spec(K::IncreaseDbPool, ""),
             {K::IncreaseDbPool}},
        };
    default:
        return {
            acknowledge,
            health,
            {"restart_failed", "Force restart unhealthy pods",
             "kubectl delete pods -n chatgpt-agent --field-selector status.phase=Failed",
             StepKind::Action, spec(K::DeleteFailedPods, ""), {K::DeleteFailedPods}},
        };
    }
}

std::optional<int64_t> stepDoneAtMs(const ProcedureStep &step, const Incident &incident,
                                    const std::vector<TimelineEntry> &timeline)
{
    if (step.kind == StepKind::Acknowledge)
        return incident.acknowledgedAtMs;
    for (const auto &entry : timeline) {
        if (step.kind == StepKind::Inspect) {
            if (entry.kind == TimelineKind::Action
                && payloadOf(entry).value(QLatin1String("step")).toString().toStdString() == step.id)
                return entry.timeMs;
            continue;
        }
        if (entry.kind != TimelineKind::Action)
            continue;
        const QJsonObject payload = payloadOf(entry);
        if (!payload.value(QLatin1String("ok")).toBool())
            continue;
        const auto kind = sim::actionFromName(payload.value(QLatin1String("action")).toString().toStdString());
        if (kind && std::find(step.satisfiedBy.begin(), step.satisfiedBy.end(), *kind)
                        != step.satisfiedBy.end())
            return entry.timeMs;
    }
    return std::nullopt;
}

const std::vector<RecoveryTarget> &recoveryTargets()
{
    static const std::vector<RecoveryTarget> targets = {
        {"API Gateway", 5 * kMinute, 0},
        {"Agent Orchestrator", 10 * kMinute, 5 * kMinute},
        {"Model Server", 30 * kMinute, kHour},
        {"Virtual Computers", 15 * kMinute, 0},
        {"State Database", kHour, 5 * kMinute},
    };
    return targets;
}

} // namespace opsdeck::models
