#pragma once
// The simulator's own random numbers. std:: distributions differ between standard
// libraries, so byte-identical runs need generators and samplers we own: xoshiro256**
// seeded through splitmix64, Box-Muller normals and Knuth / normal-approximation Poisson.
#include <cmath>
#include <cstdint>
#include <string>

namespace opsdeck::sim {

inline std::uint64_t splitmix64(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

class Rng {
public:
    explicit Rng(std::uint64_t seed = 1)
    {
        for (auto &w : m_s)
            w = splitmix64(seed);
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    // [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    std::uint64_t below(std::uint64_t n) { return n ? next() % n : 0; }

    double normal()
    {
        // Box-Muller; the second value is dropped so the stream never depends on parity.
        double u1 = uniform();
        if (u1 < 1e-300)
            u1 = 1e-300;
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

    // Poisson count: exact (Knuth) for small means, rounded normal above 30.
    std::int64_t poisson(double mean)
    {
        if (!(mean > 0))
            return 0;
        if (mean > 30) {
            const double x = std::floor(mean + std::sqrt(mean) * normal() + 0.5);
            return x < 0 ? 0 : static_cast<std::int64_t>(x);
        }
        const double limit = std::exp(-mean);
        double p = 1;
        std::int64_t k = -1;
        do {
            ++k;
            p *= uniform();
        } while (p > limit);
        return k;
    }

    // Binomial(n, p) via Poisson / normal approximations: good enough for error counts.
    std::int64_t binomial(std::int64_t n, double p)
    {
        if (n <= 0 || p <= 0)
            return 0;
        if (p >= 1)
            return n;
        const double mean = n * p;
        std::int64_t k;
        if (mean < 30 || n * (1 - p) < 30) {
            k = (p < 0.5) ? poisson(mean) : n - poisson(n * (1 - p));
        } else {
            const double x = std::floor(mean + std::sqrt(mean * (1 - p)) * normal() + 0.5);
            k = static_cast<std::int64_t>(x);
        }
        return k < 0 ? 0 : (k > n ? n : k);
    }

    // Kubernetes' random suffix alphabet (no vowels, no look-alikes).
    std::string kubeSuffix(int length)
    {
        static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
        std::string out;
        for (int i = 0; i < length; ++i)
            out += kAlphabet[below(sizeof(kAlphabet) - 1)];
        return out;
    }

    // RFC 4122 version-4 shaped UUID.
    std::string uuid()
    {
        static constexpr char kHex[] = "0123456789abcdef";
        const std::uint64_t a = next(), b = next();
        std::string out;
        for (int i = 0; i < 32; ++i) {
            std::uint64_t w = i < 16 ? a : b;
            int nibble = static_cast<int>((w >> ((i % 16) * 4)) & 0xf);
            if (i == 12)
                nibble = 4;
            if (i == 16)
                nibble = 8 | (nibble & 3);
            if (i == 8 || i == 12 || i == 16 || i == 20)
                out += '-';
            out += kHex[nibble];
        }
        return out;
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t m_s[4]{};
};

} // namespace opsdeck::sim
