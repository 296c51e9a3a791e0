#pragma once
// Float and printf formatting exactly as Go's fmt/strconv do it, because alert
// annotations and promtool diffs are compared byte for byte with real Prometheus.
#include <string>
#include <variant>
#include <vector>

namespace opsdeck::telemetry::rules {

// fmt.Sprint(float64): shortest round-trip digits, %e form when exp < -4 or >= 6
// (the shortest-%g rule of strconv: 1234567.5 prints as 1.2345675e+06).
std::string goFormatFloat(double v);
// strconv.FormatFloat(v, 'E', -1, 64): "1.5E+00", as promtool prints expected samples.
std::string goFormatFloatE(double v);
// fmt.Sprintf("%.<precision>g", v) with Go's spelling of NaN / +Inf / -Inf.
std::string goFormatG(double v, int precision);

// An operand of a template's printf: the numbers and strings alert templates pass.
using GoValue = std::variant<double, long long, std::string>; // float64, int, string
// fmt.Sprintf for the verbs templates use (%s %v %d %f %e %g %q %%, flags, width,
// precision). Mismatched operands print like Go: "%!d(float64=1.5)".
std::string goSprintf(const std::string &format, const std::vector<GoValue> &args);
// fmt.Sprint of one operand.
std::string goPrint(const GoValue &v);

} // namespace opsdeck::telemetry::rules
