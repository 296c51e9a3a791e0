// PanelDataModel: the step it picks for a range and width, series from the simulated
// cluster through the real PromQL engine, one query in flight per panel, stale results
// dropped, errors kept and shown. Passes QAbstractItemModelTester throughout.
#include "backends/simulated/simulated_backend.h"
#include "models/panel_data_model.h"
#include "panel_test_fixtures.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace opsdeck;
using models::PanelDataModel;

namespace {
constexpr qint64 kMinute = 60 * 1000;

backends::SimulatedBackendOptions stepOptions()
{
    backends::SimulatedBackendOptions o;
    o.config.seed = 7;
    o.threaded = false;
    return o;
}

models::PanelDefinition definition(const QString &query)
{
    models::PanelDefinition d;
    d.title = QStringLiteral("test");
    d.query = query;
    d.unit = models::PanelUnit::PerSecond;
    d.legendFormat = QStringLiteral("{{job}}");
    return d;
}
} // namespace

class TestPanelDataModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stepKeepsAtMostOnePointPerPixelColumn_data()
    {
        QTest::addColumn<qint64>("range");
        QTest::addColumn<int>("width");
        QTest::addColumn<qint64>("step");
        QTest::newRow("15m on 900 px") << 15 * kMinute << 900 << qint64(1000);
        QTest::newRow("15m on 400 px") << 15 * kMinute << 400 << qint64(5000);
        QTest::newRow("1h on 1000 px") << 60 * kMinute << 1000 << qint64(5000);
        QTest::newRow("6h on 600 px") << 360 * kMinute << 600 << qint64(60000);
        QTest::newRow("24h on 1000 px") << 1440 * kMinute << 1000 << qint64(120000);
        QTest::newRow("24h on 50 px") << 1440 * kMinute << 50 << qint64(1800000);
        QTest::newRow("never under the scrape interval") << 15 * kMinute << 5000 << qint64(1000);
    }
    void stepKeepsAtMostOnePointPerPixelColumn()
    {
        QFETCH(qint64, range);
        QFETCH(int, width);
        QFETCH(qint64, step);
        const qint64 chosen = PanelDataModel::chooseStepMs(range, width);
        QCOMPARE(chosen, step);
        QVERIFY(range / chosen <= std::max<qint64>(width, range / 1000));
    }

    void seriesFromTheSimulatedCluster()
    {
        backends::SimulatedBackend backend(stepOptions());
        PanelDataModel model(&backend, definition(QStringLiteral(
                                           "sum by (job) (rate(http_requests_total{job=~\"$component\"}[5m]))")));
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setWidthPx(900); // 15 min on 900 columns: 1 s steps
        QSignalSpy changed(&model, &PanelDataModel::resultChanged);
        backend.step(20 * kMinute);
        // Results are turned into rows off the UI thread: wait for the newest one.
        QTRY_VERIFY(model.hasResult() && !model.isQueryInFlight());
        QVERIFY2(model.error().isEmpty(), qPrintable(model.error()));
        QVERIFY(model.rowCount() >= 10); // every service that serves HTTP
        QCOMPARE(model.toMs() - model.fromMs(), 15 * kMinute);
        QCOMPARE(model.toMs(), backend.latestSnapshot()->epochMs / 1000 * 1000);
        QStringList legends;
        for (int r = 0; r < model.rowCount(); ++r) {
            legends << model.index(r, PanelDataModel::LegendColumn).data().toString();
            const int points = model.index(r, PanelDataModel::PointsColumn).data().toInt();
            QVERIFY(points > 800 && points <= 901); // 1 s steps over 15 minutes
            QVERIFY(model.index(r, 0).data(PanelDataModel::LastValueRole).toDouble() > 0);
        }
        QVERIFY(legends.contains(QStringLiteral("model-server")));
        QVERIFY(std::is_sorted(legends.begin(), legends.end()));

        // The component filter narrows a $component query to that service.
        model.setComponentFilter(QStringLiteral("model-server"));
        QVERIFY(model.effectiveQuery().contains(QLatin1String("job=~\"model-server\"")));
        QTRY_COMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("model-server"));

        // A longer range: a coarser step, the x span follows.
        model.setRangeMs(60 * kMinute);
        QTRY_COMPARE(model.toMs() - model.fromMs(), 60 * kMinute);
        QCOMPARE(model.stepMs(), qint64(5000));
        QVERIFY(model.index(0, PanelDataModel::PointsColumn).data().toInt() <= 721);
        QVERIFY(changed.count() >= 3);
    }

    void throttledToOneQueryPerStep()
    {
        backends::SimulatedBackend backend(stepOptions());
        PanelDataModel model(&backend, definition(QStringLiteral("sum(up)")));
        model.setWidthPx(90); // 15 min / 90 columns -> 10 s steps
        QCOMPARE(model.stepMs(), qint64(10000));
        backend.step(10 * kMinute);
        QTRY_VERIFY(model.hasResult());
        const int before = model.queriesIssued();
        // Snapshots one second apart, each seen by the UI as a live console sees them:
        // only every tenth moves the aligned end.
        for (int i = 0; i < 30; ++i) {
            backend.step(1000);
            QTRY_VERIFY(!model.isQueryInFlight());
        }
        QVERIFY2(model.queriesIssued() - before <= 4, qPrintable(QString::number(model.queriesIssued() - before)));
        QVERIFY(model.queriesIssued() - before >= 2);

        // Inactive (dashboard not on screen): no queries at all.
        model.setActive(false);
        const int inactive = model.queriesIssued();
        backend.step(kMinute);
        QCOMPARE(model.queriesIssued(), inactive);
        model.setActive(true); // back on screen: refreshed at once
        QCOMPARE(model.queriesIssued(), inactive + 1);
    }

    void staleResultsAreDropped()
    {
        panel_fixtures::ManualQueryBackend backend;
        PanelDataModel model(&backend, definition(QStringLiteral("up")));
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setWidthPx(900);
        backend.publish(1752969600000 + 30 * kMinute);
        QCOMPARE(backend.requests.size(), std::size_t(1));
        QCOMPARE(backend.requests[0].endMs - backend.requests[0].startMs, 15 * kMinute);

        // The user switches to 1 h while the 15 min query runs: no second query in flight.
        model.setRangeMs(60 * kMinute);
        backend.publish(1752969600000 + 31 * kMinute);
        QCOMPARE(backend.requests.size(), std::size_t(1));
        QVERIFY(model.isQueryInFlight());

        // The 15 min answer arrives: dropped, and the 1 h query goes out right away.
        backend.answer(0, 1.0);
        QTRY_COMPARE(model.staleResultsDropped(), 1);
        QVERIFY(!model.hasResult());
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(backend.requests.size(), std::size_t(2));
        QCOMPARE(backend.requests[1].endMs - backend.requests[1].startMs, 60 * kMinute);

        backend.answer(1, 2.0);
        QTRY_VERIFY(model.hasResult());
        QCOMPARE(model.toMs() - model.fromMs(), 60 * kMinute);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, 0).data(PanelDataModel::LastValueRole).toDouble(), 2.0);

        // A failing query keeps its error for the panel to show, and clears the series.
        model.refresh();
        QCOMPARE(backend.requests.size(), std::size_t(3));
        backend.fail(2, "1:4: parse error: unexpected end of input");
        QTRY_VERIFY(!model.error().isEmpty());
        QVERIFY(model.error().contains(QLatin1String("1:4: parse error")));
        QCOMPARE(model.rowCount(), 0);
    }

    void nonMatrixResultsAreAnError()
    {
        backends::SimulatedBackend backend(stepOptions());
        PanelDataModel model(&backend, definition(QStringLiteral("\"a string\"")));
        backend.step(kMinute);
        QTRY_VERIFY(model.hasResult());
        QVERIFY2(!model.error().isEmpty(), "a string query must not plot silently");
    }
};

QTEST_GUILESS_MAIN(TestPanelDataModel)
#include "tst_panel_data_model.moc"
