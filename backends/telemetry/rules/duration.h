#pragma once
// Durations as Prometheus writes them in rule and unit-test files ("1m30s", "2h", "0"),
// and the two ways promtool prints them back (model.Duration "1m30s" and Go's
// time.Duration "1m30s" / "5m0s"), so our messages read exactly like promtool's.
#include "../result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace opsdeck::telemetry::rules {

// Parses `[0-9]+(y|w|d|h|m|s|ms)` units in descending order, or "0". Milliseconds.
Result<std::int64_t> parseDuration(std::string_view text);

// model.Duration.String(): "0s", "1m30s", "1d", "2w" (y and w only when exact).
std::string formatDuration(std::int64_t ms);

// time.Duration.String(): "0s", "5m0s", "1h2m3.5s", "150ms".
std::string formatGoDuration(std::int64_t ms);

} // namespace opsdeck::telemetry::rules
