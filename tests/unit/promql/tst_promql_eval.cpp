// Evaluator tests for what the promtool cross-check cannot express: NaN results,
// evaluation errors, range-vector results, lookback/staleness edges, range queries and
// the one-fetch-per-selector behaviour. Expected values and error texts were produced
// by promtool 2.42 on the same data (see the comment on each group).
#include "test_support.h"

#include <QElapsedTimer>
#include <QtTest>

using namespace opsdeck::telemetry;
using namespace opsdeck::telemetry::promql;
using namespace opsdeck::telemetry::promql::test;

namespace {
constexpr std::int64_t kMin = 60'000;

Value evalOk(const SeriesSource &src, const std::string &text, std::int64_t t)
{
    auto e = parse(text);
    if (!e)
        qFatal("parse failed for %s: %s", text.c_str(), e.error().c_str());
    auto v = evalInstant(*e, src, t);
    if (!v)
        qFatal("eval failed for %s: %s", text.c_str(), v.error().c_str());
    return *v;
}

std::string evalError(const SeriesSource &src, const std::string &text, std::int64_t t)
{
    auto e = parse(text);
    if (!e)
        return "parse: " + e.error();
    auto v = evalInstant(*e, src, t);
    return v ? std::string("<no error>") : v.error();
}

VectorSeriesSource errorData()
{
    VectorSeriesSource src;
    src.add(labelsOf(R"(http_requests_total{job="api",instance="a"})"), "0+10x20");
    src.add(labelsOf(R"(http_requests_total{job="api",instance="b"})"), "0+5x20");
    src.add(labelsOf(R"(cpu{job="api",instance="a"})"), "1+1x20");
    src.add(labelsOf(R"(cpu{job="web",instance="a"})"), "2+1x20");
    src.add(labelsOf(R"(mem{instance="a",team="x"})"), "1+1x20");
    src.add(labelsOf(R"(mem{instance="a",team="y"})"), "1+1x20");
    src.add(labelsOf(R"(lim{instance="a"})"), "5+0x20");
    src.add(labelsOf(R"(h_bucket{le="1"})"), "0+1x20");
    src.add(labelsOf(R"(h3_bucket{le="+Inf"})"), "0+0x20");
    src.add(labelsOf(R"(h3_bucket{le="1"})"), "0+0x20");
    return src;
}
} // namespace

class TestPromqlEval : public QObject {
    Q_OBJECT
private slots:
    void evaluationErrors_data();
    void evaluationErrors();
    void manyToManyNamesBothSeries();
    void nanResults();
    void lookbackAndStaleness();
    void rangeSelectorResult();
    void extrapolationEdges();
    void absentLabels();
    void sortAndTopkOrder();
    void powerFollowsGo();
    void rangeQueryShape();
    void rangeQueryRejectsBadInput();
    void fetchesEachSelectorOnce();
    void manySeriesPerformance();
};

void TestPromqlEval::evaluationErrors_data()
{
    // promtool 2.42 printed these errors for the same expressions over errorData().
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("error");
    const QString dup = "vector cannot contain metrics with the same labelset";
    const QString manyToOne = "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)";
    QTest::newRow("abs drops names") << "abs({job=\"api\"})" << dup;
    QTest::newRow("unary minus") << "-{job=\"api\"}" << dup;
    QTest::newRow("rate") << "rate({job=\"api\"}[5m])" << dup;
    QTest::newRow("label_replace") << "label_replace(cpu, \"job\", \"\", \"job\", \".*\")" << dup;
    QTest::newRow("on(job)") << "http_requests_total + on(job) cpu" << manyToOne;
    QTest::newRow("ignoring") << "http_requests_total + ignoring(instance) cpu" << manyToOne;
    QTest::newRow("lhs many") << "cpu + on(instance) http_requests_total" << manyToOne;
    QTest::newRow("label_replace dst") << "label_replace(cpu, \"1x\", \"a\", \"job\", \".*\")"
                                       << "invalid destination label name in label_replace(): 1x";
    QTest::newRow("label_replace regex") << "label_replace(cpu, \"x\", \"a\", \"job\", \"(\")"
                                         << "invalid regular expression in label_replace(): (";
    QTest::newRow("label_join dst") << "label_join(cpu, \"1x\", \",\", \"job\")"
                                    << "invalid destination label name in label_join(): 1x";
    QTest::newRow("count_values label") << "count_values(\"1x\", cpu)" << "invalid label name \"1x\"";
    QTest::newRow("topk overflow") << "topk(1e30, cpu)" << "Scalar value 1e+30 overflows int64";
}

void TestPromqlEval::evaluationErrors()
{
    QFETCH(QString, expr);
    QFETCH(QString, error);
    const auto src = errorData();
    QCOMPARE(QString::fromStdString(evalError(src, expr.toStdString(), 5 * kMin)), error);
}

void TestPromqlEval::manyToManyNamesBothSeries()
{
    // promtool lists the two colliding series in either order (Go map order).
    const auto src = errorData();
    const QString err = QString::fromStdString(evalError(src, "lim * on(instance) group_left mem", 5 * kMin));
    QVERIFY2(err.startsWith("found duplicate series for the match group {instance=\"a\"} on the right hand-side "
                            "of the operation: ["),
             qPrintable(err));
    QVERIFY(err.contains("{__name__=\"mem\", instance=\"a\", team=\"x\"}"));
    QVERIFY(err.contains("{__name__=\"mem\", instance=\"a\", team=\"y\"}"));
    QVERIFY(err.endsWith("];many-to-many matching not allowed: matching labels must be unique on one side"));

    // group_left with a unique one side works and keeps the many side's labels.
    const Value ok = evalOk(src, "mem / on(instance) group_left lim", 5 * kMin);
    QCOMPARE(ok.vector.size(), std::size_t{2});
    QCOMPARE(ok.vector[0].metric, labelsOf(R"({instance="a",team="x"})"));
    QCOMPARE(ok.vector[0].value, 1.2);
}

void TestPromqlEval::nanResults()
{
    const auto src = errorData();
    // promtool: histogram_quantile without a +Inf bucket -> {} NaN
    Value v = evalOk(src, "histogram_quantile(0.5, h_bucket)", 5 * kMin);
    QCOMPARE(v.vector.size(), std::size_t{1});
    QVERIFY(v.vector[0].metric.empty());
    QVERIFY(std::isnan(v.vector[0].value));
    // promtool: zero observations -> {} NaN
    v = evalOk(src, "histogram_quantile(0.5, h3_bucket)", 5 * kMin);
    QVERIFY(std::isnan(v.vector.at(0).value));
    // only one bucket (+Inf) -> NaN; quantile outside [0,1] -> ±Inf even then
    VectorSeriesSource one;
    one.add(labelsOf(R"(b_bucket{le="+Inf"})"), "0+3x5");
    QVERIFY(std::isnan(evalOk(one, "histogram_quantile(0.5, b_bucket)", kMin).vector.at(0).value));
    QCOMPARE(evalOk(one, "histogram_quantile(-1, b_bucket)", kMin).vector.at(0).value, -INFINITY);
    // promtool: scalar() of a two-element vector -> NaN
    v = evalOk(src, "scalar(cpu)", 5 * kMin);
    QCOMPARE(v.type, ValueType::Scalar);
    QVERIFY(std::isnan(v.scalar));
    QVERIFY(std::isnan(evalOk(src, "quantile(NaN, cpu)", 5 * kMin).vector.at(0).value));
    QVERIFY(std::isnan(evalOk(src, "ln(cpu - 100)", 5 * kMin).vector.at(0).value));
    QVERIFY(std::isnan(evalOk(src, "0 / 0", 0).scalar));
    QCOMPARE(evalOk(src, "1 / 0", 0).scalar, INFINITY);
    QCOMPARE(evalOk(src, "-1 / 0", 0).scalar, -INFINITY);
}

void TestPromqlEval::lookbackAndStaleness()
{
    VectorSeriesSource src;
    src.add(labelsOf(R"(x{a="1"})"), "1 _ _ _ _ _ _ _ _ _ 5");
    src.add(labelsOf(R"(y{a="1"})"), "1 2 stale 4");
    // promtool: a sample exactly lookback old is still seen (2.42: closed interval) ...
    QCOMPARE(evalOk(src, "x", 5 * kMin).vector.size(), std::size_t{1});
    // ... one millisecond later it is gone.
    QCOMPARE(evalOk(src, "x", 5 * kMin + 1).vector.size(), std::size_t{0});
    // a stale marker ends the series at once, until a new sample arrives
    QCOMPARE(evalOk(src, "y", 2 * kMin + 30'000).vector.size(), std::size_t{0});
    QCOMPARE(evalOk(src, "y", 3 * kMin).vector.at(0).value, 4.0);
    // promtool: offset looks back in time; count_over_time skips the marker
    QCOMPARE(evalOk(src, "y offset 1m", 2 * kMin).vector.at(0).value, 2.0);
    QCOMPARE(evalOk(src, "count_over_time(y[3m])", 3 * kMin).vector.at(0).value, 3.0);
    // promtool: range selectors include both ends in 2.42
    QCOMPARE(evalOk(src, "count_over_time(y[1m])", kMin).vector.at(0).value, 2.0);
    // a shorter lookback is honoured
    EvalOptions shortLookback;
    shortLookback.lookbackDeltaMs = kMin;
    auto e = parse("x");
    QCOMPARE(evalInstant(*e, src, 2 * kMin, shortLookback)->vector.size(), std::size_t{0});
    QCOMPARE(evalInstant(*e, src, kMin, shortLookback)->vector.size(), std::size_t{1});
}

void TestPromqlEval::rangeSelectorResult()
{
    VectorSeriesSource src;
    src.add(labelsOf(R"(y{a="1"})"), "1 2 stale 4 5");
    src.add(labelsOf(R"(y{a="0"})"), "7 _ 8");
    const Value v = evalOk(src, "y[2m]", 4 * kMin);
    QCOMPARE(v.type, ValueType::Matrix);
    QCOMPARE(v.matrix.size(), std::size_t{2});
    // sorted by labels; the stale marker is not a point; [t-2m, t] inclusive
    QCOMPARE(v.matrix[0].metric, labelsOf(R"(y{a="0"})"));
    QCOMPARE(v.matrix[0].points.size(), std::size_t{1});
    QCOMPARE(v.matrix[0].points[0].t, 2 * kMin);
    QCOMPARE(v.matrix[1].points.size(), std::size_t{2});
    QCOMPARE(v.matrix[1].points[0].t, 3 * kMin);
    QCOMPARE(v.matrix[1].points[1].v, 5.0);
    // subquery result as a matrix: aligned steps
    const Value sq = evalOk(src, "y[3m:1m]", 4 * kMin + 30'000);
    QCOMPARE(sq.matrix.size(), std::size_t{2});
    // steps at 2m, 3m, 4m (multiples of 1m from 1m30s on); at 2m y is stale
    QCOMPARE(sq.matrix[1].points.front().t, 3 * kMin);
    QCOMPARE(sq.matrix[1].points.size(), std::size_t{2});
    QCOMPARE(sq.matrix[0].points.size(), std::size_t{3}); // y{a="0"}: 2m, 3m, 4m via lookback
}

void TestPromqlEval::extrapolationEdges()
{
    VectorSeriesSource src;
    src.add(labelsOf(R"(x{a="1"})"), "1 _ _ _ _ _ _ _ _ _ 5");
    src.add(labelsOf(R"(y{a="1"})"), "1 2 stale 4");
    // promtool 2.42 values for the same data
    QCOMPARE(evalOk(src, "rate(x[10m])", 10 * kMin).vector.at(0).value, 6.666666666666667e-03);
    QCOMPARE(evalOk(src, "delta(x[20m])", 10 * kMin).vector.at(0).value, 8.0);
    QCOMPARE(evalOk(src, "increase(y[3m])", 3 * kMin).vector.at(0).value, 3.0);
    // fewer than two points: no result
    QCOMPARE(evalOk(src, "rate(x[5m])", 10 * kMin).vector.size(), std::size_t{0});
}

void TestPromqlEval::absentLabels()
{
    VectorSeriesSource src;
    src.add(labelsOf(R"(up{job="a"})"), "1+0x5");
    QCOMPARE(evalOk(src, "absent(up)", kMin).vector.size(), std::size_t{0});
    Value v = evalOk(src, R"(absent(nope{job="x", env=~"p.*", team="t", team="u"}))", kMin);
    QCOMPARE(v.vector.size(), std::size_t{1});
    QCOMPARE(v.vector[0].metric, labelsOf(R"({job="x"})"));
    QCOMPARE(v.vector[0].value, 1.0);
    v = evalOk(src, R"(absent_over_time(up{job="b"}[5m]))", kMin);
    QCOMPARE(v.vector.at(0).metric, labelsOf(R"({job="b"})"));
}

void TestPromqlEval::sortAndTopkOrder()
{
    VectorSeriesSource src;
    src.add(labelsOf(R"(y{a="1"})"), "2");
    src.add(labelsOf(R"(y{a="2"})"), "3");
    src.add(labelsOf(R"(y{a="3"})"), "NaN");
    src.add(labelsOf(R"(y{a="4"})"), "1");
    auto values = [&](const char *expr) {
        std::vector<std::string> out;
        for (const auto &s : evalOk(src, expr, 0).vector)
            out.push_back(s.metric.get("a"));
        return out;
    };
    // NaN goes to the bottom for both sorts (functions.go: "NaN should sort to the bottom").
    QCOMPARE(values("sort(y)"), (std::vector<std::string>{"4", "1", "2", "3"}));
    QCOMPARE(values("sort_desc(y)"), (std::vector<std::string>{"2", "1", "4", "3"}));
    QCOMPARE(values("topk(2, y)"), (std::vector<std::string>{"2", "1"}));
    QCOMPARE(values("bottomk(2, y)"), (std::vector<std::string>{"4", "1"}));
    QCOMPARE(values("topk(0, y)"), (std::vector<std::string>{}));
    // without sort, results come back ordered by labels
    QCOMPARE(values("y * 1"), (std::vector<std::string>{"1", "2", "3", "4"}));
    // Ties: Prometheus keeps whichever series its storage yields first (promtool's order
    // is random); we feed series in label order, so the result is deterministic.
    VectorSeriesSource tied;
    for (const char *a : {"c", "a", "b"})
        tied.add(Labels{{"__name__", "t"}, {"a", a}}, "5");
    QCOMPARE(evalOk(tied, "topk(1, t)", 0).vector.at(0).metric.get("a"), std::string("a"));
    QCOMPARE(evalOk(tied, "bottomk(2, t)", 0).vector.size(), std::size_t{2});
    QCOMPARE(evalOk(tied, "bottomk(1, t)", 0).vector.at(0).metric.get("a"), std::string("a"));
}

void TestPromqlEval::powerFollowsGo()
{
    // Go's math.Pow: 1/Sqrt(x) for y = -0.5 (promtool printed 7.071067811865475e-01 for
    // 2 ^ -0.5), repeated squaring for integer exponents, special cases for 0 and Inf.
    VectorSeriesSource src;
    QCOMPARE(evalOk(src, "2 ^ -0.5", 0).scalar, 1 / std::sqrt(2.0));
    QCOMPARE(evalOk(src, "3 ^ 4", 0).scalar, 81.0);
    QCOMPARE(evalOk(src, "(-8) ^ (1/3)", 0).scalar != evalOk(src, "(-8) ^ (1/3)", 0).scalar, true); // NaN
    QCOMPARE(evalOk(src, "0 ^ -1", 0).scalar, INFINITY);
    QCOMPARE(evalOk(src, "NaN ^ 0", 0).scalar, 1.0);
    QCOMPARE(evalOk(src, "(-1) ^ Inf", 0).scalar, 1.0);
    QCOMPARE(evalOk(src, "0.5 ^ Inf", 0).scalar, 0.0);
    QCOMPARE(evalOk(src, "2 ^ 0.5", 0).scalar, std::sqrt(2.0));
}

void TestPromqlEval::rangeQueryShape()
{
    VectorSeriesSource src;
    src.add(labelsOf(R"(c{a="1"})"), "0+60x30");
    src.add(labelsOf(R"(c{a="2"})"), "_ _ _ _ _ _ _ _ _ _ 0+120x10");
    auto e = parse("rate(c[2m])");
    auto r = evalRange(*e, src, 0, 20 * kMin, kMin);
    QVERIFY(r.ok());
    QCOMPARE(r->matrix.size(), std::size_t{2});
    QCOMPARE(r->matrix[0].metric, labelsOf(R"({a="1"})"));
    QCOMPARE(r->matrix[0].points.size(), std::size_t{20}); // from 1m on (needs 2 points)
    QCOMPARE(r->matrix[0].points.front().t, kMin);
    // at 1m the counter's zero point limits extrapolation to the sampled minute
    QCOMPARE(r->matrix[0].points.front().v, 0.5);
    for (std::size_t i = 1; i < r->matrix[0].points.size(); ++i)
        QCOMPARE(r->matrix[0].points[i].v, 1.0);
    QCOMPARE(r->matrix[1].points.size(), std::size_t{10}); // 11m..20m
    QCOMPARE(r->matrix[1].points.back().v, 2.0);
    // scalar expressions give one unlabelled series
    auto t = evalRange(*parse("time() * 2"), src, 0, 2 * kMin, kMin);
    QCOMPARE(t->matrix.size(), std::size_t{1});
    QVERIFY(t->matrix[0].metric.empty());
    QCOMPARE(t->matrix[0].points[2].v, 240.0);
}

void TestPromqlEval::rangeQueryRejectsBadInput()
{
    VectorSeriesSource src;
    auto e = parse("x[5m]");
    QCOMPARE(QString::fromStdString(evalRange(*e, src, 0, 1, 1).error()),
             QString("invalid expression type \"range vector\" for range query, must be Scalar or instant Vector"));
    auto v = parse("x");
    QVERIFY(!evalRange(*v, src, 0, 10, 0).ok());
    QVERIFY(!evalRange(*v, src, 10, 0, 1).ok());
    QVERIFY(!evalInstant(Expr(), src, 0).ok());
}

void TestPromqlEval::fetchesEachSelectorOnce()
{
    VectorSeriesSource src;
    src.add(labelsOf(R"(c{a="1"})"), "0+60x30");
    auto e = parse("rate(c[5m]) / on(a) c + max_over_time(c[10m:1m])");
    QVERIFY(e.ok());
    src.selectCalls = 0;
    auto r = evalRange(*e, src, 0, 30 * kMin, 15'000);
    QVERIFY(r.ok());
    QCOMPARE(src.selectCalls, 3); // one per selector for the whole range, not per step
}

void TestPromqlEval::manySeriesPerformance()
{
    // Rule-like load: 5000 counters, 1 h of 15 s samples, rate + sum by.
    VectorSeriesSource src;
    for (int i = 0; i < 5000; ++i) {
        std::vector<Point> pts;
        for (int s = 0; s < 240; ++s)
            pts.push_back(Point{s * 15'000LL, double(s * (i % 7 + 1))});
        src.addPoints(Labels{{"__name__", "req_total"}, {"pod", "p" + std::to_string(i)},
                             {"job", "j" + std::to_string(i % 10)}},
                      std::move(pts));
    }
    auto e = parse("sum by (job) (rate(req_total[5m])) > 0");
    QVERIFY(e.ok());
    QElapsedTimer timer;
    timer.start();
    auto v = evalInstant(*e, src, 3'600'000 - 15'000);
    const qint64 ms = timer.elapsed();
    QVERIFY(v.ok());
    QCOMPARE(v->vector.size(), std::size_t{10});
    // 5000 series, 21 points each in the 5m window; every job has 500 pods of rates (k+1)/15.
    double expected = 0;
    for (int i = 0; i < 5000; ++i)
        if (i % 10 == 0)
            expected += (i % 7 + 1) / 15.0;
    QVERIFY(std::abs(v->vector[0].value - expected) < 1e-9);
    qInfo("instant query over 5000 series (select + rate + sum by): %lld ms", ms);
}

QTEST_GUILESS_MAIN(TestPromqlEval)
#include "tst_promql_eval.moc"
