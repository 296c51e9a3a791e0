#pragma once
// What PromQL reads from: series selected by label matchers, with their points in a
// time range. The in-memory store implements it; rule unit tests build one from
// input_series; so can anything else that holds samples.
#include "labels.h"

#include <cstdint>
#include <string>
#include <vector>

namespace opsdeck::telemetry {

struct Point {
    std::int64_t t = 0; // milliseconds since the epoch (or since simulation start)
    double v = 0;
};

// Prometheus staleness marker: a special NaN bit pattern (0x7ff0000000000002) written
// when a series disappears from a scrape; PromQL skips it and ends the series there.
double staleNaN();
bool isStaleNaN(double v);

struct LabelMatcher {
    enum class Op { Equal, NotEqual, RegexMatch, RegexNoMatch };
    std::string name;
    Op op = Op::Equal;
    std::string value;
};

struct SeriesData {
    Labels labels;              // includes __name__
    std::vector<Point> points;  // ascending t, only those within [minT, maxT]
};

class SeriesSource {
public:
    virtual ~SeriesSource() = default;
    // Every series whose labels satisfy all matchers (regexes fully anchored, as in
    // Prometheus), with points in the closed interval [minT, maxT].
    virtual std::vector<SeriesData> select(const std::vector<LabelMatcher> &matchers,
                                           std::int64_t minT, std::int64_t maxT) const = 0;
};

} // namespace opsdeck::telemetry
