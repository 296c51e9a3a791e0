#include "csv_writer.h"
#include "exposition.h"
#include "float_format.h"

#include <charconv>

namespace opsdeck::telemetry {

void appendCsvField(std::string &out, std::string_view field)
{
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += field;
        return;
    }
    out += '"';
    for (char c : field) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

void appendCsvRows(const Scrape &scrape, std::int64_t timestampMs, std::string &out)
{
    std::string labelText; // reused across rows to avoid an allocation per sample
    char num[24];
    for (const MetricFamily &family : scrape) {
        for (const Sample &sample : family.samples) {
            const std::int64_t ts = sample.timestampMs.value_or(timestampMs);
            out.append(num, std::to_chars(num, num + sizeof num, ts).ptr);
            out += ',';
            appendCsvField(out, sample.name);
            out += ',';
            labelText.clear();
            appendLabelSet(labelText, sample.labels);
            if (!labelText.empty()) // strip the braces: the column already says "labels"
                appendCsvField(out, std::string_view(labelText).substr(1, labelText.size() - 2));
            out += ',';
            appendFloat(out, sample.value);
            out += '\n';
        }
    }
}

} // namespace opsdeck::telemetry
