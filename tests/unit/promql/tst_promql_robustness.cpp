// Hostile and malformed input: every query either parses and evaluates or returns an
// error that says where and why; nothing crashes, hangs or exhausts the stack.
#include "promtool_cases.h"
#include "test_support.h"

#include <QtTest>

#include <random>

using namespace opsdeck::telemetry;
using namespace opsdeck::telemetry::promql;
using namespace opsdeck::telemetry::promql::test;

class TestPromqlRobustness : public QObject {
    Q_OBJECT
private slots:
    void deepNestingIsAnError_data();
    void deepNestingIsAnError();
    void limitsAreErrors();
    void mutatedQueriesNeverCrash();
};

void TestPromqlRobustness::deepNestingIsAnError_data()
{
    QTest::addColumn<QString>("query");
    const int n = 100'000;
    QTest::newRow("parens") << QString("(").repeated(n) + "1" + QString(")").repeated(n);
    QTest::newRow("unclosed parens") << QString("(").repeated(n);
    QTest::newRow("unary minus") << QString("-").repeated(n) + "x";
    QTest::newRow("left chain") << "x" + QString(" + x").repeated(n);
    QTest::newRow("right chain") << "x" + QString(" ^ x").repeated(n);
    QTest::newRow("calls") << QString("abs(").repeated(n) + "x" + QString(")").repeated(n);
    QTest::newRow("aggregations") << QString("sum(").repeated(n) + "x" + QString(")").repeated(n);
}

void TestPromqlRobustness::deepNestingIsAnError()
{
    QFETCH(QString, query);
    auto e = parse(query.toStdString());
    QVERIFY(!e.ok());
    QVERIFY2(QString::fromStdString(e.error()).contains("parse error"), e.error().c_str());
    // long but sane expressions still work (a 200-term sum, 100 nested parens)
    std::string sum = "x";
    for (int i = 0; i < 200; ++i)
        sum += " + x";
    QVERIFY(parse(sum).ok());
    QVERIFY(parse(std::string(100, '(') + "x" + std::string(100, ')')).ok());
}

void TestPromqlRobustness::limitsAreErrors()
{
    VectorSeriesSource src;
    src.add(labelsOf("x"), "1+1x10");
    auto big = parse("x[99999999999999999999y]");
    QVERIFY(!big.ok());
    QVERIFY2(QString::fromStdString(big.error()).startsWith("1:3: parse error:"), big.error().c_str());
    auto sub = parse("max_over_time(x[10y:1ms])");
    QVERIFY(sub.ok());
    auto r = evalInstant(*sub, src, 60'000);
    QVERIFY(!r.ok());
    QVERIFY2(QString::fromStdString(r.error()).contains("more than 1000000 steps"), r.error().c_str());
    EvalOptions noStep;
    noStep.defaultSubqueryStepMs = 0;
    auto defaultStep = parse("max_over_time(x[5m:])");
    QVERIFY(!evalInstant(*defaultStep, src, 60'000, noStep).ok());
    auto range = evalRange(*parse("x"), src, 0, 100'000'000, 1);
    QVERIFY(!range.ok());
    QVERIFY(QString::fromStdString(range.error()).startsWith("exceeded maximum resolution of 11,000 points"));
}

void TestPromqlRobustness::mutatedQueriesNeverCrash()
{
    VectorSeriesSource src;
    for (const auto &s : promtoolSeries())
        src.add(labelsOf(s.series), s.values);
    std::mt19937 rng(20261128); // fixed seed: the same mutations every run
    const std::string alphabet = "(){}[],:=~!+-*/%^<>\"'`@ #0123456789.eExabcmhsdwy_\\\n";
    int parsed = 0, evaluated = 0, failedCleanly = 0;
    for (const auto &c : promtoolCases()) {
        const std::string original = c.expr;
        for (int round = 0; round < 40; ++round) {
            std::string q = original;
            const int edits = 1 + static_cast<int>(rng() % 3);
            for (int e = 0; e < edits && !q.empty(); ++e) {
                const std::size_t at = rng() % q.size();
                switch (rng() % 3) {
                case 0: q.erase(at, 1); break;
                case 1: q.insert(q.begin() + static_cast<long>(at), alphabet[rng() % alphabet.size()]); break;
                default: q[at] = alphabet[rng() % alphabet.size()]; break;
                }
            }
            auto expr = parse(q);
            if (!expr) {
                // errors carry a position first
                QVERIFY2(QChar::fromLatin1(expr.error()[0]).isDigit(), (q + " -> " + expr.error()).c_str());
                ++failedCleanly;
                continue;
            }
            ++parsed;
            // what parses must print and re-parse to the same text
            auto again = parse(expr->toString());
            QVERIFY2(again.ok(), (q + " printed as " + expr->toString()).c_str());
            QCOMPARE(QString::fromStdString(again->toString()), QString::fromStdString(expr->toString()));
            if (expr->root()->type == ValueType::String)
                continue;
            auto v = evalInstant(*expr, src, 10 * 60'000);
            if (v)
                ++evaluated;
            else
                QVERIFY(!v.error().empty());
        }
    }
    qInfo("mutated queries: %d rejected with an error, %d parsed, %d evaluated", failedCleanly, parsed, evaluated);
    QVERIFY(parsed > 100);
    QVERIFY(failedCleanly > 100);
}

QTEST_GUILESS_MAIN(TestPromqlRobustness)
#include "tst_promql_robustness.moc"
