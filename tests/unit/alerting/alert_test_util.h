#pragma once
// Helpers shared by the alerting tests: calendar times and Prometheus-style pushes.
#include "backends/telemetry/alerting/alert.h"

#include <cstdint>

namespace opsdeck::telemetry::alerting::testutil {

constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;

// Epoch ms of a UTC civil time (Howard Hinnant's days_from_civil), so that tests
// state dates ("Friday 2026-11-27 15:00") instead of magic numbers.
constexpr std::int64_t utcMs(int y, unsigned m, unsigned d, unsigned hh = 0, unsigned mm = 0,
                             unsigned ss = 0)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = era * 146097 + static_cast<std::int64_t>(doe) - 719468;
    return ((days * 24 + hh) * 60 + mm) * 60'000 + std::int64_t{ss} * 1000;
}

// What Prometheus sends while a rule fires: endsAt = push time + 4 min (3 x resend
// delay + evaluation interval), refreshed by every push.
inline PostableAlert firing(Labels labels, std::int64_t startsAtMs, std::int64_t nowMs,
                            Annotations annotations = {})
{
    PostableAlert a;
    a.labels = std::move(labels);
    a.annotations = std::move(annotations);
    a.startsAtMs = startsAtMs;
    a.endsAtMs = nowMs + 4 * kMinute;
    a.generatorURL = "http://vm:19090/graph";
    return a;
}

// What Prometheus sends once the rule stops firing: endsAt = resolution time.
inline PostableAlert resolvedAt(Labels labels, std::int64_t startsAtMs, std::int64_t endsAtMs)
{
    PostableAlert a;
    a.labels = std::move(labels);
    a.startsAtMs = startsAtMs;
    a.endsAtMs = endsAtMs;
    return a;
}

} // namespace opsdeck::telemetry::alerting::testutil
