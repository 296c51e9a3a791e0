// Grouping, notification timing, dedup and resolution, checked against what
// Alertmanager 0.25 does (see /work/shared/reference/prometheus.md §3.6/3.7).
#include "alert_test_util.h"

#include "backends/telemetry/alerting/alert_queue.h"

#include <QtTest>

#include <map>
#include <tuple>

using namespace opsdeck::telemetry;
using namespace opsdeck::telemetry::alerting;
using namespace opsdeck::telemetry::alerting::testutil;

namespace {
const std::int64_t t0 = utcMs(2026, 11, 27, 12, 0, 0);

Labels errorRate(const std::string &agent = "planner")
{
    return {{"alertname", "HighErrorRate"}, {"service", "orchestrator"}, {"severity", "P1"},
            {"agent", agent}};
}

std::vector<Fingerprint> fps(const std::vector<Alert> &alerts)
{
    std::vector<Fingerprint> out;
    for (const auto &a : alerts)
        out.push_back(a.fingerprint);
    return out;
}
} // namespace

class TestAlertDispatch : public QObject {
    Q_OBJECT
private slots:
    void fingerprintMatchesAlertmanager()
    {
        // Labels and fingerprints from s3-bothfiring-am-alerts.json.
        const Labels modelServer{{"alertname", "ModelServerDown"}, {"instance", "127.0.0.1:19101"},
                                 {"job", "model-server"}, {"severity", "P1"}};
        QCOMPARE(fingerprintToString(fingerprintOf(modelServer)), std::string("6cc2cef8d6c427c2"));
        const Labels errors{{"agent", "planner"}, {"alertname", "HighErrorRate"}, {"code", "500"},
                            {"instance", "127.0.0.1:19100"}, {"job", "agents"},
                            {"service", "orchestrator"}, {"severity", "P1"}};
        QCOMPARE(fingerprintToString(fingerprintOf(errors)), std::string("53f703f5cf5fa65c"));
    }

    void groupKeyLooksLikeAlertmanagers()
    {
        RouteConfig route;
        route.groupBy = {"alertname"};
        Dispatcher d(route);
        const Labels g = d.groupLabelsFor({{"alertname", "ModelServerDown"}, {"job", "model-server"}});
        QCOMPARE(Dispatcher::groupKeyFor(g), std::string(R"({}:{alertname="ModelServerDown"})"));
        Dispatcher byDefault; // alertname, service; a missing label is left out
        QCOMPARE(Dispatcher::groupKeyFor(byDefault.groupLabelsFor(errorRate())),
                 std::string(R"({}:{alertname="HighErrorRate", service="orchestrator"})"));
        QCOMPARE(Dispatcher::groupKeyFor(byDefault.groupLabelsFor({{"alertname", "X"}})),
                 std::string(R"({}:{alertname="X"})"));
    }

    void firstNotificationAfterGroupWaitThenGroupInterval()
    {
        AlertQueue q; // group_wait 30s, group_interval 5m
        QCOMPARE(q.put({firing(errorRate("planner"), t0, t0)}, t0).accepted, std::size_t(1));
        QVERIFY(q.advance(t0 + 30 * kSecond - 1).empty());
        auto sent = q.advance(t0 + 30 * kSecond);
        QCOMPARE(sent.size(), std::size_t(1));
        QCOMPARE(sent[0].atMs, t0 + 30 * kSecond);
        QCOMPARE(sent[0].firing.size(), std::size_t(1));
        QCOMPARE(sent[0].firing[0].endsAtMs, std::int64_t(0)); // firing alerts carry no endsAt
        QVERIFY(!sent[0].isResolved());

        // A second alert of the same group waits for the group's next interval tick.
        const std::int64_t t1 = t0 + kMinute;
        q.put({firing(errorRate("planner"), t0, t1), firing(errorRate("executor"), t1, t1)}, t1);
        const std::int64_t tick = t0 + 30 * kSecond + 5 * kMinute;
        QVERIFY(q.advance(tick - 1).empty());
        q.put({firing(errorRate("planner"), t0, tick - kSecond),
               firing(errorRate("executor"), t1, tick - kSecond)}, tick - kSecond);
        sent = q.advance(tick);
        QCOMPARE(sent.size(), std::size_t(1));
        QCOMPARE(sent[0].atMs, tick);
        QCOMPARE(sent[0].firing.size(), std::size_t(2));
        QCOMPARE(sent[0].groupKey, std::string(R"({}:{alertname="HighErrorRate", service="orchestrator"})"));
    }

    void separateGroupsNotifySeparately()
    {
        AlertQueue q;
        Labels gateway = errorRate();
        gateway.set("service", "gateway");
        q.put({firing(errorRate(), t0, t0), firing(gateway, t0, t0)}, t0);
        auto sent = q.advance(t0 + 30 * kSecond);
        QCOMPARE(sent.size(), std::size_t(2));
        QVERIFY(sent[0].groupKey != sent[1].groupKey);
        QCOMPARE(q.dispatcher().groups().size(), std::size_t(2));
    }

    void unchangedGroupRepeatsAfterRepeatInterval()
    {
        AlertQueue q; // repeat_interval 4h
        std::vector<Notification> all;
        // Prometheus re-sends every minute; nothing changes for 5 hours.
        for (std::int64_t t = t0; t <= t0 + 5 * kHour; t += kMinute) {
            q.put({firing(errorRate(), t0, t)}, t);
            for (auto &n : q.advance(t))
                all.push_back(std::move(n));
        }
        QCOMPARE(all.size(), std::size_t(2));
        QCOMPARE(all[0].atMs, t0 + 30 * kSecond);
        // Ticks are 5 min apart; at 4h exactly the entry is not yet *older* than 4h.
        QCOMPARE(all[1].atMs, t0 + 30 * kSecond + 4 * kHour + 5 * kMinute);
        QCOMPARE(all[1].firing.size(), std::size_t(1));
    }

    void sameAlertIsDeduplicated()
    {
        AlertQueue q;
        const auto report = q.put({firing(errorRate(), t0, t0), firing(errorRate(), t0, t0)}, t0);
        QCOMPARE(report.accepted, std::size_t(2));
        q.put({firing(errorRate(), t0, t0 + 10 * kSecond)}, t0 + 10 * kSecond);
        QCOMPARE(q.snapshot(t0 + 10 * kSecond).size(), std::size_t(1));
        auto sent = q.advance(t0 + 30 * kSecond);
        QCOMPARE(sent.size(), std::size_t(1));
        QCOMPARE(sent[0].firing.size(), std::size_t(1));
        // Re-pushes of the same firing alert do not notify again at the next ticks.
        for (std::int64_t t = t0 + kMinute; t <= t0 + 31 * kMinute; t += kMinute) {
            q.put({firing(errorRate(), t0, t)}, t);
            QVERIFY(q.advance(t).empty());
        }
    }

    void mergeKeepsEarliestStart()
    {
        AlertQueue q;
        q.put({firing(errorRate(), t0, t0)}, t0);
        // A sender that lost its state re-sends with a later startsAt: still one episode.
        q.put({firing(errorRate(), t0 + kMinute, t0 + kMinute)}, t0 + kMinute);
        const auto snap = q.snapshot(t0 + kMinute);
        QCOMPARE(snap.size(), std::size_t(1));
        QCOMPARE(snap[0].alert.startsAtMs, t0);
        QCOMPARE(snap[0].alert.endsAtMs, t0 + 5 * kMinute);
    }

    void resolveNotifications()
    {
        AlertQueue q;
        const Labels a = errorRate("planner"), b = errorRate("executor");
        q.put({firing(a, t0, t0), firing(b, t0, t0)}, t0);
        QCOMPARE(q.advance(t0 + 30 * kSecond).size(), std::size_t(1));

        // a resolves: the next tick tells the receiver, b still firing.
        const std::int64_t tr = t0 + 2 * kMinute;
        q.put({resolvedAt(a, t0, tr), firing(b, t0, tr)}, tr);
        QVERIFY(q.advance(t0 + 5 * kMinute).empty());
        q.put({firing(b, t0, t0 + 5 * kMinute)}, t0 + 5 * kMinute);
        auto sent = q.advance(t0 + 30 * kSecond + 5 * kMinute);
        QCOMPARE(sent.size(), std::size_t(1));
        QCOMPARE(fps(sent[0].firing), std::vector<Fingerprint>{fingerprintOf(b)});
        QCOMPARE(fps(sent[0].resolved), std::vector<Fingerprint>{fingerprintOf(a)});
        QCOMPARE(sent[0].resolved[0].endsAtMs, tr);

        // b resolves too: an all-resolved notification, then the group is gone.
        const std::int64_t tr2 = t0 + 7 * kMinute;
        q.put({resolvedAt(b, t0, tr2)}, tr2);
        sent = q.advance(t0 + 30 * kSecond + 10 * kMinute);
        QCOMPARE(sent.size(), std::size_t(1));
        QVERIFY(sent[0].isResolved());
        QCOMPARE(fps(sent[0].resolved), std::vector<Fingerprint>{fingerprintOf(b)});
        QVERIFY(q.dispatcher().groups().empty());
        QVERIFY(q.advance(t0 + 2 * kHour).empty());
    }

    void alertFiredAndResolvedBetweenTicksIsNotSentResolvedOnly()
    {
        AlertQueue q;
        q.put({resolvedAt(errorRate(), t0 - kMinute, t0)}, t0);
        QVERIFY(q.advance(t0 + kHour).empty()); // the receiver never knew it
    }

    void resolveTimeoutWithoutEndsAt()
    {
        AlertQueue q; // resolve_timeout 5m
        PostableAlert a;
        a.labels = errorRate();
        q.put({a}, t0); // startsAt and endsAt unset
        auto snap = q.snapshot(t0);
        QCOMPARE(snap[0].alert.startsAtMs, t0);
        QCOMPARE(snap[0].alert.endsAtMs, t0 + 5 * kMinute);
        QVERIFY(snap[0].alert.timeout);
        QCOMPARE(q.advance(t0 + 30 * kSecond).size(), std::size_t(1));
        QVERIFY(!q.snapshot(t0 + 5 * kMinute - 1)[0].resolved);
        QVERIFY(q.snapshot(t0 + 5 * kMinute)[0].resolved);
        auto sent = q.advance(t0 + 30 * kSecond + 5 * kMinute);
        QCOMPARE(sent.size(), std::size_t(1));
        QVERIFY(sent[0].isResolved());
    }

    void oldAlertFlushesImmediately()
    {
        AlertQueue q;
        // Started 10 minutes ago (e.g. the console attached to a running cluster).
        q.put({firing(errorRate(), t0 - 10 * kMinute, t0)}, t0);
        auto sent = q.advance(t0);
        QCOMPARE(sent.size(), std::size_t(1));
        QCOMPARE(sent[0].atMs, t0);
    }

    void coarseAdvanceKeepsExactTimes()
    {
        AlertQueue q;
        PostableAlert a = firing(errorRate(), t0, t0);
        a.endsAtMs = t0 + 20 * kMinute; // stays firing for 20 minutes, then resolves
        q.put({a}, t0);
        auto sent = q.advance(t0 + kHour);
        QCOMPARE(sent.size(), std::size_t(2));
        QCOMPARE(sent[0].atMs, t0 + 30 * kSecond);
        QVERIFY(!sent[0].isResolved());
        QCOMPARE(sent[1].atMs, t0 + 30 * kSecond + 20 * kMinute); // first tick at/after endsAt
        QVERIFY(sent[1].isResolved());
    }

    void sendResolvedFalseSuppressesResolvedOnlyMessages()
    {
        AlertQueueConfig cfg;
        cfg.route.sendResolved = false;
        AlertQueue q(cfg);
        PostableAlert a = firing(errorRate(), t0, t0);
        a.endsAtMs = t0 + 2 * kMinute;
        q.put({a}, t0);
        auto sent = q.advance(t0 + kHour);
        QCOMPARE(sent.size(), std::size_t(1));
        QVERIFY(!sent[0].isResolved());
    }

    // Timelines recorded from a real Alertmanager 0.25 (Debian 0.25.0-1+b4) on 127.0.0.1
    // with group_wait 2s, group_interval 4s, repeat_interval 9s and a webhook receiver;
    // the alerts were POSTed at the offsets below. Webhook arrival times (s after the
    // first POST): 2.0, 6.0, 18.01, 22.01, 26.01.
    void matchesRecordedAlertmanagerGrouping()
    {
        AlertQueueConfig cfg;
        cfg.route.groupWaitMs = 2 * kSecond;
        cfg.route.groupIntervalMs = 4 * kSecond;
        cfg.route.repeatIntervalMs = 9 * kSecond;
        AlertQueue q(cfg);
        auto probe = [](const char *instance, std::int64_t startS, std::int64_t endS) {
            PostableAlert a;
            a.labels = {{"alertname", "Probe"}, {"instance", instance}, {"severity", "P3"}, {"service", "x"}};
            a.startsAtMs = t0 + startS * kSecond;
            a.endsAtMs = t0 + endS * kSecond;
            return a;
        };
        const std::map<std::int64_t, std::vector<PostableAlert>> schedule{
            {0, {probe("a", 0, 60)}}, {3, {probe("b", 3, 60)}},
            {19, {probe("a", 0, 19)}}, {23, {probe("b", 3, 23)}}};
        std::vector<Notification> sent;
        for (std::int64_t s = 0; s <= 30; ++s) {
            if (auto it = schedule.find(s); it != schedule.end())
                q.put(it->second, t0 + s * kSecond);
            for (auto &n : q.advance(t0 + s * kSecond))
                sent.push_back(std::move(n));
        }
        QCOMPARE(sent.size(), std::size_t(5));
        const std::int64_t expectedAt[] = {2, 6, 18, 22, 26};
        const std::size_t firingCount[] = {1, 2, 2, 1, 0};
        const std::size_t resolvedCount[] = {0, 0, 0, 1, 1};
        for (std::size_t i = 0; i < sent.size(); ++i) {
            QCOMPARE(sent[i].atMs, t0 + expectedAt[i] * kSecond);
            QCOMPARE(sent[i].firing.size(), firingCount[i]);
            QCOMPARE(sent[i].resolved.size(), resolvedCount[i]);
            QCOMPARE(sent[i].groupKey, std::string(R"({}:{alertname="Probe", service="x"})"));
        }
    }

    // Same setup with the P1-mutes-P2 inhibit rule. Recorded: 2.01 ProbeP2/y and ProbeP1/x
    // firing; 10.01 ProbeP2/x firing and ProbeP1/x resolved; 14.01 ProbeP2/y (repeat).
    void matchesRecordedAlertmanagerInhibition()
    {
        AlertQueueConfig cfg;
        cfg.route.groupWaitMs = 2 * kSecond;
        cfg.route.groupIntervalMs = 4 * kSecond;
        cfg.route.repeatIntervalMs = 9 * kSecond;
        AlertQueue q(cfg);
        auto probe = [](const char *sev, const char *svc, std::int64_t endS) {
            PostableAlert a;
            a.labels = {{"alertname", std::string("Probe") + sev}, {"instance", "i"}, {"severity", sev},
                        {"service", svc}};
            a.startsAtMs = t0;
            a.endsAtMs = t0 + endS * kSecond;
            return a;
        };
        std::vector<Notification> sent;
        for (std::int64_t s = 0; s <= 16; ++s) {
            if (s == 0)
                q.put({probe("P1", "x", 60), probe("P2", "x", 60), probe("P2", "y", 60)}, t0);
            if (s == 7)
                q.put({probe("P1", "x", 7)}, t0 + s * kSecond);
            for (auto &n : q.advance(t0 + s * kSecond))
                sent.push_back(std::move(n));
        }
        std::vector<std::tuple<std::int64_t, std::string, bool>> got;
        for (const auto &n : sent)
            got.emplace_back((n.atMs - t0) / kSecond, n.groupKey, n.isResolved());
        const std::vector<std::tuple<std::int64_t, std::string, bool>> expected{
            {2, R"({}:{alertname="ProbeP1", service="x"})", false},
            {2, R"({}:{alertname="ProbeP2", service="y"})", false},
            {10, R"({}:{alertname="ProbeP1", service="x"})", true},
            {10, R"({}:{alertname="ProbeP2", service="x"})", false},
            {14, R"({}:{alertname="ProbeP2", service="y"})", false}};
        QCOMPARE(got, expected);
    }

    void invalidAlertsAreRejectedWithReasons()
    {
        AlertQueue q;
        PostableAlert noLabels;
        PostableAlert backwards = firing(errorRate(), t0, t0);
        backwards.endsAtMs = t0 - kMinute;
        PostableAlert badName = firing({{"alertname", "X"}, {"bad-name", "1"}}, t0, t0);
        const auto report = q.put({noLabels, firing(errorRate(), t0, t0), backwards, badName}, t0);
        QCOMPARE(report.accepted, std::size_t(1));
        QCOMPARE(report.rejected.size(), std::size_t(3));
        QVERIFY(report.rejected[0].message.find("alert 0") != std::string::npos);
        QVERIFY(report.rejected[0].message.find("at least one label") != std::string::npos);
        QVERIFY(report.rejected[1].message.find("start time must be before end time") != std::string::npos);
        QVERIFY(report.rejected[2].message.find("bad-name") != std::string::npos);
    }

    void resolvedAlertsLeaveTheQueueAfterRetention()
    {
        AlertQueue q; // 30 min retention
        q.put({resolvedAt(errorRate(), t0 - kMinute, t0)}, t0);
        q.advance(t0 + 29 * kMinute);
        QCOMPARE(q.snapshot(t0 + 29 * kMinute).size(), std::size_t(1));
        q.advance(t0 + 30 * kMinute);
        QVERIFY(q.snapshot(t0 + 30 * kMinute).empty());
    }
};

QTEST_GUILESS_MAIN(TestAlertDispatch)
#include "tst_alert_dispatch.moc"
