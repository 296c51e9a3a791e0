#pragma once
// The points of one series, oldest first, in a ring that grows on demand up to a fixed
// maximum and then overwrites its oldest point. Starting small matters: a 6 h run creates
// thousands of series, many short-lived, and a full 24 h ring at 1 s is 1.4 MB each.
#include "series_source.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace opsdeck::telemetry {

class PointRing {
public:
    // retentionMs (when > 0) lets growth stop at what the retention window needs at the
    // observed sample interval, instead of doubling past it.
    explicit PointRing(std::size_t maxPoints = 1, std::int64_t retentionMs = 0)
        : m_max(maxPoints ? maxPoints : 1), m_retentionMs(retentionMs)
    {
    }

    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    std::size_t capacity() const { return m_buf.size(); }
    const Point &at(std::size_t i) const { return m_buf[physical(i)]; } // 0 = oldest
    const Point &back() const { return at(m_size - 1); }

    void push(Point p)
    {
        if (m_size == m_buf.size() && m_buf.size() < m_max)
            grow();
        if (m_size == m_buf.size()) { // full at the maximum: overwrite the oldest
            m_buf[m_head] = p;
            m_head = (m_head + 1) % m_buf.size();
            return;
        }
        m_buf[physical(m_size)] = p;
        ++m_size;
    }

    // Drops points with t < minT; frees the buffer once nothing is left.
    void dropOlderThan(std::int64_t minT)
    {
        const std::size_t n = lowerBound(minT);
        if (n == m_size) {
            clear();
            return;
        }
        m_head = (m_head + n) % m_buf.size();
        m_size -= n;
    }

    // Gives back memory after old points were dropped (keeps room to double once more).
    void shrinkToFit()
    {
        if (m_buf.size() <= 8 || m_size * 4 > m_buf.size())
            return;
        std::size_t cap = 8;
        while (cap < m_size * 2)
            cap *= 2;
        reallocate(std::min(cap, m_max));
    }

    void clear()
    {
        m_buf = {};
        m_head = m_size = 0;
    }

    // Index of the first point with t >= t0 (size() if none).
    std::size_t lowerBound(std::int64_t t0) const
    {
        std::size_t lo = 0, hi = m_size;
        while (lo < hi) {
            const std::size_t mid = lo + (hi - lo) / 2;
            if (at(mid).t < t0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }

    // Whether any point has minT <= t <= maxT (what copyRange would append).
    bool hasPointIn(std::int64_t minT, std::int64_t maxT) const
    {
        const std::size_t i = lowerBound(minT);
        return i < m_size && at(i).t <= maxT;
    }

    // Appends the points with minT <= t <= maxT to `out`.
    void copyRange(std::int64_t minT, std::int64_t maxT, std::vector<Point> &out) const
    {
        std::size_t i = lowerBound(minT);
        const std::size_t end = maxT == INT64_MAX ? m_size : lowerBound(maxT + 1);
        if (i >= end)
            return;
        // geometric growth: callers append many series' ranges to one buffer
        if (out.capacity() < out.size() + (end - i))
            out.reserve(std::max(out.size() + (end - i), 2 * out.capacity()));
        // at most two contiguous runs in the underlying buffer
        while (i < end) {
            const std::size_t p = physical(i);
            const std::size_t run = std::min(end - i, m_buf.size() - p);
            out.insert(out.end(), m_buf.begin() + static_cast<std::ptrdiff_t>(p),
                       m_buf.begin() + static_cast<std::ptrdiff_t>(p + run));
            i += run;
        }
    }

private:
    std::size_t physical(std::size_t i) const
    {
        const std::size_t p = m_head + i;
        return p < m_buf.size() ? p : p - m_buf.size();
    }

    void grow()
    {
        std::size_t cap = std::min(m_max, m_buf.empty() ? std::size_t{8} : m_buf.size() * 2);
        if (m_retentionMs > 0 && m_size >= 64) {
            const std::int64_t span = back().t - at(0).t;
            if (span > 0) {
                // points the window holds at the mean interval so far, plus 1/16 slack
                // for jitter; if the rate rises later, the ring simply grows again
                const double perMs = double(m_size - 1) / double(span);
                const auto needed = static_cast<std::size_t>(perMs * double(m_retentionMs) * 1.0625) + 2;
                cap = std::max(m_size + 1, std::min(cap, needed));
            }
        }
        reallocate(cap);
    }

    void reallocate(std::size_t newCap)
    {
        std::vector<Point> next(newCap);
        for (std::size_t i = 0; i < m_size; ++i)
            next[i] = at(i);
        m_buf = std::move(next);
        m_head = 0;
    }

    std::vector<Point> m_buf;
    std::size_t m_head = 0;
    std::size_t m_size = 0;
    std::size_t m_max;
    std::int64_t m_retentionMs = 0;
};

} // namespace opsdeck::telemetry
