// The alert state machine and rule group evaluation, driven on simulated time over an
// in-memory storage: pending -> firing after `for`, resolve and the 15 minute
// retention, keep_firing_for, ALERTS series, recording rules feeding alerts,
// staleness markers, and RuleEvaluator's interval scheduling.
#include "backends/telemetry/rules/memory_series.h"
#include "backends/telemetry/rules/rule_group.h"
#include "backends/telemetry/rules/store_sink.h"

#include <QTest>

#include <cmath>

using namespace opsdeck::telemetry;
using namespace opsdeck::telemetry::rules;

namespace {
constexpr std::int64_t kMinute = 60'000;

RuleGroupSpec groupFrom(const std::string &yaml)
{
    auto parsed = parseRuleFile(yaml, "test.yml");
    if (!parsed.ok())
        qFatal("bad test rules: %s", parsed.errors[0].c_str());
    return parsed.file.groups.at(0);
}

const Labels kGpu0{{"__name__", "up"}, {"job", "model-server"}, {"instance", "gpu-0"}};

const char *kModelServerDown = R"(groups:
  - name: critical_alerts
    rules:
      - alert: ModelServerDown
        expr: up{job="model-server"} == 0
        for: 2m
        labels:
          severity: P1
        annotations:
          summary: '{{ $labels.instance }} down, up={{ $value }}'
)";
} // namespace

class TestAlertState : public QObject
{
    Q_OBJECT
private slots:
    void pendingThenFiringAfterFor()
    {
        MemorySeries store;
        RuleGroup group(groupFrom(kModelServerDown), kMinute);
        const double up[] = {1, 0, 0, 0, 0};
        for (int i = 0; i < 5; ++i) {
            store.append(kGpu0, i * kMinute, up[i]);
            group.evaluate(store, store, i * kMinute);
            const auto alerts = group.activeAlerts();
            if (i == 0) {
                QVERIFY(alerts.empty());
                continue;
            }
            QCOMPARE(alerts.size(), std::size_t(1));
            const Alert &a = alerts[0];
            QCOMPARE(a.activeAtMs, 1 * kMinute); // became pending at the first breach
            QCOMPARE(a.state, i < 3 ? AlertState::Pending : AlertState::Firing);
            if (i >= 3)
                QCOMPARE(*a.firedAtMs, 3 * kMinute);
            QCOMPARE(a.labels, Labels({{"alertname", "ModelServerDown"}, {"severity", "P1"},
                                       {"job", "model-server"}, {"instance", "gpu-0"}}));
            QCOMPARE(a.annotations.at(0).second, std::string("gpu-0 down, up=0"));
        }
        QCOMPARE(group.rules()[0].alerting->state(), AlertState::Firing);
    }

    void resolvedAlertsAreRetainedFifteenMinutes()
    {
        MemorySeries store;
        RuleGroup group(groupFrom(kModelServerDown), kMinute);
        for (int i = 0; i <= 40; ++i) {
            store.append(kGpu0, i * kMinute, i >= 1 && i <= 4 ? 0 : 1);
            group.evaluate(store, store, i * kMinute);
            const auto all = group.allAlerts();
            if (i == 4)
                QCOMPARE(all.at(0).state, AlertState::Firing);
            if (i == 5) { // resolved: inactive, out of the active list, still reported
                QVERIFY(group.activeAlerts().empty());
                QCOMPARE(all.size(), std::size_t(1));
                QCOMPARE(all[0].state, AlertState::Inactive);
                QCOMPARE(*all[0].resolvedAtMs, 5 * kMinute);
            }
            if (i == 20) // 15 minutes after resolving: still kept (retention is "more than 15m")
                QCOMPARE(all.size(), std::size_t(1));
            if (i == 21)
                QVERIFY(all.empty());
        }
    }

    void pendingAlertThatClearsIsDropped()
    {
        MemorySeries store;
        RuleGroup group(groupFrom(kModelServerDown), kMinute);
        store.append(kGpu0, 0, 0);
        group.evaluate(store, store, 0);
        QCOMPARE(group.activeAlerts().at(0).state, AlertState::Pending);
        store.append(kGpu0, kMinute, 1);
        group.evaluate(store, store, kMinute);
        QVERIFY(group.allAlerts().empty());
        // a new breach starts over with a new activeAt
        store.append(kGpu0, 2 * kMinute, 0);
        group.evaluate(store, store, 2 * kMinute);
        QCOMPARE(group.activeAlerts().at(0).activeAtMs, 2 * kMinute);
    }

    void keepFiringFor()
    {
        MemorySeries store;
        RuleGroup group(groupFrom(R"(groups:
  - name: g
    rules:
      - alert: QueueBacklog
        expr: queue_depth > 100
        keep_firing_for: 3m
)"),
                        kMinute);
        const Labels q{{"__name__", "queue_depth"}, {"queue", "default"}};
        std::vector<AlertState> states;
        for (int i = 0; i < 8; ++i) {
            store.append(q, i * kMinute, i < 2 ? 200 : 0);
            group.evaluate(store, store, i * kMinute);
            const auto active = group.activeAlerts();
            states.push_back(active.empty() ? AlertState::Inactive : active[0].state);
        }
        // fires at once (no `for`), clears at 2m but keeps firing while 2m + 3m is not reached
        const std::vector<AlertState> expected{AlertState::Firing,   AlertState::Firing, AlertState::Firing,
                                               AlertState::Firing,   AlertState::Firing, AlertState::Inactive,
                                               AlertState::Inactive, AlertState::Inactive};
        QCOMPARE(states, expected);
    }

    void alertsSeriesAreWrittenAndMarkedStale()
    {
        MemorySeries store;
        RuleGroup group(groupFrom(kModelServerDown), kMinute);
        store.append(kGpu0, 0, 0);
        group.evaluate(store, store, 0);
        const auto alerts = store.select({{"__name__", LabelMatcher::Op::Equal, "ALERTS"}}, 0, 0);
        QCOMPARE(alerts.size(), std::size_t(1));
        QCOMPARE(alerts[0].labels.get("alertstate"), std::string("pending"));
        const auto forState = store.select({{"__name__", LabelMatcher::Op::Equal, "ALERTS_FOR_STATE"}}, 0, 0);
        QCOMPARE(forState.at(0).points.at(0).v, 0.0);
        // the pending alert clears: its ALERTS series gets a staleness marker at once
        store.append(kGpu0, kMinute, 1);
        group.evaluate(store, store, kMinute);
        const auto after = store.select({{"__name__", LabelMatcher::Op::Equal, "ALERTS"}}, kMinute, kMinute);
        QCOMPARE(after.size(), std::size_t(1));
        QVERIFY(isStaleNaN(after[0].points.at(0).v));
    }

    void recordingRulesFeedLaterRulesAndGroups()
    {
        MemorySeries store;
        RuleEvaluator evaluator(kMinute);
        auto parsed = parseRuleFile(R"(groups:
  - name: record
    rules:
      - record: cluster:utilization:avg
        expr: avg(virtual_computer_utilization)
      - alert: VirtualComputerUtilizationHigh
        expr: cluster:utilization:avg > 0.8
        labels:
          severity: P2
)",
                                    "r.yml");
        QVERIFY(parsed.ok());
        evaluator.addFile(parsed.file);
        const Labels vc1{{"__name__", "virtual_computer_utilization"}, {"vc", "1"}};
        const Labels vc2{{"__name__", "virtual_computer_utilization"}, {"vc", "2"}};
        for (int i = 0; i <= 3; ++i) {
            store.append(vc1, i * kMinute, 0.9);
            store.append(vc2, i * kMinute, i < 2 ? 0.5 : 0.9);
        }
        // advancing to 3m30s evaluates at 0, 1m, 2m and 3m, and nothing twice
        QCOMPARE(evaluator.advanceTo(store, store, 3 * kMinute + 30'000), std::size_t(4));
        QCOMPARE(evaluator.advanceTo(store, store, 3 * kMinute + 45'000), std::size_t(0));
        const auto recorded = store.select({{"__name__", LabelMatcher::Op::Equal, "cluster:utilization:avg"}}, 0,
                                           10 * kMinute);
        QCOMPARE(recorded.size(), std::size_t(1));
        QCOMPARE(recorded[0].points.size(), std::size_t(4));
        QCOMPARE(recorded[0].points[1].v, 0.7);
        const auto alerts = evaluator.activeAlerts();
        QCOMPARE(alerts.size(), std::size_t(1));
        QCOMPARE(alerts[0].activeAtMs, 2 * kMinute); // saw the recorded value of the same evaluation
        QCOMPARE(alerts[0].name, std::string("VirtualComputerUtilizationHigh"));
    }

    void worksOverTheSharedSeriesStore()
    {
        SeriesStore store;
        SeriesStoreSink sink(store);
        RuleEvaluator evaluator(kMinute);
        evaluator.addGroup(groupFrom(kModelServerDown));
        for (int i = 0; i <= 3; ++i) {
            store.append(kGpu0, i * kMinute, 0);
            evaluator.advanceTo(store, sink, i * kMinute);
        }
        QCOMPARE(sink.rejected(), std::size_t(0));
        QCOMPARE(evaluator.activeAlerts().at(0).state, AlertState::Firing);
        const auto alerts = store.select({{"__name__", LabelMatcher::Op::Equal, "ALERTS"}}, 0, 3 * kMinute);
        QCOMPARE(alerts.size(), std::size_t(2)); // pending until 2m (then stale), firing from 2m
    }

    void evaluationErrorsAreKeptPerRule()
    {
        MemorySeries store;
        RuleGroup group(groupFrom(R"(groups:
  - name: g
    limit: 1
    rules:
      - record: copy
        expr: up
      - alert: Both
        expr: up
)"),
                        kMinute);
        store.append(Labels{{"__name__", "up"}, {"i", "a"}}, 0, 1);
        store.append(Labels{{"__name__", "up"}, {"i", "b"}}, 0, 1);
        group.evaluate(store, store, 0);
        QCOMPARE(group.rules()[0].lastError, std::string("exceeded limit of 1 with 2 series"));
        QCOMPARE(group.rules()[1].lastError, std::string("exceeded limit of 1 with 2 alerts"));
        QVERIFY(group.activeAlerts().empty());
    }

    void sameLabelsetAfterRuleLabelsIsAnError()
    {
        MemorySeries store;
        RuleGroup group(groupFrom(R"(groups:
  - name: g
    rules:
      - record: collapsed
        expr: up
        labels:
          i: same
)"),
                        kMinute);
        store.append(Labels{{"__name__", "up"}, {"i", "a"}}, 0, 1);
        store.append(Labels{{"__name__", "up"}, {"i", "b"}}, 0, 1);
        group.evaluate(store, store, 0);
        QCOMPARE(group.rules()[0].lastError,
                 std::string("vector contains metrics with the same labelset after applying rule labels"));
    }
};

QTEST_GUILESS_MAIN(TestAlertState)
#include "tst_alert_state.moc"
