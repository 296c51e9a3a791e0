#pragma once
// The subset of Go text/template that Prometheus alert labels and annotations use:
// {{ $value }}, {{ $labels.x }}, {{ $externalLabels.x }}, {{ $externalURL }}, .Value /
// .Labels.x, functions humanize, humanize1024, humanizePercentage, humanizeDuration,
// humanizeTimestamp, printf, print, toUpper, toLower, title, pipes and parentheses,
// {{- -}} trimming, {{ if }} / {{ else if }} / {{ else }} / {{ with }} / {{ end }} with
// eq ne lt le gt ge and or not. Output, including execution errors, is byte-identical to
// Prometheus for these. range / define / template and the `query` function are reported
// as unsupported at parse time rather than silently mis-rendered.
#include "../result.h"

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace opsdeck::telemetry::rules {

struct TemplateData {
    std::map<std::string, std::string> labels;
    std::map<std::string, std::string> externalLabels;
    std::string externalUrl;
    double value = 0;
};

struct TemplateNode;

class AlertTemplate {
public:
    // `name` appears in errors as Go writes it: "template: __alert_X:1: ...".
    static Result<AlertTemplate> parse(std::string_view text, const std::string &name);
    Result<std::string> expand(const TemplateData &data) const;

private:
    std::string m_name;
    std::string m_text; // for error positions
    std::shared_ptr<const TemplateNode> m_root;
};

// What Prometheus writes for a label or annotation: the expansion, or
// "<error expanding template: ...>" when parsing or executing fails.
std::string expandAlertTemplate(std::string_view text, const std::string &alertName,
                                const TemplateData &data);

// Parse check as `promtool check rules` does it; empty string when fine.
std::string checkAlertTemplate(std::string_view text, const std::string &alertName);

// The humanize family, exposed for reuse (dashboards format values the same way).
std::string humanize(double v);
std::string humanize1024(double v);
std::string humanizeDuration(double seconds);
std::string humanizePercentage(double ratio);
std::string humanizeTimestamp(double unixSeconds); // "2026-11-28 12:39:05.5 +0000 UTC"

} // namespace opsdeck::telemetry::rules
