#pragma once
// Go's strconv.Quote for the strings Prometheus prints: label values in promtool output,
// string literals in canonical PromQL, %q in templates. One copy, so every printer
// escapes the same way.
#include <string>
#include <string_view>

namespace opsdeck::telemetry {

std::string goQuote(std::string_view s);

} // namespace opsdeck::telemetry
