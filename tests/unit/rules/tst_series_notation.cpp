// promtool's input_series notation, including the corners: `0x20` is not hexadecimal,
// `_xN` adds N gaps while `axN` adds N+1 values, and `stale` is the marker NaN.
#include "backends/telemetry/rules/series_notation.h"
#include "backends/telemetry/series_source.h"

#include <QTest>

#include <cmath>

using namespace opsdeck::telemetry;
using namespace opsdeck::telemetry::rules;

namespace {
using Values = std::vector<std::optional<double>>;
Values values(const char *text)
{
    auto v = parseSeriesValues(text);
    if (!v)
        qFatal("unexpected error: %s", v.error().c_str());
    return *v;
}
} // namespace

class TestSeriesNotation : public QObject
{
    Q_OBJECT
private slots:
    void expandingNotation()
    {
        QCOMPARE(values("0+10x3"), (Values{0, 10, 20, 30}));
        QCOMPARE(values("1-1x5"), (Values{1, 0, -1, -2, -3, -4}));
        QCOMPARE(values("7x2"), (Values{7, 7, 7}));
        QCOMPARE(values("1 _ 3"), (Values{1, std::nullopt, 3}));
        QCOMPARE(values("_x3 4"), (Values{std::nullopt, std::nullopt, std::nullopt, 4}));
        QCOMPARE(values("0x2"), (Values{0, 0, 0})); // not hex 0x2
        QCOMPARE(values("-2+0.5x2"), (Values{-2, -1.5, -1}));
        QCOMPARE(values("1e3 2.5"), (Values{1000, 2.5}));
        QCOMPARE(values(""), Values{});
    }

    void specialValues()
    {
        const Values v = values("stale NaN Inf -Inf");
        QCOMPARE(v.size(), std::size_t(4));
        QVERIFY(isStaleNaN(*v[0]));
        QVERIFY(std::isnan(*v[1]) && !isStaleNaN(*v[1]));
        QVERIFY(std::isinf(*v[2]) && *v[2] > 0);
        QVERIFY(std::isinf(*v[3]) && *v[3] < 0);
    }

    void badValuesAreErrorsWithPosition_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("word") << "1 abc";
        QTest::newRow("plus without x") << "1+1";
        QTest::newRow("x without count") << "1x";
        QTest::newRow("gap with junk") << "_y";
        QTest::newRow("infinity spelled out") << "infinity";
    }
    void badValuesAreErrorsWithPosition()
    {
        QFETCH(QString, text);
        auto v = parseSeriesValues(text.toStdString());
        QVERIFY(!v.ok());
        QVERIFY2(v.error().rfind("1:", 0) == 0, v.error().c_str());
    }

    void seriesDescriptions()
    {
        auto l = parseSeriesLabels("up{job=\"api\", instance=\"a:9100\",}");
        QVERIFY(l.ok());
        QCOMPARE(*l, Labels({{"__name__", "up"}, {"job", "api"}, {"instance", "a:9100"}}));
        l = parseSeriesLabels("job:requests:rate5m");
        QCOMPARE(l->name(), std::string("job:requests:rate5m"));
        l = parseSeriesLabels("{__name__=\"x\", a=\"quote\\\"d\"}");
        QCOMPARE(l->get("a"), std::string("quote\"d"));
        QVERIFY(parseSeriesLabels("{}").ok());
        QVERIFY(!parseSeriesLabels("up{job=api}").ok());
        QVERIFY(!parseSeriesLabels("up{job=\"api\"").ok());
        QVERIFY(!parseSeriesLabels("up extra").ok());
        QVERIFY(!parseSeriesLabels("").ok());
    }
};

QTEST_GUILESS_MAIN(TestSeriesNotation)
#include "tst_series_notation.moc"
