// Labels as a shared, copy-on-write value (copies share one block; writes never show
// through another copy; the cached hash and name-less sibling stay right), the batch
// select against the per-series select, and the hashed label signatures PromQL groups
// and matches with (collisions must never merge different label sets).
#include "backends/telemetry/promql/label_signature.h"
#include "backends/telemetry/series_store.h"

#include <QtTest>

#include <random>
#include <thread>

using namespace opsdeck::telemetry;
using opsdeck::telemetry::promql::LabelSubset;
using opsdeck::telemetry::promql::SignatureIndex;

namespace {

// Hash computed from the items alone, as a fresh set would: what a cached hash must equal.
std::size_t freshHash(const Labels &l) { return Labels(l.items()).hash(); }

// A source with only select(): exercises SeriesSource's default selectBatch.
class SelectOnly : public SeriesSource {
public:
    explicit SelectOnly(const SeriesStore &store) : m_store(store) {}
    std::vector<SeriesData> select(const std::vector<LabelMatcher> &matchers, std::int64_t minT,
                                   std::int64_t maxT) const override
    {
        auto out = m_store.select(matchers, minT, maxT);
        std::reverse(out.begin(), out.end()); // the default must sort them
        return out;
    }

private:
    const SeriesStore &m_store;
};

} // namespace

class TestLabels : public QObject {
    Q_OBJECT
private slots:
    void copiesShareUntilWritten()
    {
        Labels a{{"__name__", "up"}, {"job", "api"}};
        Labels b = a;
        QVERIFY(a.sharesWith(b));
        b.set("job", "db");
        QVERIFY(!a.sharesWith(b));
        QCOMPARE(a.get("job"), std::string("api"));
        QCOMPARE(b.get("job"), std::string("db"));
        // a write that changes nothing keeps sharing
        Labels c = a;
        c.set("job", "api");
        c.remove("absent");
        QVERIFY(a.sharesWith(c));
    }

    void cachedHashFollowsWrites()
    {
        Labels a{{"__name__", "up"}, {"job", "api"}};
        const std::size_t before = a.hash();
        QCOMPARE(before, freshHash(a));
        Labels b = a;
        b.set("instance", "x:1"); // b's block is its own now: a's cached hash must not move
        QCOMPARE(a.hash(), before);
        QCOMPARE(b.hash(), freshHash(b));
        QVERIFY(a.hash() != b.hash());
        // a sole owner writes in place: its cached hash must be dropped
        Labels c{{"a", "1"}};
        const std::size_t h1 = c.hash();
        c.set("a", "2");
        QVERIFY(c.hash() != h1);
        QCOMPARE(c.hash(), freshHash(c));
        QCOMPARE(c.hashWithName("x"), freshHash(Labels{{"a", "2"}, {"__name__", "x"}}));
    }

    void equalityAndOrderAcrossBlocks()
    {
        Labels a{{"__name__", "up"}, {"job", "api"}};
        Labels b{{"job", "api"}, {"__name__", "up"}}; // built separately: a different block
        QVERIFY(!a.sharesWith(b));
        QVERIFY(a == b);
        QVERIFY(!(a < b) && !(b < a));
        (void)a.hash(); // one side hashed, the other not: still equal
        QVERIFY(a == b);
        Labels c{{"__name__", "up"}, {"job", "apj"}};
        (void)c.hash();
        (void)b.hash();
        QVERIFY(!(a == c));
        QVERIFY(a < c);
        QVERIFY(Labels{} == Labels(std::vector<Label>{}));
        QVERIFY(Labels{} < a);
    }

    void withoutNameIsSharedAndCorrect()
    {
        const Labels full{{"__name__", "rate_me"}, {"job", "api"}, {"zone", "a"}};
        const Labels n1 = full.withoutName();
        const Labels n2 = full.withoutName();
        QVERIFY(n1.sharesWith(n2)); // the sibling is made once per block
        QCOMPARE(n1, (Labels{{"job", "api"}, {"zone", "a"}}));
        QCOMPARE(full.name(), std::string("rate_me")); // the original is untouched
        QCOMPARE(n1.hash(), freshHash(n1));
        // writing to a name-less copy must not change what the next withoutName() returns
        Labels edited = full.withoutName();
        edited.set("job", "db");
        QCOMPARE(full.withoutName().get("job"), std::string("api"));
        // sole owner: dropping the name and writing again leaves a consistent value
        Labels own{{"__name__", "x"}, {"a", "1"}};
        own.remove("__name__");
        own.set("b", "2");
        QCOMPARE(own, (Labels{{"a", "1"}, {"b", "2"}}));
        Labels onlyName{{"__name__", "x"}};
        onlyName.remove("__name__");
        QVERIFY(onlyName.empty());
        QCOMPARE(onlyName, Labels{});
        // a set whose sibling was cached, then written in place by its sole owner
        Labels soleOwner{{"__name__", "x"}, {"a", "1"}};
        (void)soleOwner.withoutName();
        soleOwner.set("a", "2");
        QCOMPARE(soleOwner.withoutName(), (Labels{{"a", "2"}}));
    }

    void sharedBlocksAcrossThreads()
    {
        // Copies of one block used from several threads at once (the console reads while
        // the worker evaluates): hashes, siblings and writes to private copies stay right.
        const Labels shared{{"__name__", "m"}, {"job", "j"}, {"pod", "p"}};
        std::vector<std::thread> threads;
        std::atomic<int> wrong{0};
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 2000; ++i) {
                    Labels mine = shared;
                    if (mine.withoutName() != Labels{{"job", "j"}, {"pod", "p"}})
                        ++wrong;
                    if (mine.hash() != freshHash(shared))
                        ++wrong;
                    mine.set("thread", std::to_string(t));
                    if (mine.get("thread") != std::to_string(t) || shared.has("thread"))
                        ++wrong;
                }
            });
        }
        for (auto &th : threads)
            th.join();
        QCOMPARE(wrong.load(), 0);
    }

    void selectBatchMatchesSelect()
    {
        SeriesStore store;
        std::mt19937 rng(7);
        for (int s = 0; s < 60; ++s) {
            Labels l{{"__name__", s % 3 ? "a" : "b"}, {"i", std::to_string(s)}};
            for (int t = 0; t < 50; ++t)
                if (rng() % 4 != 0 && t * 1000 >= s * 200) // gaps; late starters
                    store.append(l, t * 1000, double(s * 100 + t));
        }
        const SelectOnly viaDefault(store);
        const std::vector<std::vector<LabelMatcher>> selectors = {
            {{"__name__", LabelMatcher::Op::Equal, "a"}},
            {{"i", LabelMatcher::Op::RegexMatch, "1.*"}},
            {{"__name__", LabelMatcher::Op::Equal, "none"}},
            {{"i", LabelMatcher::Op::RegexMatch, "("}}, // bad regex: nothing
        };
        for (const auto &matchers : selectors) {
            for (auto [minT, maxT] : {std::pair<std::int64_t, std::int64_t>{0, 49'000}, {10'500, 11'500}, {9'000, 9'000}}) {
                const std::vector<SeriesData> expected = store.select(matchers, minT, maxT);
                for (const SeriesBatch &batch : {store.selectBatch(matchers, minT, maxT),
                                                 viaDefault.selectBatch(matchers, minT, maxT)}) {
                    QCOMPARE(batch.size(), expected.size());
                    QCOMPARE(batch.pointOffsets.size(), expected.size() + 1);
                    for (std::size_t i = 0; i < expected.size(); ++i) {
                        QCOMPARE(batch.labels[i], expected[i].labels);
                        const auto pts = batch.pointsOf(i);
                        QCOMPARE(pts.size(), expected[i].points.size());
                        for (std::size_t k = 0; k < pts.size(); ++k) {
                            QCOMPARE(pts[k].t, expected[i].points[k].t);
                            QCOMPARE(pts[k].v, expected[i].points[k].v);
                        }
                    }
                }
            }
        }
    }

    void signatureSubsets()
    {
        const std::vector<std::string> names{"job"};
        const LabelSubset by(names, true), without(names, false);
        const Labels a{{"__name__", "x"}, {"job", "api"}, {"pod", "1"}};
        const Labels b{{"__name__", "y"}, {"job", "api"}, {"pod", "2"}};
        const Labels c{{"__name__", "z"}, {"job", "db"}, {"pod", "1"}};
        QVERIFY(by.same(a, b));
        QCOMPARE(by.hash(a), by.hash(b));
        QVERIFY(!by.same(a, c));
        QVERIFY(without.same(a, c)); // all but job and the name: pod=1 on both
        QCOMPARE(without.hash(a), without.hash(c));
        QVERIFY(!without.same(a, b));
        QCOMPARE(by.project(a), (Labels{{"job", "api"}}));
        QCOMPARE(without.project(a), (Labels{{"pod", "1"}}));
        // a label absent on one side and present on the other is a difference
        QVERIFY(!without.same(a, Labels{{"pod", "1"}, {"zone", "q"}}));
        QVERIFY(by.same(Labels{{"pod", "1"}}, Labels{{"pod", "2"}})); // no job on either
    }

    void signatureIndexKeepsCollisionsApart()
    {
        // Every entry under one hash: only the comparison tells them apart.
        const std::vector<std::string> keys{"a", "b", "c", "a"};
        SignatureIndex index;
        std::vector<std::string> stored;
        for (const std::string &k : keys) {
            const std::size_t found = index.find(42, [&](std::size_t e) { return stored[e] == k; });
            if (found == SignatureIndex::npos) {
                QCOMPARE(index.add(42), stored.size());
                stored.push_back(k);
            } else {
                QCOMPARE(stored[found], k);
            }
        }
        QCOMPARE(stored, (std::vector<std::string>{"a", "b", "c"}));
        QCOMPARE(index.find(42, [&](std::size_t e) { return stored[e] == "c"; }), std::size_t{2});
        QCOMPARE(index.find(43, [](std::size_t) { return true; }), SignatureIndex::npos);
    }
};

QTEST_APPLESS_MAIN(TestLabels)
#include "tst_labels.moc"
