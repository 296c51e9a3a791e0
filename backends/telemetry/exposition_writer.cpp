// Writing half of exposition.h; the parser lives in exposition_parser.cpp.
#include "exposition.h"
#include "float_format.h"

#include <charconv>

namespace opsdeck::telemetry {

namespace {

void appendEscapedHelp(std::string &out, std::string_view help)
{
    // HELP text escapes only backslash and newline (quotes stay as they are).
    for (char c : help) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

void appendInt(std::string &out, std::int64_t v)
{
    char buf[24];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, res.ptr);
}

} // namespace

std::string_view metricTypeName(MetricType type)
{
    switch (type) {
    case MetricType::Counter:
        return "counter";
    case MetricType::Gauge:
        return "gauge";
    case MetricType::Histogram:
        return "histogram";
    case MetricType::Summary:
        return "summary";
    case MetricType::Untyped:
        break;
    }
    return "untyped";
}

std::optional<MetricType> metricTypeFromName(std::string_view name)
{
    if (name == "counter")
        return MetricType::Counter;
    if (name == "gauge")
        return MetricType::Gauge;
    if (name == "histogram")
        return MetricType::Histogram;
    if (name == "summary")
        return MetricType::Summary;
    if (name == "untyped")
        return MetricType::Untyped;
    return std::nullopt;
}

void appendEscapedLabelValue(std::string &out, std::string_view value)
{
    // copy runs of ordinary characters in one go; escapes are rare
    std::size_t runStart = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c != '\\' && c != '"' && c != '\n')
            continue;
        out.append(value.data() + runStart, i - runStart);
        out += '\\';
        out += c == '\n' ? 'n' : c;
        runStart = i + 1;
    }
    out.append(value.data() + runStart, value.size() - runStart);
}

void appendLabelSet(std::string &out, const Labels &labels)
{
    bool first = true;
    for (const auto &[name, value] : labels.items()) {
        if (name == "__name__")
            continue;
        out += first ? '{' : ',';
        first = false;
        out += name;
        out += "=\"";
        appendEscapedLabelValue(out, value);
        out += '"';
    }
    if (!first)
        out += '}';
}

void writeExposition(const Scrape &scrape, std::string &out,
                     std::optional<std::int64_t> timestampMs)
{
    for (const MetricFamily &family : scrape) {
        if (!family.help.empty()) {
            out += "# HELP ";
            out += family.name;
            out += ' ';
            appendEscapedHelp(out, family.help);
            out += '\n';
        }
        out += "# TYPE ";
        out += family.name;
        out += ' ';
        out += metricTypeName(family.type);
        out += '\n';
        for (const Sample &sample : family.samples) {
            out += sample.name;
            appendLabelSet(out, sample.labels);
            out += ' ';
            // client_golang prints -0 as "0" (it special-cases v == 0); so do we
            appendFloat(out, sample.value == 0 ? 0.0 : sample.value);
            if (auto ts = sample.timestampMs ? sample.timestampMs : timestampMs) {
                out += ' ';
                appendInt(out, *ts);
            }
            out += '\n';
        }
    }
}

std::string writeExposition(const Scrape &scrape)
{
    std::string out;
    writeExposition(scrape, out);
    return out;
}

} // namespace opsdeck::telemetry
