// XorChunk: the compressed chunk encoding (delta-of-delta timestamps, XOR-ed values)
// gives back every point exactly, whatever the timestamps and values, and compresses
// the shapes scrapes produce.
#include "backends/telemetry/xor_chunk.h"

#include <QtTest>

#include <bit>
#include <cfloat>
#include <climits>
#include <cmath>
#include <limits>
#include <random>

using namespace opsdeck::telemetry;

namespace {

std::vector<Point> decodeAll(const XorChunk &chunk)
{
    std::vector<Point> out;
    XorReader r(chunk);
    do
        out.push_back(r.point());
    while (r.next());
    return out;
}

std::uint64_t bitsOf(double v) { return std::bit_cast<std::uint64_t>(v); }
double fromBits(std::uint64_t b) { return std::bit_cast<double>(b); }

// Encodes, decodes and compares timestamps and value bit patterns one by one.
bool roundTrips(const std::vector<Point> &points, QString *why)
{
    const XorChunk chunk = XorChunk::encode(points);
    if (chunk.count() != points.size() || chunk.minT() != points.front().t || chunk.maxT() != points.back().t) {
        *why = QStringLiteral("header: count %1 minT %2 maxT %3").arg(chunk.count()).arg(chunk.minT()).arg(chunk.maxT());
        return false;
    }
    const std::vector<Point> back = decodeAll(chunk);
    if (back.size() != points.size()) {
        *why = QStringLiteral("decoded %1 of %2 points").arg(back.size()).arg(points.size());
        return false;
    }
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (back[i].t != points[i].t || bitsOf(back[i].v) != bitsOf(points[i].v)) {
            *why = QStringLiteral("point %1: got t=%2 bits=%3, wrote t=%4 bits=%5")
                       .arg(i).arg(back[i].t).arg(bitsOf(back[i].v), 16, 16, QLatin1Char('0'))
                       .arg(points[i].t).arg(bitsOf(points[i].v), 16, 16, QLatin1Char('0'));
            return false;
        }
    }
    return true;
}

#define VERIFY_ROUND_TRIP(points)                                                                                     \
    do {                                                                                                              \
        QString why;                                                                                                  \
        QVERIFY2(roundTrips(points, &why), qPrintable(why));                                                          \
    } while (false)

std::vector<Point> regular(std::size_t n, std::int64_t stepMs, double (*value)(std::size_t))
{
    std::vector<Point> out;
    for (std::size_t i = 0; i < n; ++i)
        out.push_back({1'753'000'000'000 + std::int64_t(i) * stepMs, value(i)});
    return out;
}

} // namespace

class TestXorChunk : public QObject {
    Q_OBJECT
private slots:
    void singlePoint()
    {
        VERIFY_ROUND_TRIP((std::vector<Point>{{42, 3.5}}));
        VERIFY_ROUND_TRIP((std::vector<Point>{{INT64_MIN, -0.0}}));
        const XorChunk one = XorChunk::encode(std::vector<Point>{{7, 1}});
        XorReader r(one);
        QCOMPARE(r.remaining(), std::size_t(1));
        QVERIFY(!r.next());
        QCOMPARE(r.t(), std::int64_t(7)); // stays on the last point
    }

    void irregularTimestamps()
    {
        // scrape jitter of a few ms, then intervals that change: every width of the
        // delta-of-delta code (0, 14, 17, 20 and 64 bits), both signs
        std::mt19937_64 rng(11);
        std::vector<Point> points;
        std::int64_t t = 1'000'000;
        const std::int64_t jumps[] = {1, 15'000, 15'003, 14'990, 8'191, -8'192, 60'000, 65'000, 500'000, 1'048'575};
        for (int i = 0; i < 2000; ++i) {
            const std::int64_t step = i % 7 == 0 ? std::abs(jumps[rng() % std::size(jumps)]) + 1
                                                 : 15'000 + std::int64_t(rng() % 21) - 10;
            t += step;
            points.push_back({t, double(i)});
        }
        for (std::size_t start = 0; start + 120 <= points.size(); start += 120)
            VERIFY_ROUND_TRIP(std::vector<Point>(points.begin() + std::ptrdiff_t(start),
                                                 points.begin() + std::ptrdiff_t(start + 120)));
        VERIFY_ROUND_TRIP(std::vector<Point>(points.begin(), points.begin() + 2000)); // one long chunk
    }

    void bigGapsAndExtremeTimestamps()
    {
        // gaps beyond any bucket, negative times, and a delta that overflows int64
        VERIFY_ROUND_TRIP((std::vector<Point>{{INT64_MIN, 1}, {-1, 2}, {0, 3}, {1, 4}, {INT64_MAX, 5}}));
        VERIFY_ROUND_TRIP((std::vector<Point>{{INT64_MIN, 1}, {INT64_MAX, 2}}));
        VERIFY_ROUND_TRIP((std::vector<Point>{{-86'400'000LL * 365 * 100, 1}, {-5, 2}, {1000, 3}, {1001, 4},
                                              {1'000'000'000'000'000, 5}, {1'000'000'000'000'001, 6}}));
        // a year-long outage inside regular 1 s scrapes
        std::vector<Point> points = regular(60, 1000, [](std::size_t i) { return double(i); });
        const std::int64_t resume = points.back().t + 365LL * 86'400'000;
        for (int i = 0; i < 60; ++i)
            points.push_back({resume + i * 1000, double(i)});
        VERIFY_ROUND_TRIP(points);
    }

    void valuesKeepTheirExactBits()
    {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        const std::vector<double> special = {
            0.0, -0.0, 1.0, -1.0, DBL_MAX, -DBL_MAX, DBL_MIN, DBL_TRUE_MIN, -DBL_TRUE_MIN, 1e308, -1e-308,
            9007199254740993.0, -123456789.123456789, inf, -inf, nan, -nan, staleNaN(),
            fromBits(0x7ff0000000000001ull), // signalling NaN, smallest payload
            fromBits(0x7ff8dead0000beefull), // quiet NaN with a payload
            fromBits(0xfff7ffffffffffffull), // negative signalling NaN, largest payload
        };
        std::vector<Point> points;
        for (std::size_t i = 0; i < special.size(); ++i)
            points.push_back({std::int64_t(i) * 1000, special[i]});
        VERIFY_ROUND_TRIP(points);
        // every pair in both orders, and repeats: new windows, reused windows, zero XOR
        std::vector<Point> pairs;
        std::int64_t t = 0;
        for (double a : special)
            for (double b : special)
                for (double v : {a, b, b, a})
                    pairs.push_back({t += 1000, v});
        VERIFY_ROUND_TRIP(pairs);
        const XorChunk chunk = XorChunk::encode(points);
        XorReader r(chunk);
        while (r.t() < std::int64_t(17) * 1000)
            r.next();
        QVERIFY(isStaleNaN(r.v()));
    }

    void randomBitPatterns()
    {
        // values anywhere in the 64-bit space, including every NaN and denormal
        std::mt19937_64 rng(5);
        for (int round = 0; round < 200; ++round) {
            std::vector<Point> points;
            std::int64_t t = std::int64_t(rng());
            const std::size_t n = 1 + rng() % 200;
            for (std::size_t i = 0; i < n && t < INT64_MAX - 2'000'000; ++i) {
                t += 1 + std::int64_t(rng() % (round % 2 ? 1'000'000 : 3));
                const std::uint64_t bits = round % 3 == 0 ? rng() : (rng() & 0xfff0'0000'0000'00ffull);
                points.push_back({t, fromBits(bits)});
            }
            VERIFY_ROUND_TRIP(points);
        }
    }

    void countersCompress()
    {
        // a request counter scraped every second: ~1 bit per timestamp, a short XOR value
        const auto points = regular(120, 1000, [](std::size_t i) { return double(i * 7 + (i * i) % 5); });
        VERIFY_ROUND_TRIP(points);
        const XorChunk chunk = XorChunk::encode(points);
        const double bytesPerPoint = double(chunk.wordCount() * 8) / 120.0;
        QVERIFY2(bytesPerPoint < 3.0, qPrintable(QString::number(bytesPerPoint)));
    }

    void constantSeriesTakeTwoBitsAPoint()
    {
        const auto points = regular(120, 15000, [](std::size_t) { return 1.0; });
        VERIFY_ROUND_TRIP(points);
        // 64 bits for the first value, at most 24 for the first interval, then '0' (same
        // interval) + '0' (same value) a point: 326 bits, 6 words and one of padding
        const XorChunk chunk = XorChunk::encode(points);
        QVERIFY2(chunk.wordCount() <= 7, qPrintable(QString::number(chunk.wordCount())));
        // and an all-NaN (stale) series likewise
        const XorChunk stale = XorChunk::encode(regular(120, 1000, [](std::size_t) { return staleNaN(); }));
        QVERIFY(stale.wordCount() <= 7);
    }

    void noisyGaugesStayUnderRawSize()
    {
        // worst case for XOR: full-precision noise; still below 16 bytes a point
        std::mt19937_64 rng(3);
        std::uniform_real_distribution<double> noise(0.2, 0.9);
        std::vector<Point> points;
        for (int i = 0; i < 120; ++i)
            points.push_back({std::int64_t(i) * 1000, noise(rng)});
        VERIFY_ROUND_TRIP(points);
        const double bytesPerPoint = double(XorChunk::encode(points).wordCount() * 8) / 120.0;
        QVERIFY2(bytesPerPoint < 9.0, qPrintable(QString::number(bytesPerPoint)));
    }

    void readerCopiesResumeWhereTheyWere()
    {
        // the store keeps a reader at a series' oldest visible point and copies it
        const auto points = regular(120, 1000, [](std::size_t i) { return std::sqrt(double(i)); });
        XorChunk chunk = XorChunk::encode(points);
        XorReader r(chunk);
        for (int i = 0; i < 50; ++i)
            QVERIFY(r.next());
        QCOMPARE(r.remaining(), std::size_t(70));
        const XorChunk movedChunk = std::move(chunk); // the handle moves, its words stay in place
        XorReader copy = r;
        for (std::size_t i = 50; i < 120; ++i) {
            QCOMPARE(copy.t(), points[i].t);
            QCOMPARE(bitsOf(copy.v()), bitsOf(points[i].v));
            QCOMPARE(copy.next(), i + 1 < 120);
        }
    }
};

QTEST_APPLESS_MAIN(TestXorChunk)
#include "tst_xor_chunk.moc"
