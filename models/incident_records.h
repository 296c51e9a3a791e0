#pragma once
// Plain values the incident store reads and writes. Times are epoch milliseconds,
// simulated or real: the store does not care which clock the caller runs on.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace opsdeck::models {

enum class IncidentState { Investigating, Identified, Monitoring, Resolved, Cancelled };
const char *incidentStateName(IncidentState state);
std::optional<IncidentState> incidentStateFromName(const std::string &name);

enum class TimelineKind {
    AlertFiring,
    AlertResolved,
    Acknowledged,
    Action,
    StatusChange,
    RoleChange,
    Note,
    MetricSnapshot,
    StatusUpdate,
    NUM_KINDS
};
const char *timelineKindName(TimelineKind kind);
std::optional<TimelineKind> timelineKindFromName(const std::string &name);
constexpr uint32_t timelineKindBit(TimelineKind kind) { return 1u << unsigned(kind); }
constexpr uint32_t kAllTimelineKinds = (1u << unsigned(TimelineKind::NUM_KINDS)) - 1;

enum class IncidentRole { Operator, Communications, Scribe };
const char *incidentRoleName(IncidentRole role);

struct Incident {
    int64_t id = 0;
    std::string title;
    int severity = 3; // 1..4 = P1..P4
    IncidentState state = IncidentState::Investigating;
    int64_t createdAtMs = 0;
    std::optional<int64_t> acknowledgedAtMs, mitigatedAtMs, resolvedAtMs;
    std::string sourceFingerprint; // empty when declared by hand
    std::string commander;         // exactly one, always
    std::vector<std::string> operators, communications, scribes;
};

struct NewIncident {
    std::string title;
    int severity = 3;
    std::string commander;
    std::string sourceFingerprint;
    int64_t createdAtMs = 0;
};

struct TimelineEntry {
    int64_t id = 0; // assigned on commit
    int64_t incidentId = 0;
    int64_t timeMs = 0;
    TimelineKind kind = TimelineKind::Note;
    std::string actor;
    std::string text;
    std::string payloadJson = "{}"; // e.g. action: what/target/kubectl/result
    std::string attachment;        // e.g. a metric snapshot's PNG; empty = none
};

struct Acknowledgement {
    int64_t id = 0;
    std::string fingerprint, who, comment;
    int64_t atMs = 0;
    std::optional<int64_t> endedAtMs; // when the alert resolved
};

struct StatusUpdate {
    int64_t id = 0;
    int64_t incidentId = 0;
    std::string issue, status, impact;
    int64_t startedAtMs = 0;
    std::string text;
    int64_t stampedAtMs = 0;
};

// An alert's evaluation state as the rule evaluator had it, so a restart resumes it.
struct PersistedAlert {
    std::string fingerprint;
    std::string labelsJson;
    bool firing = false; // false = pending
    int64_t activeAtMs = 0;
    std::optional<int64_t> firedAtMs;
    std::string acknowledgedBy; // empty = not acknowledged
};

struct AuditRecord {
    int64_t id = 0;
    int64_t atMs = 0;
    std::string actor, action, target;
    std::string paramsJson = "{}";
    std::string kubectl, result;
};

// What an incident is about, so alerts and actions reach its timeline: alert
// fingerprints (16 hex digits) and service names ("agent-orchestrator").
enum class IncidentLinkKind { Alert, Service };
const char *incidentLinkKindName(IncidentLinkKind kind); // "alert", "service"

struct IncidentLink {
    int64_t incidentId = 0;
    IncidentLinkKind kind = IncidentLinkKind::Alert;
    std::string value;
};

// The runbook's stakeholder matrix columns; a notice records who told them, when.
enum class Stakeholder { Engineering, Product, Leadership, Users, NUM_STAKEHOLDERS };
const char *stakeholderName(Stakeholder stakeholder); // "engineering", ...
std::optional<Stakeholder> stakeholderFromName(const std::string &name);

struct StakeholderNotice {
    int64_t id = 0;
    int64_t incidentId = 0;
    Stakeholder stakeholder = Stakeholder::Engineering;
    std::string who;
    int64_t atMs = 0;
};

struct FollowUp {
    int64_t id = 0;
    int64_t incidentId = 0;
    std::string text, owner;
    bool done = false;
    int64_t createdAtMs = 0;
};

} // namespace opsdeck::models
