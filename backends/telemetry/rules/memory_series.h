#pragma once
// A small in-memory series storage: what promtool builds from a unit test's
// input_series, plus whatever rule evaluation appends. Linear scans are fine at the
// sizes rule tests use (tens of series, thousands of points).
#include "../series_source.h"
#include "sample_sink.h"

#include <map>

namespace opsdeck::telemetry::rules {

class MemorySeries : public SeriesSource, public SampleSink {
public:
    std::vector<SeriesData> select(const std::vector<LabelMatcher> &matchers, std::int64_t minT,
                                   std::int64_t maxT) const override;
    // Appends keep each series sorted; a sample at an existing timestamp replaces it.
    void append(const Labels &series, std::int64_t tMs, double value) override;

    // Hides samples later than `tMs` from select(), as promtool's lazy loader only
    // loads input samples up to the evaluation time in progress.
    void setVisibleUntil(std::int64_t tMs) { m_visibleUntil = tMs; }
    std::size_t seriesCount() const { return m_series.size(); }

private:
    std::map<Labels, std::vector<Point>> m_series;
    std::int64_t m_visibleUntil = INT64_MAX;
};

// Whether `labels` satisfy `m` (regexes fully anchored, missing label == "").
bool matches(const LabelMatcher &m, const Labels &labels);

} // namespace opsdeck::telemetry::rules
