#pragma once
// A sealed, immutable run of one series' points, compressed as Prometheus's TSDB does
// (its XOR chunk, after Gorilla: Pelkonen et al., "Gorilla: A Fast, Scalable, In-Memory
// Time Series Database", VLDB 2015):
//
// - timestamps as delta-of-delta in a variable-width code: '0' when the interval did not
//   change (regular scrapes: one bit a point), else '10' + 14 bits, '110' + 17 bits,
//   '1110' + 20 bits or '1111' + 64 bits (any gap, arithmetic modulo 2^64);
// - values as the XOR of their bit pattern with the previous one: '0' for the same value,
//   '10' + the meaningful bits when they fit the previous leading/trailing-zero window,
//   '11' + 5 bits of leading zeros + 6 bits of length + the bits otherwise.
//
// Bit patterns go through untouched, so every double comes back exactly: NaN payloads
// (the staleness marker), -0.0 and infinities included. The first point's timestamp
// is kept in the handle (it is minT), its value as 64 raw bits at the start of the stream.
#include "bit_stream.h"
#include "series_source.h"

#include <bit>
#include <cstdint>
#include <memory>
#include <span>

namespace opsdeck::telemetry {

class XorChunk {
public:
    static constexpr std::size_t kMaxPoints = 65535;

    XorChunk() = default;
    // `points`: 1..kMaxPoints points in strictly ascending t.
    static XorChunk encode(std::span<const Point> points);

    std::int64_t minT() const { return m_minT; }
    std::int64_t maxT() const { return m_maxT; }
    std::size_t count() const { return m_count; }
    const std::uint64_t *words() const { return m_words.get(); }
    std::size_t wordCount() const { return m_wordCount; } // including one word of padding

private:
    std::unique_ptr<std::uint64_t[]> m_words;
    std::int64_t m_minT = 0;
    std::int64_t m_maxT = 0;
    std::uint32_t m_wordCount = 0;
    std::uint16_t m_count = 0;
};

// Decodes a chunk front to back. Small and copyable: a series keeps one positioned at
// its oldest visible point, and readers copy it to start there. It points into the
// chunk's words, which do not move when the XorChunk handle itself is moved.
class XorReader {
public:
    XorReader() = default;
    explicit XorReader(const XorChunk &chunk)
        : m_words(chunk.words()), m_t(chunk.minT()), m_valueBits(peekBits(chunk.words(), 0)), m_bitPos(64),
          m_count(static_cast<std::uint16_t>(chunk.count()))
    {
    }

    // The current point (the first one after construction).
    std::int64_t t() const { return m_t; }
    double v() const { return std::bit_cast<double>(m_valueBits); }
    Point point() const { return Point{m_t, v()}; }
    // Points from the current one to the end of the chunk, the current one included.
    std::size_t remaining() const { return std::size_t{m_count} - m_index; }

    // Moves to the next point; false (and stays) at the last one. Inlined: reads decode
    // every point they return with it.
    [[gnu::always_inline]] bool next()
    {
        if (m_index + 1 >= m_count)
            return false;
        std::uint64_t pos = m_bitPos;
        // timestamp: '0' | '10' + 14 | '110' + 17 | '1110' + 20 | '1111' + 64 bits
        std::uint64_t bits = peekBits(m_words, pos);
        std::uint64_t dod = 0;
        if (!(bits >> 63)) {
            pos += 1;
        } else if (!((bits >> 62) & 1)) {
            dod = signExtended(bits << 2, 14);
            pos += 16;
        } else if (!((bits >> 61) & 1)) {
            dod = signExtended(bits << 3, 17);
            pos += 20;
        } else if (!((bits >> 60) & 1)) {
            dod = signExtended(bits << 4, 20);
            pos += 24;
        } else {
            dod = peekBits(m_words, pos + 4);
            pos += 68;
        }
        m_delta += dod;
        m_t = static_cast<std::int64_t>(static_cast<std::uint64_t>(m_t) + m_delta);
        // value: '0' | '10' + bits in the last window | '11' + 5 + 6 + bits in a new one
        bits = peekBits(m_words, pos);
        if (!(bits >> 63)) {
            pos += 1;
        } else {
            if ((bits >> 62) & 1) {
                m_leading = static_cast<std::uint8_t>((bits >> 57) & 31);
                unsigned length = static_cast<unsigned>((bits >> 51) & 63);
                if (length == 0)
                    length = 64;
                m_trailing = static_cast<std::uint8_t>(64 - m_leading - length);
                pos += 13;
            } else {
                pos += 2;
            }
            const unsigned length = 64u - m_leading - m_trailing;
            m_valueBits ^= (peekBits(m_words, pos) >> (64 - length)) << m_trailing;
            pos += length;
        }
        m_bitPos = static_cast<std::uint32_t>(pos);
        ++m_index;
        return true;
    }

private:
    // The top n bits of `bits` as a two's complement number, sign-extended to 64 bits.
    static std::uint64_t signExtended(std::uint64_t bits, unsigned n)
    {
        return static_cast<std::uint64_t>(static_cast<std::int64_t>(bits) >> (64 - n));
    }

    const std::uint64_t *m_words = nullptr;
    std::int64_t m_t = 0;
    std::uint64_t m_delta = 0; // t - previous t, modulo 2^64
    std::uint64_t m_valueBits = 0;
    std::uint32_t m_bitPos = 0;
    std::uint16_t m_index = 0;
    std::uint16_t m_count = 0;
    std::uint8_t m_leading = 0;
    std::uint8_t m_trailing = 0;
};

} // namespace opsdeck::telemetry
