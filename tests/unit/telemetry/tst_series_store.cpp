// SeriesStore: appends and range reads, retention, lazy growth, staleness, matcher
// semantics, and the label index checked against a brute-force scan on random data.
#include "backends/telemetry/series_store.h"

#include <QtTest>

#include <cmath>
#include <random>
#include <regex>
#include <thread>

using namespace opsdeck::telemetry;
using Op = LabelMatcher::Op;

namespace {

Labels series(std::string name, std::initializer_list<Label> rest = {})
{
    Labels l(rest);
    l.set("__name__", name);
    return l;
}

std::vector<double> values(const SeriesData &s)
{
    std::vector<double> out;
    for (const Point &p : s.points)
        out.push_back(p.v);
    return out;
}

std::vector<std::int64_t> times(const SeriesData &s)
{
    std::vector<std::int64_t> out;
    for (const Point &p : s.points)
        out.push_back(p.t);
    return out;
}

Scrape scrapeOf(std::initializer_list<std::pair<Labels, double>> samples)
{
    MetricFamily fam{"", "", MetricType::Gauge, {}};
    for (const auto &[labels, v] : samples)
        fam.samples.push_back(Sample{labels.name(), labels.withoutName(), v, std::nullopt});
    return {fam};
}

// Reference semantics written independently of CompiledMatcher.
bool referenceMatch(const LabelMatcher &m, const Labels &labels)
{
    const std::string &v = labels.get(m.name);
    switch (m.op) {
    case Op::Equal:
        return v == m.value;
    case Op::NotEqual:
        return v != m.value;
    case Op::RegexMatch:
        return std::regex_match(v, std::regex("^(?:" + m.value + ")$"));
    case Op::RegexNoMatch:
        return !std::regex_match(v, std::regex("^(?:" + m.value + ")$"));
    }
    return false;
}

} // namespace

class TestSeriesStore : public QObject {
    Q_OBJECT
private slots:
    void appendAndRangeRead()
    {
        SeriesStore store;
        const Labels up = series("up", {{"job", "api"}});
        for (int i = 0; i < 10; ++i)
            QCOMPARE(store.append(up, i * 1000, i), AppendStatus::Ok);
        auto got = store.select({{"__name__", Op::Equal, "up"}}, 2000, 5000);
        QCOMPARE(got.size(), std::size_t(1));
        QVERIFY(got[0].labels == up);
        QCOMPARE(times(got[0]), (std::vector<std::int64_t>{2000, 3000, 4000, 5000})); // closed interval
        QCOMPARE(values(got[0]), (std::vector<double>{2, 3, 4, 5}));
        QVERIFY(store.select({{"__name__", Op::Equal, "up"}}, 10000, 20000).empty());
        QCOMPARE(store.select({{"__name__", Op::Equal, "up"}}, 8500, 100000)[0].points.size(), std::size_t(1));
        QCOMPARE(store.seriesCount(), std::size_t(1));
        QCOMPARE(store.pointCount(), std::size_t(10));
        QCOMPARE(store.newestTimestamp(), std::optional<std::int64_t>(9000));
    }

    void rejectsOutOfOrderAndConflictingDuplicates()
    {
        SeriesStore store;
        const Labels l = series("x");
        QCOMPARE(store.append(l, 1000, 1), AppendStatus::Ok);
        QCOMPARE(store.append(l, 1000, 1), AppendStatus::DuplicateIgnored);
        QCOMPARE(store.append(l, 1000, 2), AppendStatus::DuplicateTimestamp);
        QCOMPARE(store.append(l, 999, 2), AppendStatus::OutOfOrder);
        QCOMPARE(store.append(Labels{}, 1000, 2), AppendStatus::EmptyLabels);
        QCOMPARE(store.pointCount(), std::size_t(1));
    }

    void retentionDropsOldPoints()
    {
        SeriesStore store({/*retentionMs=*/10000, /*maxPointsPerSeries=*/1000});
        const Labels l = series("x");
        for (int i = 0; i <= 30; ++i)
            store.append(l, i * 1000, i);
        auto got = store.select({{"__name__", Op::Equal, "x"}}, 0, 100000);
        QCOMPARE(got.size(), std::size_t(1));
        QCOMPARE(got[0].points.front().t, std::int64_t(20000));
        QCOMPARE(got[0].points.back().t, std::int64_t(30000));
        QCOMPARE(got[0].points.size(), std::size_t(11));
    }

    void pointCapOverwritesOldestAcrossWrap()
    {
        SeriesStore store({/*retentionMs=*/1000000, /*maxPointsPerSeries=*/8});
        const Labels l = series("x");
        for (int i = 0; i < 21; ++i)
            store.append(l, i * 1000, i);
        auto got = store.select({{"__name__", Op::Equal, "x"}}, 0, 100000);
        QCOMPARE(values(got[0]), (std::vector<double>{13, 14, 15, 16, 17, 18, 19, 20}));
        // a range inside the wrapped ring
        got = store.select({{"__name__", Op::Equal, "x"}}, 15500, 18000);
        QCOMPARE(values(got[0]), (std::vector<double>{16, 17, 18}));
    }

    void idleSeriesAgeOutInSweep()
    {
        SeriesStore store({/*retentionMs=*/8000, /*maxPointsPerSeries=*/1000});
        store.append(series("gone"), 0, 1);
        for (int i = 0; i <= 20; ++i)
            store.append(series("alive"), i * 1000, i);
        QVERIFY(store.select({{"__name__", Op::Equal, "gone"}}, 0, 100000).empty());
        auto names = store.series({{"__name__", Op::RegexMatch, ".+"}});
        QVERIFY(names.ok());
        QCOMPARE(names->size(), std::size_t(1));
        QCOMPARE(QString::fromStdString((*names)[0].name()), QStringLiteral("alive"));
    }

    void growsLazily()
    {
        SeriesStore store;
        for (int i = 0; i < 2000; ++i)
            store.append(series("m", {{"pod", "pod-" + std::to_string(i)}}), 0, i);
        const std::size_t idle = store.approxBytes();
        // a full 24 h ring would be 1.4 MB per series; short series must stay small
        QVERIFY2(idle < 2000 * 1024, qPrintable(QString::number(idle)));
        const Labels one = series("m", {{"pod", "pod-0"}});
        for (int i = 1; i < 5000; ++i)
            store.append(one, i * 1000, i);
        // compressed: a counter at 1 s takes a few bytes a point, not 16
        const std::size_t grown = store.approxBytes() - idle;
        QVERIFY2(grown > 5000 / 8 && grown < 5000 * 4, qPrintable(QString::number(grown)));
    }

    void retentionAndCapAcrossChunks()
    {
        // 15 s samples, 1 h retention: 241 points visible at once, over three chunks of
        // 120 (30 min each); the chunks before them are freed, the partial one is cut
        const std::int64_t retention = 3600 * 1000;
        SeriesStore store({retention, /*maxPointsPerSeries=*/86400});
        const Labels l = series("x");
        std::size_t peakBytes = 0;
        for (std::int64_t i = 0; i < 2000; ++i) {
            QCOMPARE(store.append(l, i * 15000, double(i)), AppendStatus::Ok);
            if (i > 500)
                peakBytes = std::max(peakBytes, store.approxBytes());
        }
        auto got = store.select({{"__name__", Op::Equal, "x"}}, 0, INT64_MAX);
        QCOMPARE(got[0].points.size(), std::size_t(241));
        QCOMPARE(got[0].points.front().v, 1759.0);
        QCOMPARE(got[0].points.back().v, 1999.0);
        QCOMPARE(store.pointCount(), std::size_t(241));
        // a query reaching back further sees nothing older than the window
        got = store.select({{"__name__", Op::Equal, "x"}}, 1700 * 15000, 1760 * 15000);
        QCOMPARE(values(got[0]), (std::vector<double>{1759, 1760}));
        QVERIFY(store.select({{"__name__", Op::Equal, "x"}}, 0, 1758 * 15000).empty());
        QVERIFY2(peakBytes < 3 * 2048 + 241 * 4, qPrintable(QString::number(peakBytes))); // not 2000 points

        // the count cap, across sealed chunks
        SeriesStore capped({/*retentionMs=*/INT64_MAX / 2, /*maxPointsPerSeries=*/300});
        for (std::int64_t i = 0; i < 1000; ++i)
            capped.append(l, i * 1000, double(i));
        got = capped.select({{"__name__", Op::Equal, "x"}}, INT64_MIN, INT64_MAX);
        QCOMPARE(got[0].points.size(), std::size_t(300));
        QCOMPARE(got[0].points.front().v, 700.0);
        QCOMPARE(capped.pointCount(), std::size_t(300));
    }

    void extremeTimestampsAndRetention()
    {
        // retention arithmetic must not overflow near the ends of the int64 range
        SeriesStore store({/*retentionMs=*/1000, /*maxPointsPerSeries=*/100});
        const Labels l = series("x");
        QCOMPARE(store.append(l, INT64_MIN, 1), AppendStatus::Ok);
        QCOMPARE(store.append(l, INT64_MIN + 500, 2), AppendStatus::Ok);
        QCOMPARE(store.select({{"__name__", Op::Equal, "x"}}, INT64_MIN, INT64_MAX)[0].points.size(), std::size_t(2));
        QCOMPARE(store.append(l, INT64_MAX, 3), AppendStatus::Ok);
        auto got = store.select({{"__name__", Op::Equal, "x"}}, INT64_MIN, INT64_MAX);
        QCOMPARE(values(got[0]), (std::vector<double>{3}));
    }

    void hashWithNameAgreesWithFullLabels()
    {
        // label names sorting before ("A", "_a") and after ("a", "zz") "__name__"
        std::mt19937 rng(7);
        const std::vector<std::string> names = {"A", "Zed", "_a", "__x", "a", "job", "zz"};
        for (int iter = 0; iter < 2000; ++iter) {
            std::vector<Label> items;
            for (const auto &n : names)
                if (rng() % 2)
                    items.emplace_back(n, std::to_string(rng() % 3));
            const Labels rest(items);
            const std::string metric = (rng() % 5 == 0) ? "" : "metric_" + std::to_string(rng() % 2);
            Labels full = rest;
            full.set("__name__", metric);
            QCOMPARE(rest.hashWithName(metric), full.hash());
            QVERIFY(rest.equalsWithName(metric, full));
            Labels other = full;
            other.set("job", "different");
            QVERIFY(!rest.equalsWithName(metric, other) || other == full);
            QVERIFY(!rest.equalsWithName(metric + "x", full));
        }
    }

    void ingestMapsSamplesToSeries()
    {
        SeriesStore store;
        Scrape s = scrapeOf({{series("up", {{"job", "a"}}), 1}, {series("up", {{"job", "b"}}), 0}});
        for (int i = 0; i < 5; ++i) {
            auto stats = store.ingest(s, i * 15000);
            QCOMPARE(stats.appended, std::size_t(2));
            QCOMPARE(stats.newSeries, std::size_t(i == 0 ? 2 : 0));
        }
        QCOMPARE(store.seriesCount(), std::size_t(2));
        // append() with the full label set lands in the very same series
        QCOMPARE(store.append(series("up", {{"job", "a"}}), 75000, 1), AppendStatus::Ok);
        QCOMPARE(store.seriesCount(), std::size_t(2));
        auto got = store.select({{"job", Op::Equal, "a"}}, 0, 100000);
        QCOMPARE(got.size(), std::size_t(1));
        QCOMPARE(got[0].points.size(), std::size_t(6));
        // a sample's own timestamp wins over the scrape time
        Scrape stamped = scrapeOf({{series("late"), 3}});
        stamped[0].samples[0].timestampMs = 5;
        store.ingest(stamped, 90000, "other");
        QCOMPARE(store.select({{"__name__", Op::Equal, "late"}}, 0, 10)[0].points[0].t, std::int64_t(5));
    }

    void vanishedSeriesGetStaleMarker()
    {
        SeriesStore store;
        const Labels a = series("up", {{"job", "a"}}), b = series("up", {{"job", "b"}});
        store.ingest(scrapeOf({{a, 1}, {b, 1}}), 0, "t1");
        auto stats = store.ingest(scrapeOf({{a, 1}}), 15000, "t1");
        QCOMPARE(stats.staleMarked, std::size_t(1));
        auto got = store.select({{"job", Op::Equal, "b"}}, 0, 100000);
        QCOMPARE(got[0].points.size(), std::size_t(2));
        QVERIFY(isStaleNaN(got[0].points[1].v));
        QCOMPARE(got[0].points[1].t, std::int64_t(15000));
        // still absent: no second marker
        QCOMPARE(store.ingest(scrapeOf({{a, 1}}), 30000, "t1").staleMarked, std::size_t(0));
        // back again: an ordinary value follows the marker
        store.ingest(scrapeOf({{a, 1}, {b, 7}}), 45000, "t1");
        got = store.select({{"job", Op::Equal, "b"}}, 0, 100000);
        QCOMPARE(got[0].points.size(), std::size_t(3));
        QCOMPARE(got[0].points[2].v, 7.0);
        QVERIFY(!std::isnan(store.select({{"job", Op::Equal, "a"}}, 0, 100000)[0].points.back().v));
    }

    void targetsAreIndependentAndCanGoDown()
    {
        SeriesStore store;
        const Labels a = series("up", {{"instance", "x"}}), b = series("up", {{"instance", "y"}});
        store.ingest(scrapeOf({{a, 1}}), 0, "x");
        store.ingest(scrapeOf({{b, 1}}), 0, "y");
        QCOMPARE(store.ingest(scrapeOf({{a, 1}}), 15000, "x").staleMarked, std::size_t(0));
        QCOMPARE(store.markTargetStale("y", 15000), std::size_t(1));
        QCOMPARE(store.markTargetStale("y", 30000), std::size_t(0));
        QCOMPARE(store.markTargetStale("nobody", 30000), std::size_t(0));
        auto got = store.select({{"instance", Op::Equal, "y"}}, 0, 100000);
        QVERIFY(isStaleNaN(got[0].points.back().v));
    }

    void matcherSemantics()
    {
        SeriesStore store;
        store.append(series("req", {{"job", "api"}, {"code", "200"}}), 0, 1);
        store.append(series("req", {{"job", "api-gateway"}, {"code", "500"}}), 0, 2);
        store.append(series("req", {{"job", "web"}}), 0, 3);
        store.append(series("other", {{"job", "api"}}), 0, 4);
        auto count = [&](std::vector<LabelMatcher> m) { return store.select(m, 0, 0).size(); };
        QCOMPARE(count({{"__name__", Op::Equal, "req"}}), std::size_t(3));
        QCOMPARE(count({{"job", Op::Equal, "api"}}), std::size_t(2));
        QCOMPARE(count({{"__name__", Op::Equal, "req"}, {"job", Op::NotEqual, "api"}}), std::size_t(2));
        QCOMPARE(count({{"__name__", Op::Equal, "req"}, {"job", Op::RegexMatch, "api"}}), std::size_t(1));
        QCOMPARE(count({{"__name__", Op::Equal, "req"}, {"job", Op::RegexMatch, "api.*"}}), std::size_t(2));
        QCOMPARE(count({{"__name__", Op::Equal, "req"}, {"job", Op::RegexNoMatch, "api.*"}}), std::size_t(1));
        QCOMPARE(count({{"__name__", Op::Equal, "req"}, {"code", Op::NotEqual, ""}}), std::size_t(2));
        QCOMPARE(count({{"__name__", Op::Equal, "req"}, {"code", Op::Equal, ""}}), std::size_t(1));
        QCOMPARE(count({{"__name__", Op::Equal, "req"}, {"code", Op::RegexMatch, ""}}), std::size_t(1));
        QCOMPARE(count({{"code", Op::RegexMatch, "5.."}}), std::size_t(1));
        QCOMPARE(count({{"missing", Op::Equal, "x"}}), std::size_t(0));
        QCOMPARE(count({{"job", Op::Equal, "nope"}}), std::size_t(0));
        QCOMPARE(count({}), std::size_t(4));
        // results come sorted by labels
        auto got = store.select({{"__name__", Op::Equal, "req"}}, 0, 0);
        QVERIFY(std::is_sorted(got.begin(), got.end(),
                               [](const SeriesData &x, const SeriesData &y) { return x.labels < y.labels; }));
    }

    void badRegexReportsError()
    {
        SeriesStore store;
        store.append(series("x", {{"a", "b"}}), 0, 1);
        auto r = store.trySelect({{"a", Op::RegexMatch, "b("}}, 0, 0);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().find("invalid regular expression") != std::string::npos, r.error().c_str());
        QVERIFY(store.select({{"a", Op::RegexMatch, "b("}}, 0, 0).empty());
    }

    void labelNamesAndValues()
    {
        SeriesStore store;
        store.append(series("a", {{"job", "x"}, {"env", "prod"}}), 0, 1);
        store.append(series("b", {{"job", "y"}}), 0, 1);
        QCOMPARE(store.labelNames(), (std::vector<std::string>{"__name__", "env", "job"}));
        QCOMPARE(store.labelValues("job"), (std::vector<std::string>{"x", "y"}));
        QCOMPARE(store.labelValues("__name__"), (std::vector<std::string>{"a", "b"}));
        QVERIFY(store.labelValues("nope").empty());
    }

    void indexAgreesWithBruteForce()
    {
        std::mt19937 rng(1234);
        SeriesStore store;
        std::vector<Labels> all;
        const std::vector<std::string> metricNames = {"req_total", "up", "vllm:num_requests_running", "lat"};
        const std::vector<std::string> jobs = {"api", "api-gateway", "web", "db", "queue"};
        const std::vector<std::string> codes = {"200", "404", "500", "503"};
        for (int i = 0; i < 3000; ++i) {
            Labels l = series(metricNames[rng() % metricNames.size()]);
            if (rng() % 4)
                l.set("job", jobs[rng() % jobs.size()]);
            if (rng() % 2)
                l.set("code", codes[rng() % codes.size()]);
            if (rng() % 3 == 0)
                l.set("pod", "pod-" + std::to_string(rng() % 50));
            if (store.append(l, 0, i) == AppendStatus::Ok)
                all.push_back(l);
        }
        const std::vector<std::string> labelNames = {"__name__", "job", "code", "pod", "absent"};
        const std::vector<std::string> literals = {"", "api", "web", "500", "up", "pod-7", "zzz"};
        const std::vector<std::string> regexes = {"", ".*", ".+", "api.*", "api|web", "5..", "pod-1.", "u", "(?:req|lat).*"};
        for (int iter = 0; iter < 400; ++iter) {
            std::vector<LabelMatcher> ms;
            const int n = 1 + int(rng() % 3);
            for (int k = 0; k < n; ++k) {
                LabelMatcher m;
                m.name = labelNames[rng() % labelNames.size()];
                m.op = Op(rng() % 4);
                const bool regex = m.op == Op::RegexMatch || m.op == Op::RegexNoMatch;
                m.value = regex ? regexes[rng() % regexes.size()] : literals[rng() % literals.size()];
                ms.push_back(m);
            }
            std::vector<Labels> expected;
            for (const Labels &l : all)
                if (std::all_of(ms.begin(), ms.end(), [&](const LabelMatcher &m) { return referenceMatch(m, l); }))
                    expected.push_back(l);
            std::sort(expected.begin(), expected.end());
            std::vector<Labels> actual;
            for (const SeriesData &s : store.select(ms, 0, 0))
                actual.push_back(s.labels);
            QVERIFY2(actual == expected, qPrintable(QStringLiteral("iteration %1: %2 vs %3 series")
                                                        .arg(iter).arg(actual.size()).arg(expected.size())));
        }
    }

    void memoisedSelectionsFollowNewSeries()
    {
        // The same selectors, asked again after series are created in between (a few per
        // round, as with rules and churn): each answer must equal a fresh store's, sorted.
        std::mt19937 rng(99);
        SeriesStore store;
        std::vector<Labels> all;
        const std::vector<std::vector<LabelMatcher>> selectors = {
            {{"__name__", Op::Equal, "m"}},
            {{"__name__", Op::Equal, "m"}, {"job", Op::RegexMatch, "a.*"}},
            {{"pod", Op::NotEqual, ""}},
            {{"job", Op::RegexNoMatch, "b"}},
        };
        for (int round = 0; round < 30; ++round) {
            for (int k = 0; k < int(rng() % 4); ++k) {
                Labels l = series(rng() % 3 ? "m" : "n", {{"job", rng() % 2 ? "a" + std::to_string(rng() % 5) : "b"}});
                if (rng() % 2)
                    l.set("pod", "p" + std::to_string(rng() % 40));
                const bool known = std::find(all.begin(), all.end(), l) != all.end();
                if (store.append(l, round * 1000, 1) == AppendStatus::Ok && !known)
                    all.push_back(l);
            }
            for (const auto &ms : selectors) {
                std::vector<Labels> expected;
                for (const Labels &l : all)
                    if (std::all_of(ms.begin(), ms.end(), [&](const LabelMatcher &m) { return referenceMatch(m, l); }))
                        expected.push_back(l);
                std::sort(expected.begin(), expected.end());
                std::vector<Labels> actual;
                for (const SeriesData &s : store.select(ms, 0, 1'000'000))
                    actual.push_back(s.labels);
                QVERIFY2(actual == expected, qPrintable(QStringLiteral("round %1: %2 vs %3 series")
                                                            .arg(round).arg(actual.size()).arg(expected.size())));
                const SeriesBatch batch = store.selectBatch(ms, 0, 1'000'000);
                QVERIFY(batch.labels == expected);
            }
        }
    }

    void readersSeeWholeSeriesWhileChunksSealAndAgeOut()
    {
        // One writer appending at 1 s (sealing a chunk every 2 min and freeing the oldest
        // under a 5 min retention), readers selecting random ranges: every answer must be
        // a gap-free run of exact values, never older than the retention allows.
        const std::int64_t retention = 300'000;
        SeriesStore store({retention, /*maxPointsPerSeries=*/86400});
        constexpr int kSeconds = 3000;
        std::atomic<std::int64_t> written{-1};
        std::atomic<bool> done{false};
        std::atomic<int> failures{0};
        auto reader = [&](unsigned seed) {
            std::mt19937 rng(seed);
            while (!done.load()) {
                const std::int64_t before = written.load();
                const std::int64_t lo = std::int64_t(rng() % kSeconds) * 1000 - 500, hi = lo + std::int64_t(rng() % 400) * 1000;
                const SeriesBatch batch = store.selectBatch({{"__name__", Op::Equal, "m"}}, lo, hi);
                for (std::size_t s = 0; s < batch.size(); ++s) {
                    const double scale = batch.labels[s].get("i") == "1" ? 1.0 : -0.5;
                    const auto points = batch.pointsOf(s);
                    for (std::size_t k = 0; k < points.size(); ++k) {
                        const bool ok = points[k].t >= lo && points[k].t <= hi && points[k].v == scale * double(points[k].t) &&
                                        (k == 0 || points[k].t == points[k - 1].t + 1000) &&
                                        points[k].t >= before * 1000 - retention;
                        if (!ok)
                            failures.fetch_add(1);
                    }
                }
            }
        };
        std::thread r1(reader, 1), r2(reader, 2);
        for (std::int64_t t = 0; t < kSeconds; ++t) {
            store.ingest(scrapeOf({{series("m", {{"i", "1"}}), 1.0 * double(t * 1000)},
                                   {series("m", {{"i", "2"}}), -0.5 * double(t * 1000)}}),
                         t * 1000);
            written.store(t);
        }
        done = true;
        r1.join();
        r2.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(store.pointCount(), std::size_t(2 * 301));
    }

    void readersRunBesideTheWriter()
    {
        SeriesStore store;
        std::atomic<bool> done{false};
        std::size_t lastSeen = 0;
        bool monotonic = true;
        std::thread reader([&] {
            while (!done.load()) {
                auto got = store.select({{"__name__", Op::Equal, "m"}}, 0, INT64_MAX);
                std::size_t n = 0;
                for (const auto &s : got)
                    n += s.points.size();
                monotonic = monotonic && n >= lastSeen;
                lastSeen = n;
            }
        });
        for (int t = 0; t < 2000; ++t)
            store.ingest(scrapeOf({{series("m", {{"i", "1"}}), 1.0 * t}, {series("m", {{"i", "2"}}), 2.0 * t}}), t * 1000);
        done = true;
        reader.join();
        QVERIFY(monotonic);
        QCOMPARE(store.pointCount(), std::size_t(4000));
    }
};

QTEST_APPLESS_MAIN(TestSeriesStore)
#include "tst_series_store.moc"
