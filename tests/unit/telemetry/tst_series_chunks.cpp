// SeriesChunks: a series' points in sealed compressed chunks plus an open head. Checked
// at chunk boundaries (retention and the count cap), for copyRange/hasPointIn bounds, and
// against a plain vector under random appends, drops and reads.
#include "backends/telemetry/series_chunks.h"

#include <QtTest>

#include <algorithm>
#include <bit>
#include <climits>
#include <random>

using namespace opsdeck::telemetry;

namespace {

constexpr std::int64_t kChunk = std::int64_t(SeriesChunks::kChunkPoints);

std::vector<Point> everything(const SeriesChunks &s)
{
    std::vector<Point> out;
    s.copyRange(INT64_MIN, INT64_MAX, out);
    return out;
}

std::vector<std::int64_t> timesIn(const SeriesChunks &s, std::int64_t minT, std::int64_t maxT)
{
    std::vector<Point> points;
    s.copyRange(minT, maxT, points);
    std::vector<std::int64_t> out;
    for (const Point &p : points)
        out.push_back(p.t);
    return out;
}

std::vector<std::int64_t> span(std::int64_t from, std::int64_t to, std::int64_t step = 1000)
{
    std::vector<std::int64_t> out;
    for (std::int64_t t = from; t <= to; t += step)
        out.push_back(t);
    return out;
}

// Points at t = i * 1000 with value i, i in [0, n).
SeriesChunks filled(std::int64_t n)
{
    SeriesChunks s;
    for (std::int64_t i = 0; i < n; ++i)
        s.push({i * 1000, double(i)});
    return s;
}

// The same semantics over a plain vector.
struct Reference {
    std::vector<Point> points;
    void dropOlderThan(std::int64_t minT)
    {
        points.erase(points.begin(), std::lower_bound(points.begin(), points.end(), minT,
                                                      [](const Point &p, std::int64_t t) { return p.t < t; }));
    }
    void dropOldest(std::size_t n) { points.erase(points.begin(), points.begin() + std::ptrdiff_t(std::min(n, points.size()))); }
    std::vector<Point> range(std::int64_t minT, std::int64_t maxT) const
    {
        std::vector<Point> out;
        for (const Point &p : points)
            if (p.t >= minT && p.t <= maxT)
                out.push_back(p);
        return out;
    }
};

bool samePoints(const std::vector<Point> &a, const std::vector<Point> &b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Point &x, const Point &y) {
        return x.t == y.t && std::bit_cast<std::uint64_t>(x.v) == std::bit_cast<std::uint64_t>(y.v);
    });
}

} // namespace

class TestSeriesChunks : public QObject {
    Q_OBJECT
private slots:
    void sealsEveryChunkOfPoints()
    {
        SeriesChunks s = filled(3 * kChunk + 5);
        QCOMPARE(s.sealedChunkCount(), std::size_t(3));
        QCOMPARE(s.size(), std::size_t(3 * kChunk + 5));
        QCOMPARE(s.frontT(), std::int64_t(0));
        QCOMPARE(s.back().t, (3 * kChunk + 4) * 1000);
        const std::vector<Point> all = everything(s);
        QCOMPARE(all.size(), s.size());
        for (std::size_t i = 0; i < all.size(); ++i)
            QVERIFY(all[i].t == std::int64_t(i) * 1000 && all[i].v == double(i));
        // the head is plain and at most one chunk long
        QVERIFY(s.headCapacity() <= SeriesChunks::kChunkPoints);
    }

    void retentionAtChunkBoundaries()
    {
        // chunks hold t in [0, 119 s], [120 s, 239 s], [240 s, 359 s]; head from 360 s
        SeriesChunks s = filled(3 * kChunk + 10);
        s.dropOlderThan(0);
        QCOMPARE(s.size(), std::size_t(3 * kChunk + 10));
        s.dropOlderThan(119'000); // all but the first chunk's last point
        QCOMPARE(s.sealedChunkCount(), std::size_t(3));
        QCOMPARE(s.size(), std::size_t(2 * kChunk + 11));
        QCOMPARE(s.frontT(), std::int64_t(119'000));
        QCOMPARE(timesIn(s, 0, 121'000), span(119'000, 121'000));
        s.dropOlderThan(119'001); // the first chunk is gone, the second untouched
        QCOMPARE(s.sealedChunkCount(), std::size_t(2));
        QCOMPARE(s.size(), std::size_t(2 * kChunk + 10));
        QCOMPARE(timesIn(s, INT64_MIN, 120'000), span(120'000, 120'000));
        s.dropOlderThan(120'001); // a partial chunk at the edge: its first point hidden
        QCOMPARE(s.sealedChunkCount(), std::size_t(2));
        QCOMPARE(s.size(), std::size_t(2 * kChunk + 9));
        QCOMPARE(timesIn(s, 0, 125'000), span(121'000, 125'000));
        QVERIFY(!s.hasPointIn(0, 120'999));
        QVERIFY(s.hasPointIn(0, 121'000));
        s.dropOlderThan(359'500); // everything sealed, into the head
        QCOMPARE(s.sealedChunkCount(), std::size_t(0));
        QCOMPARE(s.size(), std::size_t(10));
        QCOMPARE(s.frontT(), std::int64_t(360'000));
        s.dropOlderThan(362'000); // inside the head
        QCOMPARE(timesIn(s, INT64_MIN, INT64_MAX), span(362'000, 369'000));
        // the head seals with only its visible points
        for (std::int64_t i = 3 * kChunk + 10; i < 4 * kChunk; ++i)
            s.push({i * 1000, double(i)});
        QCOMPARE(s.sealedChunkCount(), std::size_t(1));
        QCOMPARE(timesIn(s, INT64_MIN, INT64_MAX), span(362'000, (4 * kChunk - 1) * 1000));
        s.dropOlderThan(INT64_MAX);
        QVERIFY(s.empty());
        QCOMPARE(s.heapBytes(), std::size_t(0)); // all freed
        QVERIFY(everything(s).empty());
    }

    void countCapDropsOldestAcrossChunks()
    {
        SeriesChunks s = filled(2 * kChunk + 7);
        s.dropOldest(kChunk - 1); // all but the first chunk's last point
        QCOMPARE(s.frontT(), (kChunk - 1) * 1000);
        QCOMPARE(s.sealedChunkCount(), std::size_t(2));
        s.dropOldest(1);
        QCOMPARE(s.sealedChunkCount(), std::size_t(1));
        QCOMPARE(s.frontT(), kChunk * 1000);
        s.dropOldest(kChunk + 3); // past the sealed chunk, into the head
        QCOMPARE(s.sealedChunkCount(), std::size_t(0));
        QCOMPARE(timesIn(s, INT64_MIN, INT64_MAX), span((2 * kChunk + 3) * 1000, (2 * kChunk + 6) * 1000));
        s.dropOldest(100);
        QVERIFY(s.empty());
    }

    void copyRangeBounds()
    {
        // three sealed chunks and a head with gaps between chunk ranges (t = i * 1000 + gaps)
        SeriesChunks s;
        std::vector<Point> all;
        for (std::int64_t i = 0; i < 3 * kChunk + 30; ++i) {
            const Point p{i * 1000 + (i / kChunk) * 1'000'000, double(i)};
            s.push(p);
            all.push_back(p);
        }
        Reference ref{all};
        std::vector<std::int64_t> edges = {INT64_MIN, INT64_MAX, -1, 0};
        for (std::size_t i = 0; i < all.size(); ++i) // around each chunk's first and last points
            if (i % SeriesChunks::kChunkPoints <= 1 || i % SeriesChunks::kChunkPoints >= SeriesChunks::kChunkPoints - 2 ||
                i + 1 == all.size())
                for (std::int64_t d : {-1, 0, 1})
                    edges.push_back(all[i].t + d);
        edges.push_back(500'000); // inside a gap
        for (std::int64_t lo : edges) {
            for (std::int64_t hi : edges) {
                std::vector<Point> got;
                s.copyRange(lo, hi, got);
                const std::vector<Point> expected = ref.range(lo, hi);
                QVERIFY2(samePoints(got, expected), qPrintable(QStringLiteral("[%1, %2]: %3 vs %4 points")
                                                                    .arg(lo).arg(hi).arg(got.size()).arg(expected.size())));
                QCOMPARE(s.hasPointIn(lo, hi), !expected.empty());
                QVERIFY(s.pointsAtMost(lo, hi) >= expected.size());
            }
        }
        // appends after what the buffer already holds
        std::vector<Point> out{{-5, 1}};
        s.copyRange(0, 2000, out);
        QCOMPARE(out.size(), std::size_t(4));
        QCOMPARE(out[0].t, std::int64_t(-5));
    }

    void randomOperationsAgreeWithAVector()
    {
        std::mt19937_64 rng(20261207);
        for (int run = 0; run < 40; ++run) {
            SeriesChunks s;
            Reference ref;
            std::int64_t t = std::int64_t(rng() % 2'000'000) - 1'000'000;
            for (int op = 0; op < 3000; ++op) {
                const unsigned kind = unsigned(rng() % 100);
                if (kind < 80) { // append: mostly regular, sometimes jittered or a big gap
                    const unsigned shape = unsigned(rng() % 20);
                    t += shape == 0 ? std::int64_t(rng() % 100'000'000) + 1 : shape < 4 ? 1 + std::int64_t(rng() % 30'000) : 15'000;
                    double v;
                    switch (rng() % 5) {
                    case 0: v = std::bit_cast<double>(rng()); break;            // any bit pattern
                    case 1: v = staleNaN(); break;
                    case 2: v = ref.points.empty() ? 0 : ref.points.back().v; break; // repeat
                    default: v = double(op) + double(rng() % 4); break;      // counter-like
                    }
                    s.push({t, v});
                    ref.points.push_back({t, v});
                } else if (kind < 86 && !ref.points.empty()) {
                    const Point &p = ref.points[rng() % ref.points.size()];
                    const std::int64_t cut = p.t + std::int64_t(rng() % 3) - 1;
                    s.dropOlderThan(cut);
                    ref.dropOlderThan(cut);
                } else if (kind < 90) {
                    const std::size_t n = rng() % (SeriesChunks::kChunkPoints * 2);
                    s.dropOldest(n);
                    ref.dropOldest(n);
                } else if (kind < 92) {
                    s.releaseSpare();
                } else if (!ref.points.empty()) { // read a random range
                    const auto pick = [&] {
                        const Point &p = ref.points[rng() % ref.points.size()];
                        return p.t + std::int64_t(rng() % 3) - 1;
                    };
                    std::int64_t lo = rng() % 10 ? pick() : INT64_MIN, hi = rng() % 10 ? pick() : INT64_MAX;
                    if (rng() % 4 && lo > hi)
                        std::swap(lo, hi);
                    std::vector<Point> got;
                    s.copyRange(lo, hi, got);
                    const auto expected = ref.range(lo, hi);
                    QVERIFY2(samePoints(got, expected), qPrintable(QStringLiteral("run %1 op %2: [%3, %4] %5 vs %6 points")
                                                                        .arg(run).arg(op).arg(lo).arg(hi)
                                                                        .arg(got.size()).arg(expected.size())));
                    QCOMPARE(s.hasPointIn(lo, hi), !expected.empty());
                    QVERIFY(s.pointsAtMost(lo, hi) >= expected.size());
                }
                QCOMPARE(s.size(), ref.points.size());
                if (!ref.points.empty()) {
                    QCOMPARE(s.frontT(), ref.points.front().t);
                    QCOMPARE(s.back().t, ref.points.back().t);
                }
            }
            QVERIFY(samePoints(everything(s), ref.points));
        }
    }

    void heapBytesFollowWhatIsHeld()
    {
        // 1 h of a 1 s counter: 30 sealed chunks of a few bytes a point, not 16
        SeriesChunks s = filled(3600);
        const std::size_t bytes = s.heapBytes();
        QVERIFY2(bytes < 3600 * 4, qPrintable(QString::number(bytes)));
        QVERIFY2(bytes > 3600 / 8, qPrintable(QString::number(bytes))); // at least the timestamp bits
        s.dropOlderThan(1800 * 1000);
        QCOMPARE(s.sealedChunkCount(), std::size_t(15)); // whole chunks freed
        QVERIFY(s.heapBytes() < bytes);
    }
};

QTEST_APPLESS_MAIN(TestSeriesChunks)
#include "tst_series_chunks.moc"
