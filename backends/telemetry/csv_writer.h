#pragma once
// Samples as CSV for `opsdeck-sim run --format csv`: one row per sample,
//   timestamp_ms,name,labels,value
// where labels is the exposition's inner label text (`code="500",job="api"`, empty when
// none) and fields are quoted per RFC 4180 when they hold a comma, quote or line break.
// Values print as in the exposition ("0.1", "1e+06", "NaN", "+Inf").
#include "metric_family.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace opsdeck::telemetry {

inline constexpr std::string_view kCsvHeader = "timestamp_ms,name,labels,value\n";

// Appends one row per sample; a sample's own timestamp wins over `timestampMs`.
void appendCsvRows(const Scrape &scrape, std::int64_t timestampMs, std::string &out);

// Appends `field`, quoted and with quotes doubled only if it needs to be.
void appendCsvField(std::string &out, std::string_view field);

} // namespace opsdeck::telemetry
