#pragma once
// What PromQL reads from: series selected by label matchers, with their points in a
// time range. The in-memory store implements it; rule unit tests build one from
// input_series; so can anything else that holds samples.
#include "labels.h"

#include <cstdint>
#include <span>
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

// What select() returns, with every series' points in one shared buffer: PromQL selects
// 10k+ series per rule, and one vector of points each is 10k+ allocations per query.
struct SeriesBatch {
    std::vector<Labels> labels;              // one per series, sorted
    std::vector<std::size_t> pointOffsets{0}; // series i: points[pointOffsets[i], pointOffsets[i+1])
    std::vector<Point> points;

    std::size_t size() const { return labels.size(); }
    std::span<const Point> pointsOf(std::size_t i) const
    {
        return {points.data() + pointOffsets[i], pointOffsets[i + 1] - pointOffsets[i]};
    }
};

class SeriesSource {
public:
    virtual ~SeriesSource() = default;
    // Every series whose labels satisfy all matchers (regexes fully anchored, as in
    // Prometheus), with points in the closed interval [minT, maxT].
    virtual std::vector<SeriesData> select(const std::vector<LabelMatcher> &matchers,
                                           std::int64_t minT, std::int64_t maxT) const = 0;
    // The same series, sorted by labels, as one batch. The default builds it from
    // select(); a store can fill it directly.
    virtual SeriesBatch selectBatch(const std::vector<LabelMatcher> &matchers, std::int64_t minT,
                                    std::int64_t maxT) const;
};

} // namespace opsdeck::telemetry
