// Severity classes, response deadlines (incl. next business day) and acknowledgements.
#include "alert_test_util.h"

#include "backends/telemetry/alerting/alert_queue.h"

#include <QtTest>

using namespace opsdeck::telemetry;
using namespace opsdeck::telemetry::alerting;
using namespace opsdeck::telemetry::alerting::testutil;

namespace {
// 2026-11-27 is a Friday.
const std::int64_t friday1200 = utcMs(2026, 11, 27, 12, 0, 0);

Labels withSeverity(const std::string &sev, const std::string &name = "HighErrorRate")
{
    return {{"alertname", name}, {"service", "orchestrator"}, {"severity", sev}};
}
} // namespace

class TestAlertResponse : public QObject {
    Q_OBJECT
private slots:
    void severityLabels_data()
    {
        QTest::addColumn<QString>("label");
        QTest::addColumn<int>("severity");
        QTest::newRow("P1") << "P1" << int(Severity::P1);
        QTest::newRow("p2 lower case") << "p2" << int(Severity::P2);
        QTest::newRow("P3") << "P3" << int(Severity::P3);
        QTest::newRow("P4") << "P4" << int(Severity::P4);
        QTest::newRow("critical") << "critical" << int(Severity::P1);
        QTest::newRow("warning") << "warning" << int(Severity::P2);
        QTest::newRow("info") << "info" << int(Severity::P3);
        QTest::newRow("missing") << "" << int(Severity::Unknown);
        QTest::newRow("P5") << "P5" << int(Severity::Unknown);
    }
    void severityLabels()
    {
        QFETCH(QString, label);
        QFETCH(int, severity);
        QCOMPARE(int(severityFromLabel(label.toStdString())), severity);
    }

    void deadlinePerSeverity_data()
    {
        QTest::addColumn<QString>("severity");
        QTest::addColumn<qint64>("startsAt");
        QTest::addColumn<qint64>("deadline");
        const qint64 s = friday1200;
        QTest::newRow("P1 5 min") << "P1" << s << s + 5 * kMinute;
        QTest::newRow("P2 1 h") << "P2" << s << s + kHour;
        QTest::newRow("P3 4 h") << "P3" << s << s + 4 * kHour;
        QTest::newRow("P4 Friday -> Monday 09:00")
            << "P4" << qint64(utcMs(2026, 11, 27, 15, 0)) << qint64(utcMs(2026, 11, 30, 9, 0));
        QTest::newRow("P4 Saturday -> Monday")
            << "P4" << qint64(utcMs(2026, 11, 28, 10, 0)) << qint64(utcMs(2026, 11, 30, 9, 0));
        QTest::newRow("P4 Sunday night -> Monday")
            << "P4" << qint64(utcMs(2026, 11, 29, 23, 59)) << qint64(utcMs(2026, 11, 30, 9, 0));
        QTest::newRow("P4 Monday early -> Tuesday")
            << "P4" << qint64(utcMs(2026, 11, 30, 3, 0)) << qint64(utcMs(2026, 12, 1, 9, 0));
        QTest::newRow("P4 Thursday -> Friday")
            << "P4" << qint64(utcMs(2026, 11, 26, 18, 0)) << qint64(utcMs(2026, 11, 27, 9, 0));
        QTest::newRow("P4 across New Year")
            << "P4" << qint64(utcMs(2027, 1, 1, 12, 0)) << qint64(utcMs(2027, 1, 4, 9, 0));
    }
    void deadlinePerSeverity()
    {
        QFETCH(QString, severity);
        QFETCH(qint64, startsAt);
        QFETCH(qint64, deadline);
        const auto got = responseDeadlineMs(severityFromLabel(severity.toStdString()), startsAt, {});
        QVERIFY(got.has_value());
        QCOMPARE(qint64(*got), deadline);
    }

    void businessDayInLocalTime()
    {
        BusinessCalendar berlin{60}; // UTC+1 in winter
        // Friday 23:30 UTC is already Saturday 00:30 in Berlin: Monday 09:00 local = 08:00 UTC.
        QCOMPARE(nextBusinessDayStartMs(utcMs(2026, 11, 27, 23, 30), berlin), utcMs(2026, 11, 30, 8, 0));
        BusinessCalendar newYork{-5 * 60};
        // Saturday 02:00 UTC is still Friday 21:00 in New York: Monday 09:00 local = 14:00 UTC.
        QCOMPARE(nextBusinessDayStartMs(utcMs(2026, 11, 28, 2, 0), newYork), utcMs(2026, 11, 30, 14, 0));
        QVERIFY(!responseDeadlineMs(Severity::Unknown, friday1200, {}).has_value());
    }

    void countdownRunsAndGoesOverdue()
    {
        AlertQueue q;
        q.put({firing(withSeverity("P1"), friday1200, friday1200)}, friday1200);
        auto a = q.snapshot(friday1200 + kMinute)[0];
        QCOMPARE(*a.deadlineMs, friday1200 + 5 * kMinute);
        QCOMPARE(*a.countdownMs, 4 * kMinute);
        QCOMPARE(a.outcome, ResponseOutcome::Pending);
        q.put({firing(withSeverity("P1"), friday1200, friday1200 + 7 * kMinute)}, friday1200 + 7 * kMinute);
        a = q.snapshot(friday1200 + 7 * kMinute)[0];
        QCOMPARE(*a.countdownMs, -2 * kMinute); // overdue
        QCOMPARE(a.outcome, ResponseOutcome::Pending);
    }

    void ackStopsCountdownAndRecordsOutcome()
    {
        AlertQueue q;
        const Labels p1 = withSeverity("P1"), p2 = withSeverity("P2", "HighMemoryUsage");
        q.put({firing(p1, friday1200, friday1200), firing(p2, friday1200, friday1200)}, friday1200);
        const std::int64_t ackAt = friday1200 + 3 * kMinute;
        QVERIFY(q.acknowledge(fingerprintOf(p1), "alice", "looking at the error rate", ackAt).ok());
        // Still firing (Prometheus' endsAt runs to +4 min): the countdown is frozen.
        auto a = *q.find(fingerprintOf(p1), ackAt + 30 * kSecond);
        QCOMPARE(a.ack->by, std::string("alice"));
        QCOMPARE(a.ack->comment, std::string("looking at the error rate"));
        QCOMPARE(a.ack->atMs, ackAt);
        QCOMPARE(a.outcome, ResponseOutcome::Met);
        QCOMPARE(*a.countdownMs, 2 * kMinute); // frozen at the margin it was met by

        // P2 acknowledged after its 1 h deadline: breached.
        const std::int64_t late = friday1200 + 90 * kMinute;
        q.put({firing(p1, friday1200, late), firing(p2, friday1200, late)}, late);
        QVERIFY(q.acknowledge(fingerprintOf(p2), "bob", "", late).ok());
        a = *q.find(fingerprintOf(p2), late + kHour);
        QCOMPARE(a.outcome, ResponseOutcome::Breached);
        QCOMPARE(*a.countdownMs, -30 * kMinute);
    }

    void ackErrors()
    {
        AlertQueue q;
        const Labels p1 = withSeverity("P1");
        QVERIFY(q.acknowledge(fingerprintOf(p1), "alice", "", friday1200).error().find("no such alert")
                != std::string::npos);
        q.put({firing(p1, friday1200, friday1200)}, friday1200);
        QVERIFY(!q.acknowledge(fingerprintOf(p1), "", "", friday1200));
        QVERIFY(q.acknowledge(fingerprintOf(p1), "alice", "", friday1200).ok());
        auto twice = q.acknowledge(fingerprintOf(p1), "bob", "", friday1200);
        QVERIFY(twice.error().find("already acknowledged by alice") != std::string::npos);
        QVERIFY(q.unacknowledge(fingerprintOf(p1), friday1200 + kMinute).ok());
        QVERIFY(!q.find(fingerprintOf(p1), friday1200 + kMinute)->ack);
        QCOMPARE(q.find(fingerprintOf(p1), friday1200 + kMinute)->outcome, ResponseOutcome::Pending);
        QVERIFY(!q.unacknowledge(fingerprintOf(p1), friday1200 + kMinute));
    }

    void ackClearsWhenAlertResolvesAndReFireIsNew()
    {
        AlertQueue q;
        const Labels p1 = withSeverity("P1");
        const Fingerprint fp = fingerprintOf(p1);
        q.put({firing(p1, friday1200, friday1200)}, friday1200);
        QVERIFY(q.acknowledge(fp, "alice", "on it", friday1200 + kMinute).ok());
        QVERIFY(q.find(fp, friday1200 + kMinute)->ack.has_value());

        const std::int64_t resolved = friday1200 + 3 * kMinute;
        q.put({resolvedAt(p1, friday1200, resolved)}, resolved);
        auto a = *q.find(fp, resolved);
        QVERIFY(a.resolved);
        QVERIFY(!a.ack.has_value()); // the acknowledgement ended with the alert
        QCOMPARE(a.outcome, ResponseOutcome::Met);
        QVERIFY(!q.acknowledge(fp, "bob", "", resolved + kSecond)); // nothing to acknowledge

        // Fires again later: a new episode, unacknowledged, with a fresh deadline.
        const std::int64_t refire = friday1200 + 20 * kMinute;
        q.put({firing(p1, refire, refire)}, refire);
        a = *q.find(fp, refire + kMinute);
        QVERIFY(!a.resolved);
        QVERIFY(!a.ack.has_value());
        QCOMPARE(a.alert.startsAtMs, refire);
        QCOMPARE(a.outcome, ResponseOutcome::Pending);
        QCOMPARE(*a.deadlineMs, refire + 5 * kMinute);
        QCOMPARE(*a.countdownMs, 4 * kMinute);
    }

    void ackClearsWhenAlertTimesOut()
    {
        AlertQueue q;
        PostableAlert a;
        a.labels = withSeverity("P2");
        a.startsAtMs = friday1200;
        q.put({a}, friday1200); // no endsAt: resolves after resolve_timeout (5 min)
        QVERIFY(q.acknowledge(fingerprintOf(a.labels), "carol", "", friday1200 + kMinute).ok());
        q.advance(friday1200 + 6 * kMinute);
        const auto after = *q.find(fingerprintOf(a.labels), friday1200 + 6 * kMinute);
        QVERIFY(after.resolved);
        QVERIFY(!after.ack);
        QCOMPARE(after.outcome, ResponseOutcome::Met); // acknowledged in time before that
    }

    void unacknowledgedResolutionDecidesOutcome()
    {
        AlertQueue q;
        const Labels quick = withSeverity("P1", "Quick"), slow = withSeverity("P1", "Slow");
        PostableAlert quickFiring = firing(quick, friday1200, friday1200);
        PostableAlert slowFiring = firing(slow, friday1200, friday1200);
        quickFiring.endsAtMs = slowFiring.endsAtMs = friday1200 + kHour; // a sender with a long lease
        q.put({quickFiring, slowFiring}, friday1200);
        const std::int64_t t = friday1200 + 10 * kMinute;
        q.put({resolvedAt(quick, friday1200, friday1200 + 2 * kMinute),
               resolvedAt(slow, friday1200, friday1200 + 9 * kMinute)}, t);
        QCOMPARE(q.find(fingerprintOf(quick), t)->outcome, ResponseOutcome::Met);
        QCOMPARE(q.find(fingerprintOf(slow), t)->outcome, ResponseOutcome::Breached);
        QCOMPARE(*q.find(fingerprintOf(slow), t)->countdownMs, -4 * kMinute);
    }
};

QTEST_GUILESS_MAIN(TestAlertResponse)
#include "tst_alert_response.moc"
