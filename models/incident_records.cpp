#include "models/incident_records.h"

#include <array>

namespace opsdeck::models {
namespace {
constexpr std::array kStateNames = {"investigating", "identified", "monitoring", "resolved",
                                    "cancelled"};
constexpr std::array kKindNames = {"alert_firing",  "alert_resolved", "acknowledged",
                                   "action",        "status_change",  "role_change",
                                   "note",          "metric_snapshot", "status_update"};
constexpr std::array kRoleNames = {"operator", "communications", "scribe"};
constexpr std::array kLinkKindNames = {"alert", "service"};
constexpr std::array kStakeholderNames = {"engineering", "product", "leadership", "users"};
static_assert(kStakeholderNames.size() == size_t(Stakeholder::NUM_STAKEHOLDERS));
static_assert(kKindNames.size() == size_t(TimelineKind::NUM_KINDS));
} // namespace

const char *incidentStateName(IncidentState state) { return kStateNames[size_t(state)]; }

std::optional<IncidentState> incidentStateFromName(const std::string &name)
{
    for (size_t i = 0; i < kStateNames.size(); ++i)
        if (name == kStateNames[i])
            return IncidentState(i);
    return std::nullopt;
}

const char *timelineKindName(TimelineKind kind) { return kKindNames[size_t(kind)]; }

std::optional<TimelineKind> timelineKindFromName(const std::string &name)
{
    for (size_t i = 0; i < kKindNames.size(); ++i)
        if (name == kKindNames[i])
            return TimelineKind(i);
    return std::nullopt;
}

const char *incidentRoleName(IncidentRole role) { return kRoleNames[size_t(role)]; }

const char *incidentLinkKindName(IncidentLinkKind kind) { return kLinkKindNames[size_t(kind)]; }

const char *stakeholderName(Stakeholder stakeholder)
{
    return kStakeholderNames[size_t(stakeholder)];
}

std::optional<Stakeholder> stakeholderFromName(const std::string &name)
{
    for (size_t i = 0; i < kStakeholderNames.size(); ++i)
        if (name == kStakeholderNames[i])
            return Stakeholder(i);
    return std::nullopt;
}

} // namespace opsdeck::models
