#include "severity.h"

#include <algorithm>
#include <cctype>

namespace opsdeck::telemetry::alerting {

namespace {
constexpr std::int64_t kMinuteMs = 60'000;
constexpr std::int64_t kHourMs = 60 * kMinuteMs;
constexpr std::int64_t kDayMs = 24 * kHourMs;

// Floor division: epoch days before 1970 must still land on the right calendar day.
std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}
} // namespace

Severity severityFromLabel(std::string_view value)
{
    std::string v(value);
    std::transform(v.begin(), v.end(), v.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (v == "p1" || v == "critical" || v == "page")
        return Severity::P1;
    if (v == "p2" || v == "warning" || v == "error")
        return Severity::P2;
    if (v == "p3" || v == "info")
        return Severity::P3;
    if (v == "p4" || v == "none" || v == "low")
        return Severity::P4;
    return Severity::Unknown;
}

std::string severityName(Severity s)
{
    switch (s) {
    case Severity::P1: return "P1";
    case Severity::P2: return "P2";
    case Severity::P3: return "P3";
    case Severity::P4: return "P4";
    case Severity::Unknown: break;
    }
    return "unknown";
}

std::int64_t nextBusinessDayStartMs(std::int64_t fromMs, const BusinessCalendar &cal)
{
    const std::int64_t offsetMs = std::int64_t{cal.utcOffsetMinutes} * kMinuteMs;
    std::int64_t localDay = floorDiv(fromMs + offsetMs, kDayMs) + 1;
    // 1970-01-01 was a Thursday: weekday index 0 = Monday gives (day + 3) mod 7.
    auto weekday = [](std::int64_t day) { return ((day + 3) % 7 + 7) % 7; };
    while (weekday(localDay) >= 5) // Saturday, Sunday
        ++localDay;
    return localDay * kDayMs + std::int64_t{cal.startOfDayMinutes} * kMinuteMs - offsetMs;
}

std::optional<std::int64_t> responseDeadlineMs(Severity s, std::int64_t startsAtMs,
                                               const BusinessCalendar &cal)
{
    switch (s) {
    case Severity::P1: return startsAtMs + 5 * kMinuteMs;
    case Severity::P2: return startsAtMs + kHourMs;
    case Severity::P3: return startsAtMs + 4 * kHourMs;
    case Severity::P4: return nextBusinessDayStartMs(startsAtMs, cal);
    case Severity::Unknown: break;
    }
    return std::nullopt;
}

} // namespace opsdeck::telemetry::alerting
