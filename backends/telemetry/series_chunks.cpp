#include "series_chunks.h"

#include <algorithm>

namespace opsdeck::telemetry {

namespace {

// What glibc's malloc takes for a block of n bytes: an 8-byte header, rounded up to 16,
// at least 32. approxBytes() is compared with RSS, and chunks are small blocks.
std::size_t allocatedBytes(std::size_t n)
{
    return n == 0 ? 0 : std::max<std::size_t>(32, (n + 8 + 15) & ~std::size_t{15});
}

bool pointBefore(const Point &p, std::int64_t t) { return p.t < t; }
bool timeBefore(std::int64_t t, const Point &p) { return t < p.t; }

} // namespace

void SeriesChunks::push(Point p)
{
    if (m_head.size() == m_head.capacity()) // grow by doubling, but stop at one chunk
        m_head.reserve(std::min(kChunkPoints, std::max<std::size_t>(8, 2 * m_head.capacity())));
    m_head.push_back(p);
    m_last = p;
    ++m_size;
    if (m_head.size() == kChunkPoints)
        seal();
}

void SeriesChunks::seal()
{
    const std::span<const Point> visible(m_head.data() + m_headSkip, m_head.size() - m_headSkip);
    m_sealed.push_back(XorChunk::encode(visible));
    if (m_sealed.size() == 1)
        m_front = XorReader(m_sealed.front());
    m_head.clear(); // keeps its capacity: the next chunk fills it again
    m_headSkip = 0;
}

void SeriesChunks::dropFrontChunk()
{
    m_size -= m_front.remaining();
    m_sealed.erase(m_sealed.begin());
    if (!m_sealed.empty())
        m_front = XorReader(m_sealed.front());
}

void SeriesChunks::dropOlderThan(std::int64_t minT)
{
    while (!m_sealed.empty()) {
        if (m_sealed.front().maxT() < minT) {
            dropFrontChunk();
            continue;
        }
        // the chunk's last point is >= minT, so this stops inside it
        while (m_front.t() < minT && m_front.next())
            --m_size;
        return;
    }
    const auto begin = m_head.begin() + m_headSkip;
    const auto kept = std::lower_bound(begin, m_head.end(), minT, pointBefore);
    const auto dropped = static_cast<std::size_t>(kept - begin);
    m_headSkip += static_cast<std::uint32_t>(dropped);
    m_size -= dropped;
    if (m_size == 0)
        clear();
}

void SeriesChunks::dropOldest(std::size_t n)
{
    n = std::min(n, m_size);
    while (n > 0 && !m_sealed.empty()) {
        const std::size_t inFront = m_front.remaining();
        if (n >= inFront) {
            n -= inFront;
            dropFrontChunk();
            continue;
        }
        for (; n > 0; --n) {
            m_front.next();
            --m_size;
        }
    }
    m_headSkip += static_cast<std::uint32_t>(n);
    m_size -= n;
    if (m_size == 0)
        clear();
}

void SeriesChunks::releaseSpare()
{
    if (m_size == 0) {
        clear();
        return;
    }
    if (m_sealed.capacity() > 2 * m_sealed.size() + 8)
        m_sealed.shrink_to_fit();
}

void SeriesChunks::clear()
{
    std::vector<XorChunk>().swap(m_sealed); // frees the blocks, unlike clear()
    m_front = XorReader();
    std::vector<Point>().swap(m_head);
    m_headSkip = 0;
    m_size = 0;
}

std::vector<XorChunk>::const_iterator SeriesChunks::firstChunkFrom(std::int64_t minT) const
{
    return std::partition_point(m_sealed.begin(), m_sealed.end(),
                                [minT](const XorChunk &c) { return c.maxT() < minT; });
}

bool SeriesChunks::hasPointIn(std::int64_t minT, std::int64_t maxT) const
{
    if (m_size == 0 || minT > maxT)
        return false;
    if (const auto chunk = firstChunkFrom(minT); chunk != m_sealed.end()) {
        XorReader r = readerAt(chunk);
        if (r.t() >= minT)
            return r.t() <= maxT;
        if (chunk->maxT() <= maxT) // some point in [minT, chunk maxT], inside the range
            return true;
        while (r.t() < minT && r.next()) {
        }
        return r.t() <= maxT; // r.t() >= minT: the chunk's last point is
    }
    const auto from = std::lower_bound(m_head.begin() + m_headSkip, m_head.end(), minT, pointBefore);
    return from != m_head.end() && from->t <= maxT;
}

std::size_t SeriesChunks::pointsAtMost(std::int64_t minT, std::int64_t maxT) const
{
    if (m_size == 0 || minT > maxT)
        return 0;
    std::size_t bound = 0;
    for (auto chunk = firstChunkFrom(minT); chunk != m_sealed.end() && chunk->minT() <= maxT; ++chunk)
        bound += chunk->count();
    if (m_head.size() > m_headSkip && m_head.back().t >= minT && m_head[m_headSkip].t <= maxT)
        bound += m_head.size() - m_headSkip;
    return bound;
}

void SeriesChunks::copyRange(std::int64_t minT, std::int64_t maxT, std::vector<Point> &out) const
{
    if (m_size == 0 || minT > maxT)
        return;
    const auto firstChunk = firstChunkFrom(minT);
    auto endChunk = firstChunk;
    std::size_t bound = 0; // at most this many points to append
    for (; endChunk != m_sealed.end() && endChunk->minT() <= maxT; ++endChunk)
        bound += endChunk->count();
    const auto headFrom = std::lower_bound(m_head.begin() + m_headSkip, m_head.end(), minT, pointBefore);
    const auto headTo = maxT == INT64_MAX ? m_head.end() : std::upper_bound(headFrom, m_head.end(), maxT, timeBefore);
    bound += static_cast<std::size_t>(headTo - headFrom);
    if (bound == 0)
        return;
    // geometric growth: callers append many series' ranges to one buffer
    if (out.capacity() < out.size() + bound)
        out.reserve(std::max(out.size() + bound, 2 * out.capacity()));

    for (auto chunk = firstChunk; chunk != endChunk; ++chunk) {
        XorReader r = readerAt(chunk);
        if (r.t() >= minT && chunk->maxT() <= maxT) { // the whole (visible) chunk
            do
                out.push_back(r.point());
            while (r.next());
            continue;
        }
        while (r.t() < minT && r.next()) {
        }
        while (r.t() >= minT && r.t() <= maxT) {
            out.push_back(r.point());
            if (!r.next())
                break;
        }
    }
    out.insert(out.end(), headFrom, headTo);
}

std::size_t SeriesChunks::heapBytes() const
{
    std::size_t bytes = allocatedBytes(m_sealed.capacity() * sizeof(XorChunk)) +
                        allocatedBytes(m_head.capacity() * sizeof(Point));
    for (const XorChunk &chunk : m_sealed)
        bytes += allocatedBytes(chunk.wordCount() * sizeof(std::uint64_t));
    return bytes;
}

} // namespace opsdeck::telemetry
