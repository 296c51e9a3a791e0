// What the rule evaluator hands to the queue, and when (Prometheus 2.42's notifier side).
#include "alert_test_util.h"

#include "backends/telemetry/alerting/alert_queue.h"
#include "backends/telemetry/alerting/rule_alert_sender.h"

#include <QtTest>

using namespace opsdeck::telemetry;
using namespace opsdeck::telemetry::alerting;
using namespace opsdeck::telemetry::alerting::testutil;

namespace {
const std::int64_t t0 = utcMs(2026, 11, 28, 12, 40, 0);
const char *kExpr = "up{job=\"model-server\"} == 0";

rules::Alert ruleAlert(rules::AlertState state)
{
    rules::Alert a;
    a.name = "ModelServerDown";
    a.labels = {{"alertname", "ModelServerDown"}, {"job", "model-server"}, {"severity", "P1"}};
    a.annotations = {{"summary", "Model server down"}};
    a.state = state;
    a.value = 0;
    a.activeAtMs = t0;
    if (state != rules::AlertState::Pending)
        a.firedAtMs = t0 + kMinute; // for: 1m
    return a;
}
} // namespace

class TestRuleAlertSender : public QObject {
    Q_OBJECT
private slots:
    void generatorUrlIsPrometheusLink()
    {
        // Both as captured from Prometheus 2.42 (reference samples).
        QCOMPARE(generatorUrl("http://vm:19090", "rate(agent_errors_total[5m]) > 0.05"),
                 std::string("http://vm:19090/graph?g0.expr=rate%28agent_errors_total%5B5m%5D%29+%3E+0.05&g0.tab=1"));
        QCOMPARE(generatorUrl("http://vm:19090/", kExpr),
                 std::string("http://vm:19090/graph?g0.expr=up%7Bjob%3D%22model-server%22%7D+%3D%3D+0&g0.tab=1"));
    }

    void pendingIsNotSentFiringIsResentEveryResendDelay()
    {
        RuleAlertSender sender({60'000, 1'000, "http://vm:19090"}); // 1 s evaluations
        QVERIFY(sender.collect({ruleAlert(rules::AlertState::Pending)}, kExpr, t0).empty());
        std::vector<std::int64_t> sentAt;
        const std::int64_t fired = t0 + kMinute;
        for (std::int64_t t = fired; t <= fired + 3 * kMinute; t += kSecond) {
            auto out = sender.collect({ruleAlert(rules::AlertState::Firing)}, kExpr, t);
            QVERIFY(out.size() <= 1);
            if (out.empty())
                continue;
            sentAt.push_back(t - fired);
            QCOMPARE(out[0].startsAtMs, fired);
            QCOMPARE(out[0].endsAtMs, t + 4 * kMinute); // the lease seen in the capture
            QCOMPARE(out[0].annotations.at("summary"), std::string("Model server down"));
        }
        // Prometheus was seen re-sending every ~61 s: strictly more than resendDelay.
        QCOMPARE(sentAt, (std::vector<std::int64_t>{0, 61 * kSecond, 122 * kSecond}));
    }

    void resolvedIsSentAtOnceWithItsResolutionTime()
    {
        RuleAlertSender sender;
        const std::int64_t fired = t0 + kMinute;
        QCOMPARE(sender.collect({ruleAlert(rules::AlertState::Firing)}, kExpr, fired).size(), std::size_t(1));
        rules::Alert resolved = ruleAlert(rules::AlertState::Inactive);
        resolved.resolvedAtMs = fired + 15 * kSecond;
        auto out = sender.collect({resolved}, kExpr, fired + 15 * kSecond);
        QCOMPARE(out.size(), std::size_t(1));
        QCOMPARE(out[0].endsAtMs, fired + 15 * kSecond);
        QVERIFY(sender.collect({resolved}, kExpr, fired + 30 * kSecond).empty());
        QCOMPARE(sender.collect({resolved}, kExpr, fired + 90 * kSecond).size(), std::size_t(1));
    }

    void feedsTheQueueEndToEnd()
    {
        RuleAlertSender sender({60'000, 15'000, "http://vm:19090"});
        AlertQueue q;
        std::vector<Notification> sent;
        const std::int64_t fired = t0 + kMinute, resolvedAt = fired + 10 * kMinute;
        for (std::int64_t t = t0; t <= fired + 20 * kMinute; t += 15 * kSecond) {
            rules::Alert a = ruleAlert(t < fired ? rules::AlertState::Pending : rules::AlertState::Firing);
            if (t >= resolvedAt) {
                a = ruleAlert(rules::AlertState::Inactive);
                a.resolvedAtMs = resolvedAt;
            }
            q.put(sender.collect({a}, kExpr, t), t);
            for (auto &n : q.advance(t))
                sent.push_back(std::move(n));
            // Renewed leases keep it firing without gaps until the rule resolves it.
            if (t >= fired && t < resolvedAt)
                QVERIFY(!q.snapshot(t).front().resolved);
        }
        QCOMPARE(sent.size(), std::size_t(2));
        QCOMPARE(sent[0].atMs, fired + 30 * kSecond);
        QVERIFY(sent[1].isResolved());
        QCOMPARE(sent[1].resolved[0].endsAtMs, resolvedAt);
        QCOMPARE(sent[1].atMs, fired + 30 * kSecond + 10 * kMinute); // first tick after resolution
        QCOMPARE(q.snapshot(resolvedAt).front().outcome, ResponseOutcome::Breached); // 10 min > P1's 5
    }
};

QTEST_GUILESS_MAIN(TestRuleAlertSender)
#include "tst_rule_alert_sender.moc"
