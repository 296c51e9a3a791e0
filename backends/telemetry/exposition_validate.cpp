// validateScrape from exposition.h: the writer's input checked against the rules the
// parser enforces, so a bad scrape is caught where it is built, not by a scraper.
#include "exposition.h"
#include "float_format.h"

#include <unordered_set>

namespace opsdeck::telemetry {

namespace {

bool belongsTo(const MetricFamily &family, std::string_view sample)
{
    if (sample == family.name)
        return family.type != MetricType::Histogram;
    if (!sample.starts_with(family.name))
        return false;
    const std::string_view suffix = sample.substr(family.name.size());
    if (family.type == MetricType::Histogram)
        return suffix == "_bucket" || suffix == "_sum" || suffix == "_count";
    if (family.type == MetricType::Summary)
        return suffix == "_sum" || suffix == "_count";
    return false;
}

} // namespace

std::optional<Error> validateScrape(const Scrape &scrape)
{
    std::unordered_set<std::string> familyNames;
    std::unordered_set<std::string> seriesSeen; // exposition text of each series
    for (const MetricFamily &family : scrape) {
        if (!isValidMetricName(family.name))
            return Error{"invalid metric family name \"" + family.name + "\""};
        if (!familyNames.insert(family.name).second)
            return Error{"family \"" + family.name + "\" appears twice"};
        for (const Sample &sample : family.samples) {
            std::string series = sample.name;
            appendLabelSet(series, sample.labels);
            auto problem = [&](const std::string &what) {
                return Error{"family \"" + family.name + "\": sample " + series + " " + what};
            };
            if (!belongsTo(family, sample.name))
                return problem("does not belong to this " + std::string(metricTypeName(family.type)));
            if (!isValidMetricName(sample.name))
                return problem("has an invalid metric name");
            for (const auto &[name, value] : sample.labels.items()) {
                if (name == "__name__")
                    return problem("carries a \"__name__\" label");
                if (!isValidLabelName(name))
                    return problem("has invalid label name \"" + name + "\"");
                if (!isValidUtf8(value))
                    return problem("has a value of label \"" + name + "\" that is not valid UTF-8");
            }
            if (family.type == MetricType::Histogram && sample.name.ends_with("_bucket") &&
                !parseFloat(sample.labels.get("le")))
                return problem("needs a numeric \"le\" label");
            if (family.type == MetricType::Summary && sample.name == family.name &&
                !parseFloat(sample.labels.get("quantile")))
                return problem("needs a numeric \"quantile\" label");
            if (!seriesSeen.insert(series).second)
                return problem("appears twice");
        }
    }
    return std::nullopt;
}

} // namespace opsdeck::telemetry
