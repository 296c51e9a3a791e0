#pragma once
// The points of one series, oldest first: sealed compressed chunks (xor_chunk.h) and one
// open head chunk that takes appends.
//
// The head holds up to kChunkPoints plain points; when full it is encoded into a sealed
// chunk. Keeping it plain costs at most 1.9 KB per series, and buys what reads need most:
// rules and live panels ask for the last few minutes, which then mostly lie in the head
// and are copied, not decoded.
//
// Dropping old points (retention by age, the cap by count) frees whole sealed chunks.
// The oldest chunk may be partly outdated: `m_front`, a decoder positioned at its oldest
// point still visible, hides the ones before it, so reads, counts and hasPointIn never see
// them. Moving it forward by one point is one decoding step, so both limits stay exact at
// O(1) per append.
//
// Not thread-safe by itself: the store's lock guards it (const methods only read).
#include "series_source.h"
#include "xor_chunk.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace opsdeck::telemetry {

class SeriesChunks {
public:
    static constexpr std::size_t kChunkPoints = 120; // as Prometheus's head chunks

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    const Point &back() const { return m_last; }    // newest point; only when !empty()
    std::int64_t frontT() const                      // oldest visible t; only when !empty()
    {
        return m_sealed.empty() ? m_head[m_headSkip].t : m_front.t();
    }

    // Appends a point newer than back() (the store checks the order).
    void push(Point p);
    // Hides points with t < minT, freeing the chunks that hold only such points.
    void dropOlderThan(std::int64_t minT);
    // Hides the n oldest points (at most size()).
    void dropOldest(std::size_t n);
    // Gives back memory after drops: everything once empty, spare chunk slots otherwise.
    void releaseSpare();
    void clear();

    // Whether any point has minT <= t <= maxT (what copyRange would append).
    bool hasPointIn(std::int64_t minT, std::int64_t maxT) const;
    // Appends the points with minT <= t <= maxT to `out`, decoding only the chunks whose
    // [minT, maxT] overlaps the range.
    void copyRange(std::int64_t minT, std::int64_t maxT, std::vector<Point> &out) const;
    // At least as many as copyRange appends (whole chunks, the whole head), cheaply: lets
    // a caller size one buffer for many series instead of growing it.
    std::size_t pointsAtMost(std::int64_t minT, std::int64_t maxT) const;

    // Heap bytes held, as the allocator counts them (rounding and per-block overhead).
    std::size_t heapBytes() const;
    std::size_t sealedChunkCount() const { return m_sealed.size(); }
    std::size_t headCapacity() const { return m_head.capacity(); }

private:
    void seal();
    void dropFrontChunk();
    // The first sealed chunk that may hold a point >= minT.
    std::vector<XorChunk>::const_iterator firstChunkFrom(std::int64_t minT) const;
    // A decoder at the first visible point of the given sealed chunk.
    XorReader readerAt(std::vector<XorChunk>::const_iterator chunk) const
    {
        return chunk == m_sealed.begin() ? m_front : XorReader(*chunk);
    }

    std::vector<XorChunk> m_sealed; // oldest first, all older than the head's points
    XorReader m_front;              // at the oldest visible point of m_sealed.front()
    std::vector<Point> m_head;
    std::uint32_t m_headSkip = 0; // hidden points at the start of m_head (only with no sealed chunk)
    std::size_t m_size = 0;       // visible points
    Point m_last;
};

} // namespace opsdeck::telemetry
