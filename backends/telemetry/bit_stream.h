#pragma once
// Bits packed into 64-bit words, most significant bit first: the storage of the store's
// compressed chunks (xor_chunk.h). Words rather than bytes, so a read of up to 64 bits is
// two loads and two shifts whatever its alignment.
#include <cstdint>
#include <vector>

namespace opsdeck::telemetry {

class BitWriter {
public:
    void reserveBits(std::size_t bits) { m_words.reserve((bits + 63) / 64 + 1); }

    // Appends the low n bits of `bits`, n in [1, 64].
    void write(std::uint64_t bits, unsigned n)
    {
        if (n < 64)
            bits &= (std::uint64_t{1} << n) - 1;
        const unsigned used = static_cast<unsigned>(m_bitCount & 63);
        if (used == 0)
            m_words.push_back(0);
        const unsigned room = 64 - used;
        if (n <= room) {
            m_words.back() |= bits << (room - n);
        } else {
            m_words.back() |= bits >> (n - room);
            m_words.push_back(bits << (64 - (n - room)));
        }
        m_bitCount += n;
    }

    std::size_t bitCount() const { return m_bitCount; }
    const std::vector<std::uint64_t> &words() const { return m_words; }

private:
    std::vector<std::uint64_t> m_words;
    std::size_t m_bitCount = 0;
};

// The 64 bits starting at bit `pos`, the first in the most significant place. Reads the
// word after the one holding `pos`, so storage keeps one word of padding after the last
// written bit; no bounds check: callers know from their own counts where the data ends.
inline std::uint64_t peekBits(const std::uint64_t *words, std::uint64_t pos)
{
    const std::uint64_t i = pos >> 6;
    const unsigned offset = static_cast<unsigned>(pos & 63);
    // (x >> 1) >> (63 - offset) is x >> (64 - offset), and 0 when offset is 0
    return (words[i] << offset) | ((words[i + 1] >> 1) >> (63 - offset));
}

} // namespace opsdeck::telemetry
