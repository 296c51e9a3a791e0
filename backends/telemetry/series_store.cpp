#include "series_store.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <iterator>
#include <mutex>

namespace opsdeck::telemetry {

namespace {

// The oldest timestamp retention keeps when the newest is tMs (saturating: any int64
// timestamp is accepted).
std::int64_t retentionStartFor(std::int64_t tMs, std::int64_t retentionMs)
{
    return tMs < INT64_MIN + retentionMs ? INT64_MIN : tMs - retentionMs;
}

bool sameBits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

std::size_t stringBytes(const std::string &s)
{
    // libstdc++ keeps up to 15 chars inside the object (small string optimisation)
    return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

std::vector<std::uint32_t> intersectSorted(const std::vector<std::uint32_t> &a,
                                           const std::vector<std::uint32_t> &b)
{
    std::vector<std::uint32_t> out;
    out.reserve(std::min(a.size(), b.size()));
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

} // namespace

SeriesStore::SeriesStore(SeriesStoreOptions options) : m_options(options)
{
    if (m_options.maxPointsPerSeries == 0)
        m_options.maxPointsPerSeries = 1;
    if (m_options.retentionMs <= 0)
        m_options.retentionMs = 1;
}

SeriesStore::SeriesId SeriesStore::create(Labels labels, std::size_t hash)
{
    const auto id = static_cast<SeriesId>(m_series.size());
    for (const auto &[name, value] : labels.items())
        m_postings[name][value].push_back(id); // ids only grow, so postings stay sorted
    Series s{std::move(labels), SeriesChunks{}, 0, kNoSeries};
    auto [it, inserted] = m_byHash.try_emplace(hash, id);
    if (!inserted) { // hash collision: chain behind the existing head
        s.nextSameHash = it->second;
        it->second = id;
    }
    m_series.push_back(std::move(s));
    return id;
}

SeriesStore::SeriesId SeriesStore::findOrCreate(const Labels &labels, std::size_t hash,
                                                bool *created)
{
    *created = false;
    if (auto it = m_byHash.find(hash); it != m_byHash.end()) {
        for (SeriesId id = it->second; id != kNoSeries; id = m_series[id].nextSameHash)
            if (m_series[id].labels == labels)
                return id;
    }
    *created = true;
    return create(labels, hash);
}

SeriesStore::SeriesId SeriesStore::findWithName(const Labels &labelsWithoutName,
                                                std::string_view name, std::size_t hash) const
{
    if (auto it = m_byHash.find(hash); it != m_byHash.end()) {
        for (SeriesId id = it->second; id != kNoSeries; id = m_series[id].nextSameHash)
            if (labelsWithoutName.equalsWithName(name, m_series[id].labels))
                return id;
    }
    return kNoSeries;
}

AppendStatus SeriesStore::appendTo(SeriesId id, std::int64_t tMs, double value)
{
    SeriesChunks &points = m_series[id].points;
    if (!points.empty()) {
        const Point &last = points.back();
        if (tMs < last.t)
            return AppendStatus::OutOfOrder;
        if (tMs == last.t)
            return sameBits(last.v, value) ? AppendStatus::DuplicateIgnored
                                           : AppendStatus::DuplicateTimestamp;
    }
    points.push(Point{tMs, value});
    if (points.size() > m_options.maxPointsPerSeries)
        points.dropOldest(points.size() - m_options.maxPointsPerSeries);
    const std::int64_t minT = retentionStartFor(tMs, m_options.retentionMs);
    if (points.frontT() < minT)
        points.dropOlderThan(minT);
    if (!m_newest || tMs > *m_newest)
        m_newest = tMs;
    return AppendStatus::Ok;
}

void SeriesStore::sweepIfDue(std::int64_t tMs)
{
    const std::int64_t interval = std::max<std::int64_t>(m_options.retentionMs / 8, 1);
    // tMs - m_lastSweep < interval, without overflowing at the ends of the int64 range
    if (m_lastSweep != INT64_MIN &&
        (tMs < m_lastSweep || std::uint64_t(tMs) - std::uint64_t(m_lastSweep) < std::uint64_t(interval)))
        return;
    m_lastSweep = tMs;
    const std::int64_t minT = retentionStartFor(m_newest ? *m_newest : tMs, m_options.retentionMs);
    for (Series &s : m_series) {
        if (s.points.empty())
            continue;
        s.points.dropOlderThan(minT);
        s.points.releaseSpare();
    }
}

AppendStatus SeriesStore::append(const Labels &labels, std::int64_t tMs, double value)
{
    if (labels.empty())
        return AppendStatus::EmptyLabels;
    std::unique_lock lock(m_mutex);
    bool created = false;
    const SeriesId id = findOrCreate(labels, labels.hash(), &created);
    const AppendStatus status = appendTo(id, tMs, value);
    sweepIfDue(tMs);
    return status;
}

IngestStats SeriesStore::ingest(const Scrape &scrape, std::int64_t tMs, std::string_view target)
{
    IngestStats stats;
    std::unique_lock lock(m_mutex);
    const std::uint64_t generation = ++m_ingestGeneration;
    auto lastIt = m_lastSeenByTarget.find(std::string(target));
    if (lastIt == m_lastSeenByTarget.end())
        lastIt = m_lastSeenByTarget.emplace(std::string(target), std::vector<SeriesId>{}).first;
    std::vector<SeriesId> &lastSeen = lastIt->second;
    std::vector<SeriesId> seen;
    seen.reserve(lastSeen.size());

    for (const MetricFamily &family : scrape) {
        for (const Sample &sample : family.samples) {
            if (sample.name.empty() && sample.labels.empty()) {
                ++stats.rejected;
                continue;
            }
            // A target's scrapes keep their shape from one to the next, so the series
            // at this position last time is the likely match: one comparison instead of
            // hashing and probing the table.
            const std::size_t position = seen.size();
            SeriesId id = kNoSeries;
            if (position < lastSeen.size() &&
                sample.labels.equalsWithName(sample.name, m_series[lastSeen[position]].labels))
                id = lastSeen[position];
            else
                id = findWithName(sample.labels, sample.name, sample.labels.hashWithName(sample.name));
            if (id == kNoSeries) {
                const std::size_t hash = sample.labels.hashWithName(sample.name);
                Labels full = sample.labels;
                full.set("__name__", sample.name);
                id = create(std::move(full), hash);
                ++stats.newSeries;
            }
            const AppendStatus status =
                appendTo(id, sample.timestampMs.value_or(tMs), sample.value);
            if (status == AppendStatus::Ok)
                ++stats.appended;
            else if (status != AppendStatus::DuplicateIgnored)
                ++stats.rejected;
            if (m_series[id].seenInIngest != generation) {
                m_series[id].seenInIngest = generation;
                seen.push_back(id);
            }
        }
    }
    for (SeriesId id : lastSeen) {
        if (m_series[id].seenInIngest == generation)
            continue;
        const SeriesChunks &points = m_series[id].points;
        if (!points.empty() && isStaleNaN(points.back().v))
            continue;
        if (appendTo(id, tMs, staleNaN()) == AppendStatus::Ok)
            ++stats.staleMarked;
    }
    lastSeen = std::move(seen);
    sweepIfDue(tMs);
    return stats;
}

std::size_t SeriesStore::markTargetStale(std::string_view target, std::int64_t tMs)
{
    std::unique_lock lock(m_mutex);
    auto it = m_lastSeenByTarget.find(std::string(target));
    if (it == m_lastSeenByTarget.end())
        return 0;
    std::size_t marked = 0;
    for (SeriesId id : it->second) {
        const SeriesChunks &points = m_series[id].points;
        if (!points.empty() && isStaleNaN(points.back().v))
            continue;
        if (appendTo(id, tMs, staleNaN()) == AppendStatus::Ok)
            ++marked;
    }
    it->second.clear();
    return marked;
}

std::vector<SeriesStore::SeriesId>
SeriesStore::candidates(const CompiledMatchers &matchers,
                        std::vector<const CompiledMatcher *> &unchecked) const
{
    // Narrow with the index using matchers that require their label to be present
    // (equality first: one lookup each). A matcher used this way holds for every id
    // returned; the rest go back to the caller to check series by series.
    unchecked.clear();
    std::vector<const CompiledMatcher *> indexable;
    for (const CompiledMatcher &m : matchers)
        (m.matchesEmpty() ? unchecked : indexable).push_back(&m);
    std::stable_partition(indexable.begin(), indexable.end(), [](const CompiledMatcher *m) {
        return m->spec().op == LabelMatcher::Op::Equal;
    });

    std::optional<std::vector<SeriesId>> result;
    for (std::size_t i = 0; i < indexable.size(); ++i) {
        const CompiledMatcher *m = indexable[i];
        if (result && result->size() <= 64 && m->spec().op != LabelMatcher::Op::Equal) {
            // an equality lookup is cheaper than testing even a few series, but a regex
            // walks all values of its label: with few candidates left, test them directly
            unchecked.insert(unchecked.end(), indexable.begin() + std::ptrdiff_t(i), indexable.end());
            break;
        }
        auto byName = m_postings.find(m->spec().name);
        if (byName == m_postings.end())
            return {};
        std::vector<SeriesId> ids;
        if (m->spec().op == LabelMatcher::Op::Equal) {
            auto byValue = byName->second.find(m->spec().value);
            if (byValue == byName->second.end())
                return {};
            ids = byValue->second;
        } else {
            for (const auto &[value, list] : byName->second)
                if (m->matches(value))
                    ids.insert(ids.end(), list.begin(), list.end());
            std::sort(ids.begin(), ids.end());
        }
        result = result ? intersectSorted(*result, ids) : std::move(ids);
        if (result->empty())
            return {};
    }
    if (result)
        return std::move(*result);
    std::vector<SeriesId> all(m_series.size());
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i] = static_cast<SeriesId>(i);
    return all;
}

namespace {
bool matchesEach(const std::vector<const CompiledMatcher *> &matchers, const Labels &labels)
{
    for (const CompiledMatcher *m : matchers)
        if (!m->matches(labels))
            return false;
    return true;
}
} // namespace

Result<std::vector<SeriesData>> SeriesStore::trySelect(const std::vector<LabelMatcher> &matchers,
                                                       std::int64_t minT, std::int64_t maxT) const
{
    auto compiled = compileMatchers(matchers);
    if (!compiled)
        return Error{compiled.error()};
    std::shared_lock lock(m_mutex);
    const std::vector<SeriesId> matching = matchingSortedIds(matchers, *compiled);
    std::vector<SeriesId> ids;
    ids.reserve(matching.size());
    for (SeriesId id : matching)
        if (m_series[id].points.hasPointIn(minT, maxT))
            ids.push_back(id);
    // Straight into a vector of the final size: no reallocation of a growing vector of
    // 10k+ series (large frees make glibc consolidate its free lists).
    std::vector<SeriesData> out(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const Series &s = m_series[ids[i]];
        s.points.copyRange(minT, maxT, out[i].points);
        out[i].labels = s.labels;
    }
    return out;
}

SeriesBatch SeriesStore::selectBatch(const std::vector<LabelMatcher> &matchers, std::int64_t minT,
                                     std::int64_t maxT) const
{
    SeriesBatch batch;
    auto compiled = compileMatchers(matchers);
    if (!compiled)
        return batch; // a bad regex matches nothing, as in select()
    std::shared_lock lock(m_mutex);
    const std::vector<SeriesId> matching = matchingSortedIds(matchers, *compiled);
    batch.labels.reserve(matching.size());
    batch.pointOffsets.reserve(matching.size() + 1);
    // One buffer sized up front: growing it would copy it and touch fresh pages each time
    std::size_t bound = 0;
    for (SeriesId id : matching)
        bound += m_series[id].points.pointsAtMost(minT, maxT);
    batch.points.reserve(bound);
    for (SeriesId id : matching) {
        const Series &s = m_series[id];
        const std::size_t before = batch.points.size();
        s.points.copyRange(minT, maxT, batch.points);
        if (batch.points.size() == before)
            continue; // no points in range: not selected
        batch.labels.push_back(s.labels); // shares the store's block
        batch.pointOffsets.push_back(batch.points.size());
    }
    return batch;
}

std::vector<SeriesStore::SeriesId> SeriesStore::matchingSortedIds(const std::vector<LabelMatcher> &matchers,
                                                                 const CompiledMatchers &compiled) const
{
    std::string key;
    for (const LabelMatcher &m : matchers) {
        // length-prefixed, so no value can be mistaken for a separator
        key += std::to_string(m.name.size()) + ':' + m.name;
        key += static_cast<char>('0' + static_cast<int>(m.op));
        key += std::to_string(m.value.size()) + ':' + m.value;
    }
    auto byLabels = [this](SeriesId a, SeriesId b) { return m_series[a].labels < m_series[b].labels; };
    std::optional<SortedIds> cached;
    {
        std::lock_guard cacheLock(m_selectCacheMutex);
        auto it = m_selectCache.find(key);
        if (it != m_selectCache.end()) {
            if (it->second.seriesCount == m_series.size())
                return it->second.ids;
            cached = it->second;
        }
    }
    std::vector<SeriesId> ids;
    if (cached) {
        // Only series created since can be new matches (ids grow, labels never change):
        // check those and merge them in, instead of sorting every match again (a single
        // new series per scrape would otherwise re-sort every selection of every rule).
        std::vector<SeriesId> added;
        for (auto id = static_cast<SeriesId>(cached->seriesCount); id < m_series.size(); ++id)
            if (matchesAll(compiled, m_series[id].labels))
                added.push_back(id);
        std::sort(added.begin(), added.end(), byLabels);
        ids.reserve(cached->ids.size() + added.size());
        std::merge(cached->ids.begin(), cached->ids.end(), added.begin(), added.end(), std::back_inserter(ids),
                   byLabels);
    } else {
        std::vector<const CompiledMatcher *> unchecked;
        for (SeriesId id : candidates(compiled, unchecked))
            if (matchesEach(unchecked, m_series[id].labels))
                ids.push_back(id);
        std::sort(ids.begin(), ids.end(), byLabels);
    }
    std::lock_guard cacheLock(m_selectCacheMutex);
    if (m_selectCache.size() >= 4096) // ad-hoc queries must not grow it without bound
        m_selectCache.clear();
    m_selectCache[std::move(key)] = SortedIds{m_series.size(), ids};
    return ids;
}

std::vector<SeriesData> SeriesStore::select(const std::vector<LabelMatcher> &matchers,
                                            std::int64_t minT, std::int64_t maxT) const
{
    auto result = trySelect(matchers, minT, maxT);
    return result ? std::move(*result) : std::vector<SeriesData>{};
}

Result<std::vector<Labels>> SeriesStore::series(const std::vector<LabelMatcher> &matchers) const
{
    auto compiled = compileMatchers(matchers);
    if (!compiled)
        return Error{compiled.error()};
    std::vector<Labels> out;
    std::vector<const CompiledMatcher *> unchecked;
    std::shared_lock lock(m_mutex);
    for (SeriesId id : candidates(*compiled, unchecked)) {
        const Series &s = m_series[id];
        if (!s.points.empty() && matchesEach(unchecked, s.labels))
            out.push_back(s.labels);
    }
    lock.unlock();
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> SeriesStore::labelNames() const
{
    std::shared_lock lock(m_mutex);
    std::vector<std::string> out;
    for (const auto &[name, values] : m_postings)
        out.push_back(name);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> SeriesStore::labelValues(std::string_view name) const
{
    std::shared_lock lock(m_mutex);
    std::vector<std::string> out;
    if (auto it = m_postings.find(name); it != m_postings.end())
        for (const auto &[value, ids] : it->second)
            out.push_back(value);
    std::sort(out.begin(), out.end());
    return out;
}

std::size_t SeriesStore::seriesCount() const
{
    std::shared_lock lock(m_mutex);
    return m_series.size();
}

std::size_t SeriesStore::pointCount() const
{
    std::shared_lock lock(m_mutex);
    std::size_t n = 0;
    for (const Series &s : m_series)
        n += s.points.size();
    return n;
}

std::optional<std::int64_t> SeriesStore::newestTimestamp() const
{
    std::shared_lock lock(m_mutex);
    return m_newest;
}

std::size_t SeriesStore::approxBytes() const
{
    // Estimates for node-based containers: a hash node (next pointer, cached hash, key,
    // value) plus its bucket pointer.
    constexpr std::size_t kMapNodeOverhead = 2 * sizeof(void *) + sizeof(std::size_t);
    std::shared_lock lock(m_mutex);
    std::size_t bytes = sizeof(*this) + m_series.capacity() * sizeof(Series);
    // A label set's shared block: control block, item vector, cached hash and sibling.
    constexpr std::size_t kLabelBlockBytes = 80;
    for (const Series &s : m_series) {
        bytes += s.points.heapBytes();
        bytes += kLabelBlockBytes + s.labels.items().capacity() * sizeof(Label);
        for (const auto &[name, value] : s.labels.items())
            bytes += stringBytes(name) + stringBytes(value);
    }
    bytes += m_byHash.size() * (kMapNodeOverhead + sizeof(std::size_t) + sizeof(SeriesId));
    for (const auto &[name, values] : m_postings) {
        bytes += kMapNodeOverhead + sizeof(std::string) + sizeof(ValuePostings) + stringBytes(name);
        for (const auto &[value, ids] : values)
            bytes += kMapNodeOverhead + sizeof(std::string) + sizeof(std::vector<SeriesId>) +
                     stringBytes(value) + ids.capacity() * sizeof(SeriesId);
    }
    for (const auto &[target, ids] : m_lastSeenByTarget)
        bytes += kMapNodeOverhead + stringBytes(target) + ids.capacity() * sizeof(SeriesId);
    return bytes;
}

} // namespace opsdeck::telemetry
