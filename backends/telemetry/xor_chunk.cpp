#include "xor_chunk.h"

#include <algorithm>
#include <cassert>

namespace opsdeck::telemetry {

namespace {

// Whether a delta-of-delta fits n bits as a two's complement number.
bool fitsSigned(std::int64_t value, unsigned n)
{
    const std::int64_t half = std::int64_t{1} << (n - 1);
    return value >= -half && value < half;
}

void writeTimestampDelta(BitWriter &out, std::uint64_t deltaOfDelta)
{
    const auto dod = static_cast<std::int64_t>(deltaOfDelta);
    if (dod == 0) {
        out.write(0b0, 1);
    } else if (fitsSigned(dod, 14)) {
        out.write(0b10, 2);
        out.write(deltaOfDelta, 14);
    } else if (fitsSigned(dod, 17)) {
        out.write(0b110, 3);
        out.write(deltaOfDelta, 17);
    } else if (fitsSigned(dod, 20)) {
        out.write(0b1110, 4);
        out.write(deltaOfDelta, 20);
    } else {
        out.write(0b1111, 4);
        out.write(deltaOfDelta, 64);
    }
}

// The leading/trailing-zero window of the last value written with its own window.
struct ValueWindow {
    bool valid = false;
    unsigned leading = 0;
    unsigned trailing = 0;
};

void writeValueXor(BitWriter &out, std::uint64_t xorBits, ValueWindow &window)
{
    if (xorBits == 0) {
        out.write(0b0, 1);
        return;
    }
    // 5 bits hold at most 31 leading zeros; more are sent as meaningful bits
    const unsigned leading = std::min(static_cast<unsigned>(std::countl_zero(xorBits)), 31u);
    const unsigned trailing = static_cast<unsigned>(std::countr_zero(xorBits));
    if (window.valid && leading >= window.leading && trailing >= window.trailing) {
        out.write(0b10, 2);
        out.write(xorBits >> window.trailing, 64 - window.leading - window.trailing);
        return;
    }
    window = {true, leading, trailing};
    const unsigned length = 64 - leading - trailing; // 1..64; 64 is sent as 0
    out.write(0b11, 2);
    out.write(leading, 5);
    out.write(length & 63, 6);
    out.write(xorBits >> trailing, length);
}

} // namespace

XorChunk XorChunk::encode(std::span<const Point> points)
{
    assert(!points.empty() && points.size() <= kMaxPoints);
    BitWriter out;
    out.reserveBits(64 + points.size() * 24); // typical; the writer grows past it if needed
    std::uint64_t previousBits = std::bit_cast<std::uint64_t>(points[0].v);
    out.write(previousBits, 64);
    auto previousT = static_cast<std::uint64_t>(points[0].t);
    std::uint64_t previousDelta = 0;
    ValueWindow window;
    for (std::size_t i = 1; i < points.size(); ++i) {
        const auto t = static_cast<std::uint64_t>(points[i].t);
        const std::uint64_t delta = t - previousT;
        writeTimestampDelta(out, delta - previousDelta);
        previousT = t;
        previousDelta = delta;
        const auto bits = std::bit_cast<std::uint64_t>(points[i].v);
        writeValueXor(out, bits ^ previousBits, window);
        previousBits = bits;
    }

    XorChunk chunk;
    // one zero word after the data: peekBits reads a word ahead
    chunk.m_wordCount = static_cast<std::uint32_t>(out.words().size() + 1);
    chunk.m_words = std::make_unique_for_overwrite<std::uint64_t[]>(chunk.m_wordCount);
    std::copy(out.words().begin(), out.words().end(), chunk.m_words.get());
    chunk.m_words[chunk.m_wordCount - 1] = 0;
    chunk.m_minT = points.front().t;
    chunk.m_maxT = points.back().t;
    chunk.m_count = static_cast<std::uint16_t>(points.size());
    return chunk;
}

} // namespace opsdeck::telemetry
