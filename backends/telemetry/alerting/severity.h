#pragma once
// The runbook's incident classes and their response times:
//   P1 5 minutes, P2 1 hour, P3 4 hours, P4 next business day.
// An alert's class comes from its `severity` label. P1..P4 are read case-insensitively;
// the Prometheus community names map as critical/page -> P1, warning/error -> P2,
// info -> P3, none/low -> P4, so stock rule files still land in a sensible lane.
// Anything else is Unknown: shown, but with no response deadline.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace opsdeck::telemetry::alerting {

enum class Severity { P1 = 1, P2, P3, P4, Unknown };

Severity severityFromLabel(std::string_view value);
std::string severityName(Severity s); // "P1".."P4", "unknown"

// Where "next business day" is counted. A fixed UTC offset: DST is not modelled
// (no time-zone database in C++20 as shipped with g++ 12), so set the offset that
// is in force for the team's working hours.
struct BusinessCalendar {
    int utcOffsetMinutes = 0;
    int startOfDayMinutes = 9 * 60; // 09:00 local
};

// The first Monday..Friday strictly after the local date of fromMs, at the start of
// the working day, in epoch ms. Friday 15:00 -> Monday 09:00; Saturday -> Monday.
std::int64_t nextBusinessDayStartMs(std::int64_t fromMs, const BusinessCalendar &cal);

// startsAt + the class's response time; nullopt for Unknown.
std::optional<std::int64_t> responseDeadlineMs(Severity s, std::int64_t startsAtMs,
                                               const BusinessCalendar &cal);

} // namespace opsdeck::telemetry::alerting
