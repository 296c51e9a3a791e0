#pragma once
// The in-memory time-series store the simulation writes into and PromQL reads from.
//
// One series per label set (including __name__), its points in compressed chunks
// (SeriesChunks) bounded by count and by age (retention). Samples map to series through
// a hash of their labels, computed without building a label set, and an inverted index
// (label name -> value -> series ids) answers `{__name__="x", job="y"}` without scanning
// every series.
//
// Staleness works as in Prometheus: a series that a target's previous ingest() had and
// its current one lacks gets a staleness marker (staleNaN()) at the current time, so
// PromQL stops returning it at once instead of 5 minutes later.
//
// Thread safety: every method may be called from any thread. Writes (append, ingest,
// markTargetStale) take an exclusive lock, reads (select, series, labelNames, ...) a
// shared one, so readers run side by side and only wait while a write is in progress.
// The intended shape is one writer (the simulation worker) and several readers.
//
// Memory: points are kept as Prometheus's TSDB keeps them (Gorilla's delta-of-delta
// timestamps and XOR-ed values, 120 points a chunk; see xor_chunk.h), plus the newest
// chunk uncompressed (up to 1.9 KB a series). The simulator's series at 1 s take about
// 1 byte a point sealed and 1.8 bytes a point for the whole store (labels, index and
// open chunks included); full-precision noise would take up to ~8. approxBytes() counts
// the allocator's blocks (checked against RSS by tests/unit/telemetry/bench_store_sim).
// Series whose points all aged out free their points but keep their labels and index
// entries: churn of label sets grows the store slowly until it is destroyed.
#include "label_matcher.h"
#include "metric_family.h"
#include "result.h"
#include "series_chunks.h"
#include "series_source.h"

#include <climits>
#include <mutex>
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace opsdeck::telemetry {

struct SeriesStoreOptions {
    // Points older than retention are dropped: from a series as it is appended to
    // (relative to the new point), and from all series, relative to the newest timestamp
    // in the store, in a sweep every 1/8 of the retention.
    std::int64_t retentionMs = 24 * 3600 * 1000LL;
    // Hard cap per series: 24 h at 1 s resolution. The oldest points beyond it are dropped
    // as they are beyond retention (the chunk holding them is freed once all are).
    std::size_t maxPointsPerSeries = 24 * 3600;
};

enum class AppendStatus {
    Ok,
    DuplicateIgnored,   // same timestamp and same value as the newest point: a no-op
    DuplicateTimestamp, // same timestamp, different value (Prometheus rejects it too)
    OutOfOrder,         // older than the newest point of the series
    EmptyLabels,        // a series needs at least one label
};

struct IngestStats {
    std::size_t appended = 0;
    std::size_t rejected = 0;    // out of order or conflicting duplicates
    std::size_t newSeries = 0;
    std::size_t staleMarked = 0; // series that vanished and got a staleness marker
};

class SeriesStore final : public SeriesSource {
public:
    using SeriesId = std::uint32_t;

    explicit SeriesStore(SeriesStoreOptions options = {});

    // `labels` includes __name__.
    AppendStatus append(const Labels &labels, std::int64_t tMs, double value);

    // Appends every sample of a scrape at tMs (or at the sample's own timestamp), then
    // marks stale the series the same `target` produced last time but not this time.
    IngestStats ingest(const Scrape &scrape, std::int64_t tMs, std::string_view target = {});

    // The target is gone (its scrape failed): mark all its series stale at tMs.
    std::size_t markTargetStale(std::string_view target, std::int64_t tMs);

    // SeriesSource: series matching all matchers that have points in [minT, maxT],
    // sorted by labels. Points include staleness markers (isStaleNaN) where a series
    // vanished; PromQL must skip them. A bad regex matches nothing; use trySelect to see
    // the error.
    std::vector<SeriesData> select(const std::vector<LabelMatcher> &matchers,
                                   std::int64_t minT, std::int64_t maxT) const override;
    SeriesBatch selectBatch(const std::vector<LabelMatcher> &matchers, std::int64_t minT,
                            std::int64_t maxT) const override;
    Result<std::vector<SeriesData>> trySelect(const std::vector<LabelMatcher> &matchers,
                                              std::int64_t minT, std::int64_t maxT) const;

    // Label sets of matching series that still hold points (for /api/v1/series), sorted.
    Result<std::vector<Labels>> series(const std::vector<LabelMatcher> &matchers) const;
    // Every label name / value ever stored (also of series whose points aged out), sorted.
    std::vector<std::string> labelNames() const;
    std::vector<std::string> labelValues(std::string_view name) const;

    std::size_t seriesCount() const;
    std::size_t pointCount() const;
    std::size_t approxBytes() const; // points, labels and index, estimated from capacities
    std::optional<std::int64_t> newestTimestamp() const;
    const SeriesStoreOptions &options() const { return m_options; }

private:
    struct Series {
        Labels labels;
        SeriesChunks points;
        std::uint64_t seenInIngest = 0; // generation of the last ingest that had it
        SeriesId nextSameHash = kNoSeries;
    };
    static constexpr SeriesId kNoSeries = ~SeriesId{0};

    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    using ValuePostings = std::unordered_map<std::string, std::vector<SeriesId>, StringHash,
                                             std::equal_to<>>;

    SeriesId findOrCreate(const Labels &labels, std::size_t hash, bool *created);
    SeriesId findWithName(const Labels &labelsWithoutName, std::string_view name,
                          std::size_t hash) const;
    SeriesId create(Labels labels, std::size_t hash);
    AppendStatus appendTo(SeriesId id, std::int64_t tMs, double value);
    void sweepIfDue(std::int64_t tMs);
    // Series ids the index allows, plus the matchers the index did not already enforce
    // (those still have to be checked on each candidate).
    std::vector<SeriesId> candidates(const CompiledMatchers &matchers,
                                     std::vector<const CompiledMatcher *> &unchecked) const;

    // Ids of every series whose labels satisfy `matchers`, sorted by labels: what select
    // returns before dropping series without points in range. Memoised per matcher list
    // (rules run the same selectors every interval) until a series is created, since
    // labels never change; the caller holds m_mutex (shared is enough).
    std::vector<SeriesId> matchingSortedIds(const std::vector<LabelMatcher> &matchers,
                                            const CompiledMatchers &compiled) const;
    struct SortedIds {
        std::size_t seriesCount = 0; // m_series.size() when computed
        std::vector<SeriesId> ids;
    };

    SeriesStoreOptions m_options;
    mutable std::mutex m_selectCacheMutex; // readers share m_mutex, so the cache has its own
    mutable std::unordered_map<std::string, SortedIds> m_selectCache;
    mutable std::shared_mutex m_mutex;
    std::vector<Series> m_series;
    std::unordered_map<std::size_t, SeriesId> m_byHash; // head of a chain via nextSameHash
    std::unordered_map<std::string, ValuePostings, StringHash, std::equal_to<>> m_postings;
    std::unordered_map<std::string, std::vector<SeriesId>> m_lastSeenByTarget;
    std::uint64_t m_ingestGeneration = 0;
    std::optional<std::int64_t> m_newest;
    std::int64_t m_lastSweep = INT64_MIN;
};

} // namespace opsdeck::telemetry
