// HealthHistoryModel and the runbook metric table: ring buffer behaviour, thresholds,
// thinning that keeps breaches visible, and the item-model contract.
#include "models/health_history_model.h"
#include "models/health_metric.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace opsdeck;
using models::HealthHistoryModel;
using models::HealthMetric;

namespace {
sim::HealthSnapshot sample(std::int64_t tMs, double requestsPerMin = 6000, double success = 0.99)
{
    sim::HealthSnapshot s;
    s.timeMs = tMs;
    s.requestRatePerMin = requestsPerMin;
    s.successRate = success;
    s.avgTaskLatencySec = 12;
    s.virtualComputerUtilization = 0.5;
    s.modelInferenceP99Sec = 0.8;
    return s;
}

std::vector<sim::HealthSnapshot> samples(std::int64_t fromMs, int count, std::int64_t stepMs = 5000)
{
    std::vector<sim::HealthSnapshot> out;
    for (int i = 0; i < count; ++i)
        out.push_back(sample(fromMs + i * stepMs));
    return out;
}
} // namespace

class TestHealthHistoryModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void thresholdsMatchTheRunbook()
    {
        using models::healthMetricInfo;
        QCOMPARE(healthMetricInfo(HealthMetric::RequestRate).threshold, 10000.0);
        QCOMPARE(healthMetricInfo(HealthMetric::RequestRate).severity, models::Severity::P2);
        QCOMPARE(healthMetricInfo(HealthMetric::SuccessRate).threshold, 0.95);
        QCOMPARE(healthMetricInfo(HealthMetric::SuccessRate).severity, models::Severity::P1);
        QCOMPARE(healthMetricInfo(HealthMetric::AverageTaskLatency).threshold, 30.0);
        QCOMPARE(healthMetricInfo(HealthMetric::VcUtilization).threshold, 0.80);
        QCOMPARE(healthMetricInfo(HealthMetric::InferenceLatencyP99).threshold, 2.0);
        QCOMPARE(healthMetricInfo(HealthMetric::InferenceLatencyP99).severity, models::Severity::P1);
    }

    void breachSidesAndBoundaries()
    {
        using models::isBreach;
        QVERIFY(isBreach(HealthMetric::RequestRate, 10001));
        QVERIFY(!isBreach(HealthMetric::RequestRate, 10000)); // "> threshold", not ">="
        QVERIFY(isBreach(HealthMetric::SuccessRate, 0.949));
        QVERIFY(!isBreach(HealthMetric::SuccessRate, 0.95));
        QVERIFY(isBreach(HealthMetric::VcUtilization, 0.81));
        QVERIFY(!isBreach(HealthMetric::InferenceLatencyP99, 1.99));
        QVERIFY(!isBreach(HealthMetric::AverageTaskLatency, qQNaN())); // no data is not a breach
    }

    void formatsForReadingAtAGlance()
    {
        QLocale::setDefault(QLocale::c());
        QCOMPARE(models::formatHealthValue(HealthMetric::SuccessRate, 0.9731), QStringLiteral("97.31 %"));
        QCOMPARE(models::formatHealthValue(HealthMetric::VcUtilization, 0.8), QStringLiteral("80.0 %"));
        QCOMPARE(models::formatHealthValue(HealthMetric::InferenceLatencyP99, 1.844), QStringLiteral("1.84 s"));
        QCOMPARE(models::formatThreshold(HealthMetric::SuccessRate), QStringLiteral("< 95 %"));
        QVERIFY(models::formatThreshold(HealthMetric::RequestRate).startsWith(QLatin1String("> 10")));
    }

    void appendsRowsWithValuesAndBreachRole()
    {
        HealthHistoryModel model(100);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.append({sample(0), sample(5000, 12000, 0.90)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(HealthHistoryModel::NUM_COLUMNS));
        QCOMPARE(inserted.count(), 1); // one batch, one insert

        const int rate = HealthHistoryModel::columnFor(HealthMetric::RequestRate);
        const int success = HealthHistoryModel::columnFor(HealthMetric::SuccessRate);
        QCOMPARE(model.index(1, rate).data(HealthHistoryModel::ValueRole).toDouble(), 12000.0);
        QCOMPARE(model.index(0, rate).data(HealthHistoryModel::BreachRole).toBool(), false);
        QCOMPARE(model.index(1, rate).data(HealthHistoryModel::BreachRole).toBool(), true);
        QCOMPARE(model.index(1, success).data(HealthHistoryModel::BreachRole).toBool(), true);
        QCOMPARE(model.index(1, 0).data(HealthHistoryModel::TimeMsRole).toLongLong(), 5000);
        QCOMPARE(model.index(1, 0).data().toString(), QStringLiteral("0:00:05"));
        QCOMPARE(model.headerData(rate, Qt::Horizontal).toString(),
                 models::healthMetricInfo(HealthMetric::RequestRate).title);
        QVERIFY(!model.index(0, 0).data(Qt::DecorationRole).isValid());
    }

    void skipsSamplesThatAreNotNewer()
    {
        HealthHistoryModel model(100);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append(samples(0, 3));         // 0, 5, 10 s
        model.append(samples(5000, 3));      // 5, 10, 15 s: only 15 s is new
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.latestTimeMs(), 15000);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.append(samples(0, 2));
        QCOMPARE(inserted.count(), 0);
    }

    void dropsOldestBeyondCapacity()
    {
        HealthHistoryModel model(5);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append(samples(0, 3));
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.append(samples(15000, 4));     // 7 samples in all, room for 5
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(model.index(0, 0).data(HealthHistoryModel::TimeMsRole).toLongLong(), 10000);
        QCOMPARE(model.latestTimeMs(), 30000);

        model.append(samples(100000, 12));   // a burst larger than the ring
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.index(0, 0).data(HealthHistoryModel::TimeMsRole).toLongLong(), 100000 + 7 * 5000);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(model.isEmpty());
    }

    void pointsSelectTheWindowInDisplayUnits()
    {
        HealthHistoryModel model(1000);
        model.append(samples(0, 100)); // 0..495 s
        const auto pts = model.points(HealthMetric::SuccessRate, 100000, 200000);
        QCOMPARE(pts.size(), 21); // 100, 105, ..., 200 s inclusive
        QCOMPARE(pts.first().x(), 100000.0);
        QCOMPARE(pts.last().x(), 200000.0);
        QCOMPARE(pts.first().y(), 99.0); // ratio shown as percent
        QVERIFY(model.points(HealthMetric::SuccessRate, 600000, 700000).isEmpty());
        QVERIFY(model.points(HealthMetric::SuccessRate, 200000, 100000).isEmpty());
    }

    void thinningKeepsTheWorstValueOfEachBucket()
    {
        HealthHistoryModel model(1000);
        auto data = samples(0, 100);
        data[37].requestRatePerMin = 50000; // one short spike
        data[61].successRate = 0.5;         // one short dip
        model.append(data);
        const auto rate = model.points(HealthMetric::RequestRate, 0, 1000000, 10);
        QCOMPARE(rate.size(), 10);
        const auto maxRate = std::max_element(rate.begin(), rate.end(),
                                              [](auto a, auto b) { return a.y() < b.y(); });
        QCOMPARE(maxRate->y(), 50000.0);
        const auto success = model.points(HealthMetric::SuccessRate, 0, 1000000, 10);
        const auto minSuccess = std::min_element(success.begin(), success.end(),
                                                 [](auto a, auto b) { return a.y() < b.y(); });
        QCOMPARE(minSuccess->y(), 50.0);
    }

    void snapshotsFeedHistoryAndEpoch()
    {
        HealthHistoryModel model(100);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto snap = std::make_shared<backends::ClusterSnapshot>();
        snap->timeMs = 10000;
        snap->epochMs = 1752969600000 + 10000;
        snap->health = sample(10000);
        snap->healthSincePrevious = samples(0, 3);
        model.onSnapshot(snap);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.epochOffsetMs(), std::int64_t(1752969600000));

        auto single = std::make_shared<backends::ClusterSnapshot>();
        single->timeMs = 20000;
        single->health = sample(20000, 7777);
        model.onSnapshot(single); // no samples: the headline health is the point
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.latest().requestRatePerMin, 7777.0);
        model.onSnapshot(nullptr);
        QCOMPARE(model.rowCount(), 4);
    }
};

QTEST_GUILESS_MAIN(TestHealthHistoryModel)
#include "tst_health_history_model.moc"
