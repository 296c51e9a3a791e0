#pragma once
// The runbook's "Incident Response" section as data the console can check against:
// response-time targets per severity, the stakeholder matrix as a checklist with
// deadlines, the status-page update cadence, the response procedure per severity (each
// step with its one-click action and the evidence that ticks it, whichever path did the
// work), and the RTO/RPO table. Pure functions over plain records: the same answers in
// simulated and real time, because every call is given "now".
#include "backends/sim/simulation.h"
#include "backends/telemetry/alerting/severity.h"
#include "models/incident_records.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace opsdeck::models {

// "Service Down/Degraded", "Performance Issues", "Minor Issues", "Non-critical".
const char *severityDescription(int severity);
// "5 minutes", "1 hour", "4 hours", "Next business day".
const char *responseTimeText(int severity);
// Declared + the class's response time (P4: the next business day's start).
int64_t responseDeadlineMs(int severity, int64_t declaredAtMs,
                           const telemetry::alerting::BusinessCalendar &calendar = {});

// --- Stakeholder matrix --------------------------------------------------------------
enum class DutyState { Done, Due, Overdue, NotRequired };

struct StakeholderDuty {
    Stakeholder stakeholder = Stakeholder::Engineering;
    std::string runbookText;        // the matrix cell: "Immediate", "5 min", "Status page"...
    std::optional<int64_t> dueAtMs; // nullopt: no deadline ("If visible", "No", P4)
    bool required = true;           // false: shown for completeness, never red
    DutyState state = DutyState::Due;
    std::optional<int64_t> doneAtMs;
};

// The matrix row for the severity (P4, absent from the runbook's matrix, asks only
// engineering, by the next business day), each duty checked against what was done:
// a notice ticks it; for Users a posted status-page update ticks it too. "Immediate"
// is given one minute: the time it takes to page.
std::vector<StakeholderDuty> stakeholderChecklist(
    int severity, int64_t declaredAtMs, const std::vector<StakeholderNotice> &notices,
    const std::vector<StatusUpdate> &updates, int64_t nowMs,
    const telemetry::alerting::BusinessCalendar &calendar = {});

// --- Status page -----------------------------------------------------------------------
// How often the status page wants an update: the runbook's example posts every 15
// minutes during a degradation, so P1 and P2 every 15 min, P3 hourly, P4 never.
std::optional<int64_t> statusUpdateIntervalMs(int severity);
// When the next update is due: the last one (or the declaration) + the interval.
std::optional<int64_t> nextStatusUpdateDueMs(int severity, int64_t declaredAtMs,
                                             const std::vector<StatusUpdate> &updates);

// --- Response procedure ----------------------------------------------------------------
enum class StepKind {
    Acknowledge, // acknowledge the incident (and its alert)
    Inspect,     // a read-only check whose findings go on the timeline
    Action,      // a remediation through ClusterBackend::apply
};

struct ProcedureStep {
    std::string id;          // "acknowledge", "check_health", "rollback", ...
    std::string title;       // "Check recent deployments"
    std::string runbookLine; // the command the runbook's script runs
    StepKind kind = StepKind::Action;
    std::optional<sim::ActionSpec> action;      // the one click, for Action steps
    std::vector<sim::ActionKind> satisfiedBy;   // any successful one of these ticks it
};

// P1: the six steps of emergency_response.sh. P2: performance_investigation.py's checks
// and its two remediations. P3/P4: acknowledge, check health, restart failed pods.
std::vector<ProcedureStep> responseProcedure(int severity);

// When the step was done according to the incident and its timeline, or nullopt.
// Acknowledge: the incident's acknowledgement; Inspect: a timeline entry whose payload
// carries "step": id; Action: a successful action timeline entry of a satisfying kind.
std::optional<int64_t> stepDoneAtMs(const ProcedureStep &step, const Incident &incident,
                                    const std::vector<TimelineEntry> &timeline);

// --- Disaster recovery -----------------------------------------------------------------
struct RecoveryTarget {
    std::string component; // "API Gateway"
    int64_t rtoMs = 0, rpoMs = 0;
};
const std::vector<RecoveryTarget> &recoveryTargets();

} // namespace opsdeck::models
