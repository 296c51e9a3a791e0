#include "series_source.h"

#include <algorithm>

namespace opsdeck::telemetry {

SeriesBatch SeriesSource::selectBatch(const std::vector<LabelMatcher> &matchers, std::int64_t minT,
                                      std::int64_t maxT) const
{
    std::vector<SeriesData> series = select(matchers, minT, maxT);
    auto byLabels = [](const SeriesData &a, const SeriesData &b) { return a.labels < b.labels; };
    if (!std::is_sorted(series.begin(), series.end(), byLabels))
        std::sort(series.begin(), series.end(), byLabels);
    SeriesBatch batch;
    batch.labels.reserve(series.size());
    batch.pointOffsets.reserve(series.size() + 1);
    std::size_t total = 0;
    for (const SeriesData &s : series)
        total += s.points.size();
    batch.points.reserve(total);
    for (SeriesData &s : series) {
        batch.labels.push_back(std::move(s.labels));
        batch.points.insert(batch.points.end(), s.points.begin(), s.points.end());
        batch.pointOffsets.push_back(batch.points.size());
    }
    return batch;
}

} // namespace opsdeck::telemetry
