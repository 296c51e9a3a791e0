// AlertQueueModel: QAbstractItemModelTester through inserts, updates and removals,
// merging in place (selection survives), and the texts/colours/roles a view shows.
#include "alert_test_util.h"

#include "backends/telemetry/alerting/alert_queue.h"
#include "models/alert_queue_model.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QtTest>

using namespace opsdeck;
using namespace opsdeck::telemetry;
using namespace opsdeck::telemetry::alerting;
using namespace opsdeck::telemetry::alerting::testutil;
using opsdeck::models::AlertQueueModel;

namespace {
const std::int64_t t0 = utcMs(2026, 11, 27, 12, 0, 0);

Labels alertLabels(const std::string &name, const std::string &sev, const std::string &svc = "orchestrator")
{
    return {{"alertname", name}, {"service", svc}, {"severity", sev}};
}

QString cell(const AlertQueueModel &m, int row, int column)
{
    return m.data(m.index(row, column)).toString();
}
} // namespace

class TestAlertQueueModel : public QObject {
    Q_OBJECT
private slots:
    void mergesInsertsUpdatesAndRemovals()
    {
        AlertQueueModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QCOMPARE(model.columnCount(), int(AlertQueueModel::NUM_COLUMNS));

        AlertQueue q;
        const Labels a = alertLabels("HighErrorRate", "P1"), b = alertLabels("HighMemoryUsage", "P2"),
                     c = alertLabels("TaskFailures", "P3", "gateway");
        // a and c are leased for 2 h; b gets Prometheus' usual 4 min and is not renewed.
        PostableAlert longA = firing(a, t0, t0), longC = firing(c, t0, t0);
        longA.endsAtMs = longC.endsAtMs = t0 + 2 * kHour;
        q.put({longA, firing(b, t0, t0), longC}, t0);
        q.advance(t0);
        model.setQueue(q, t0);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(cell(model, 0, AlertQueueModel::SeverityColumn), QStringLiteral("P1"));

        // Select the P3 row, then let the P2 row above it go: the selection follows.
        QItemSelectionModel selection(&model);
        const int cRow = model.rowOf(fingerprintOf(c));
        QCOMPARE(cRow, 2);
        selection.select(model.index(cRow, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
        const QPersistentModelIndex selected = model.index(cRow, AlertQueueModel::AlertColumn);

        model.setQueue(q, t0 + 5 * kMinute); // b resolved (still listed)
        QCOMPARE(cell(model, model.rowOf(fingerprintOf(b)), AlertQueueModel::StateColumn),
                 QStringLiteral("resolved"));
        QCOMPARE(model.data(model.index(model.rowOf(fingerprintOf(b)), AlertQueueModel::AlertColumn),
                            Qt::ForegroundRole).value<QColor>(), QColor(0x80, 0x80, 0x80));
        QVERIFY(!model.data(model.index(0, AlertQueueModel::AlertColumn), Qt::ForegroundRole).isValid());
        const std::int64_t t1 = t0 + 34 * kMinute; // b's endsAt + 30 min retention
        q.advance(t1);
        model.setQueue(q, t1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(model.rowOf(fingerprintOf(b)), -1);
        QVERIFY(selected.isValid());
        QCOMPARE(selected.row(), 1);
        QCOMPARE(selected.data().toString(), QStringLiteral("TaskFailures"));
        QVERIFY(selection.isRowSelected(selected.row(), {}));

        // A new alert is appended; existing rows are updated, not reset.
        const std::int64_t t2 = t1 + kMinute;
        const Labels d = alertLabels("ModelServerDown", "P1", "model-server");
        q.put({firing(d, t2, t2)}, t2);
        changed.clear();
        model.setQueue(q, t2);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.rowOf(fingerprintOf(d)), 2);
        QCOMPARE(inserted.size(), 2);
        QVERIFY(!changed.isEmpty()); // countdowns moved on
        QCOMPARE(resets.size(), 0);

        // Same snapshot again: nothing to tell the views.
        changed.clear();
        model.setQueue(q, t2);
        QCOMPARE(changed.size(), 0);

        // Everything goes away.
        model.setAlerts({}, t2);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(resets.size(), 0);
    }

    void removesSeveralRunsAtOnce()
    {
        AlertQueueModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        AlertQueue q;
        std::vector<PostableAlert> push;
        for (int i = 0; i < 6; ++i)
            push.push_back(firing(alertLabels("A" + std::to_string(i), "P2"), t0, t0));
        q.put(push, t0);
        auto rows = q.snapshot(t0);
        model.setAlerts(rows, t0);
        QCOMPARE(model.rowCount(), 6);
        // Keep rows 0, 3, 4: two separate removal runs (1-2 and 5).
        std::vector<QueuedAlert> kept{rows[0], rows[3], rows[4]};
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.setAlerts(kept, t0);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(removed.size(), 2);
        for (int r = 0; r < 3; ++r)
            QCOMPARE(model.alertAt(r).alert.fingerprint, kept[size_t(r)].alert.fingerprint);
    }

    void deadlineTextsAndColours()
    {
        AlertQueue q;
        const Labels p1 = alertLabels("HighErrorRate", "P1"), p4 = alertLabels("DocsStale", "P4");
        PostableAlert a = firing(p1, t0, t0, {{"summary", "High error rate detected"}});
        a.value = "0.083";
        q.put({a, firing(p4, t0, t0)}, t0);
        q.advance(t0);
        AlertQueueModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setQueue(q, t0 + 48 * kSecond);
        const int r1 = model.rowOf(fingerprintOf(p1));
        QCOMPARE(cell(model, r1, AlertQueueModel::DeadlineColumn), QStringLiteral("4m 12s"));
        QCOMPARE(cell(model, r1, AlertQueueModel::SummaryColumn), QStringLiteral("High error rate detected"));
        QCOMPARE(cell(model, r1, AlertQueueModel::ValueColumn), QStringLiteral("0.083"));
        QCOMPARE(model.data(model.index(r1, AlertQueueModel::ValueColumn), AlertQueueModel::SortRole).toDouble(), 0.083);
        QCOMPARE(cell(model, r1, AlertQueueModel::StateColumn), QStringLiteral("firing"));
        QCOMPARE(cell(model, r1, AlertQueueModel::SinceColumn), QStringLiteral("2026-11-27 12:00:00"));
        QCOMPARE(model.data(model.index(r1, AlertQueueModel::SeverityColumn), Qt::ForegroundRole).value<QColor>(),
                 QColor(0xd3, 0x2f, 0x2f));
        QVERIFY(model.data(model.index(r1, AlertQueueModel::SeverityColumn), Qt::DecorationRole).canConvert<QColor>());
        QVERIFY(model.data(model.index(r1, 0), Qt::ToolTipRole).toString().contains(QStringLiteral("severity")));
        QCOMPARE(model.data(model.index(r1, 3), AlertQueueModel::FingerprintRole).value<quint64>(),
                 quint64(fingerprintOf(p1)));
        // P4 raised Friday 12:00 UTC: due Monday 09:00, 2d 21h away.
        const int r4 = model.rowOf(fingerprintOf(p4));
        QCOMPARE(cell(model, r4, AlertQueueModel::DeadlineColumn), QStringLiteral("2d 20h"));
        QCOMPARE(model.data(model.index(r4, 0), Qt::ForegroundRole).value<QColor>(), QColor(0x80, 0x80, 0x80));

        // Two minutes past the P1 deadline.
        q.put({firing(p1, t0, t0 + 7 * kMinute + 10 * kSecond)}, t0 + 7 * kMinute + 10 * kSecond);
        model.setQueue(q, t0 + 7 * kMinute + 10 * kSecond);
        QCOMPARE(cell(model, model.rowOf(fingerprintOf(p1)), AlertQueueModel::DeadlineColumn),
                 QStringLiteral("OVERDUE 2m 10s"));

        QVERIFY(q.acknowledge(fingerprintOf(p1), "alice", "rolling back", t0 + 8 * kMinute).ok());
        model.setQueue(q, t0 + 8 * kMinute);
        const int r = model.rowOf(fingerprintOf(p1));
        QCOMPARE(cell(model, r, AlertQueueModel::AcknowledgedByColumn), QStringLiteral("alice"));
        QCOMPARE(cell(model, r, AlertQueueModel::DeadlineColumn), QStringLiteral("breached by 3m 0s"));
    }

    void sortsByRawValuesThroughAProxy()
    {
        AlertQueue q;
        q.put({firing(alertLabels("Late", "P3"), t0 - kHour, t0),
               firing(alertLabels("Urgent", "P1"), t0, t0),
               firing(alertLabels("Mid", "P2"), t0, t0)}, t0);
        AlertQueueModel model;
        model.setQueue(q, t0 + kMinute);
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(AlertQueueModel::SortRole);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(AlertQueueModel::DeadlineColumn);
        // Countdowns: Urgent 4m, Mid 59m, Late 4h-1h-... = 2h 59m... sorted ascending.
        QCOMPARE(proxy.index(0, AlertQueueModel::AlertColumn).data().toString(), QStringLiteral("Urgent"));
        QCOMPARE(proxy.index(1, AlertQueueModel::AlertColumn).data().toString(), QStringLiteral("Mid"));
        QCOMPARE(proxy.index(2, AlertQueueModel::AlertColumn).data().toString(), QStringLiteral("Late"));
        proxy.sort(AlertQueueModel::SinceColumn);
        QCOMPARE(proxy.index(0, AlertQueueModel::AlertColumn).data().toString(), QStringLiteral("Late"));
    }

    void formatDuration()
    {
        QCOMPARE(AlertQueueModel::formatDuration(0), QStringLiteral("0s"));
        QCOMPARE(AlertQueueModel::formatDuration(59'999), QStringLiteral("59s"));
        QCOMPARE(AlertQueueModel::formatDuration(252'000), QStringLiteral("4m 12s"));
        QCOMPARE(AlertQueueModel::formatDuration(kHour + 5 * kMinute), QStringLiteral("1h 05m"));
        QCOMPARE(AlertQueueModel::formatDuration(51 * kHour), QStringLiteral("2d 3h"));
    }
};

QTEST_GUILESS_MAIN(TestAlertQueueModel)
#include "tst_alert_queue_model.moc"
