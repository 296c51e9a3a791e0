#pragma once
// Floats as Prometheus writes and reads them. Writing matches Go's
// strconv.FormatFloat(v, 'g', -1, 64), which client_golang's text exposition and the
// HTTP API both use: shortest round-trip digits, exponent form when the decimal exponent
// is < -4 or >= 6 ("1e+06", "1.234567e+06", "100000", "0.0001", "1e-05"), and the
// special values "NaN", "+Inf", "-Inf".
// Reading matches Go's strconv.ParseFloat as the Prometheus text parser uses it.
#include <optional>
#include <string>
#include <string_view>

namespace opsdeck::telemetry {

// Longest output: "-1.2345678901234567e-308" (24 chars); 32 leaves room.
inline constexpr std::size_t kMaxFormattedFloat = 32;

// Writes into buf (at least kMaxFormattedFloat chars), returns the length; no allocation.
std::size_t formatFloatTo(double v, char *buf);
void appendFloat(std::string &out, double v);
std::string formatFloat(double v);

// Accepts what Go's ParseFloat accepts in exposition values: optional sign, decimal or
// exponent form, hex floats ("0x1p-3"), "Inf"/"Infinity"/"NaN" in any case.
// nullopt on anything else (including empty text and trailing junk).
std::optional<double> parseFloat(std::string_view text);

} // namespace opsdeck::telemetry
