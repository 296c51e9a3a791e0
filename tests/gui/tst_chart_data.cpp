// The dashboard charts' arithmetic (widgets/metric_chart_data): what is drawn must stay
// faithful to the data at pixel resolution while Qt Charts gets as few vertices as can be.
#include "widgets/metric_chart_data.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace opsdeck::widgets;

namespace {
// Largest distance, in pixels, from a data point to the drawn segment that spans its
// time (to that segment's line, as a pen of that width covers it), over every point.
double worstErrorPx(const QList<QPointF> &data, const QList<QPointF> &drawn, double pxPerX, double pxPerY)
{
    double worst = 0;
    qsizetype j = 0;
    for (const QPointF &p : data) {
        while (j + 2 < drawn.size() && drawn[j + 1].x() < p.x())
            ++j;
        const double ax = drawn[j].x() * pxPerX, ay = drawn[j].y() * pxPerY;
        const double dx = drawn[j + 1].x() * pxPerX - ax, dy = drawn[j + 1].y() * pxPerY - ay;
        const double px = p.x() * pxPerX - ax, py = p.y() * pxPerY - ay;
        const double length = std::hypot(dx, dy);
        worst = std::max(worst, length > 0 ? std::abs(px * dy - py * dx) / length : std::hypot(px, py));
    }
    return worst;
}
} // namespace

class TestChartData : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void simplifyCollapsesStraightAndFlatStretches()
    {
        QList<QPointF> flat, ramp;
        for (int i = 0; i < 3600; ++i) {
            flat.append(QPointF(i * 1000.0, 42.0));
            ramp.append(QPointF(i * 1000.0, i * 0.5));
        }
        chartdata::simplify(flat, 600.0 / 3.6e6, 200.0 / 100.0, 0.33);
        QCOMPARE(flat.size(), 2); // first and last
        QCOMPARE(flat.first(), QPointF(0, 42));
        QCOMPARE(flat.last(), QPointF(3599000.0, 42));
        chartdata::simplify(ramp, 600.0 / 3.6e6, 200.0 / 1800.0, 0.33);
        QCOMPARE(ramp.size(), 2);
    }

    void simplifyKeepsSpikesAndStaysWithinTolerance()
    {
        std::mt19937 rng(7);
        std::normal_distribution<double> noise(0, 0.5);
        QList<QPointF> data;
        for (int i = 0; i < 2000; ++i) // a smooth wave with noise and one spike
            data.append(QPointF(i, 50 + 20 * std::sin(i / 150.0) + noise(rng) + (i == 1234 ? 40 : 0)));
        const double pxPerX = 800.0 / 2000, pxPerY = 300.0 / 120;
        QList<QPointF> drawn = data;
        chartdata::simplify(drawn, pxPerX, pxPerY, 0.33);
        QVERIFY2(drawn.size() < data.size(), "nothing simplified");
        QVERIFY(drawn.size() > 10);
        QVERIFY(drawn.contains(data[1234])); // the spike survives
        QCOMPARE(drawn.first(), data.first());
        QCOMPARE(drawn.last(), data.last());
        for (qsizetype i = 1; i < drawn.size(); ++i)
            QVERIFY(drawn[i].x() > drawn[i - 1].x()); // still in time order
        const double error = worstErrorPx(data, drawn, pxPerX, pxPerY);
        QVERIFY2(error <= 0.33 + 1e-9, qPrintable(QString::number(error)));
    }

    void simplifyLeavesShortOrUnscaledInputAlone()
    {
        QList<QPointF> two{{0, 1}, {1, 5}};
        chartdata::simplify(two, 1, 1, 0.33);
        QCOMPARE(two.size(), 2);
        QList<QPointF> three{{0, 1}, {1, 1}, {2, 1}};
        chartdata::simplify(three, 0, 1, 0.33); // no plot yet: keep everything
        QCOMPARE(three.size(), 3);
    }

    void decimateKeepsEachColumnsExtremes()
    {
        QList<QPointF> data;
        for (int i = 0; i < 1000; ++i)
            data.append(QPointF(i, i % 10 == 3 ? 100 : 0));
        chartdata::Transform tf{0, 1000, 0, 1, 50}; // 20 points per column
        QList<QPointF> out;
        chartdata::decimate(data, tf, out);
        QVERIFY(out.size() <= 100);
        int peaks = 0;
        for (const QPointF &p : out)
            peaks += p.y() == 100;
        QCOMPARE(peaks, 50); // every column's spike is still drawn
    }

    void niceRangeHasRoundTicksAndStartsAtZero()
    {
        const chartdata::YRange r = chartdata::niceRange(3, 97, -qInf(), qInf(), false);
        QCOMPARE(r.lo, 0.0);
        QVERIFY(r.hi >= 97);
        QVERIFY(r.ticks >= 2 && r.ticks <= 11);
        const double step = (r.hi - r.lo) / (r.ticks - 1);
        QCOMPARE(std::fmod(step, 5.0), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestChartData)
#include "tst_chart_data.moc"
