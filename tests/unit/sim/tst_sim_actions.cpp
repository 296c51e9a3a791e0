// Operator actions: bad input is refused with a clear message (never a crash), every
// action is recorded as an event with its kubectl equivalent, canaries take their share
// of traffic, progressive rollouts promote healthy versions and roll back bad ones, and
// scheduled faults and actions fire at their times.
#include "sim_test_support.h"

#include <QTest>

using namespace opsdeck::sim;
using namespace opsdeck::sim::testing;

class TestSimActions : public QObject {
    Q_OBJECT
private slots:
    void badInputIsRefused_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("no such deployment") << int(ActionKind::Scale) << "no-such-thing" << "replicas" << "3" << "no-such-thing";
        QTest::newRow("negative replicas") << int(ActionKind::Scale) << "virtual-computer" << "replicas" << "-1" << "replicas";
        QTest::newRow("text replicas") << int(ActionKind::Scale) << "virtual-computer" << "replicas" << "many" << "replicas";
        QTest::newRow("missing replicas") << int(ActionKind::Scale) << "virtual-computer" << "" << "" << "replicas";
        QTest::newRow("rollback without history") << int(ActionKind::Rollback) << "code-executor" << "" << "" << "no previous revision";
        QTest::newRow("rollback unknown revision") << int(ActionKind::Rollback) << "agent-orchestrator" << "to-revision" << "42" << "42";
        QTest::newRow("unknown region") << int(ActionKind::Failover) << "" << "region" << "mars-1" << "mars-1";
        QTest::newRow("set-image without image") << int(ActionKind::SetImage) << "agent-orchestrator" << "" << "" << "image";
        QTest::newRow("canary percent") << int(ActionKind::Canary) << "agent-orchestrator" << "percent" << "150" << "percent";
        QTest::newRow("canary of model server") << int(ActionKind::Canary) << "model-server" << "image" << "v1" << "agent-orchestrator";
        QTest::newRow("restore unknown backup") << int(ActionKind::Restore) << "" << "backup" << "nope" << "nope";
        QTest::newRow("db pool zero") << int(ActionKind::IncreaseDbPool) << "" << "size" << "0" << "size";
        QTest::newRow("safety mode maybe") << int(ActionKind::SafetyMode) << "" << "enabled" << "maybe" << "enabled";
        QTest::newRow("bad namespace") << int(ActionKind::Restart) << "agent-orchestrator" << "namespace" << "default" << "namespace";
    }

    void badInputIsRefused()
    {
        QFETCH(int, kind);
        QFETCH(QString, target);
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, mentions);
        Simulation sim(SimConfig{});
        ActionSpec a = action(static_cast<ActionKind>(kind), target.toStdString());
        if (!key.isEmpty())
            a.params[key.toStdString()] = value.toStdString();
        const auto before = sim.inventory().pods.size();
        const ActionResult r = sim.apply(a);
        QVERIFY(!r.ok);
        QVERIFY2(r.message.find(mentions.toStdString()) != std::string::npos, r.message.c_str());
        QVERIFY(!sim.events().empty());
        QVERIFY(!sim.events().back().ok);
        sim.advance(kMin);
        QCOMPARE(sim.inventory().pods.size(), before);
    }

    void everyActionRecordsAnEvent()
    {
        Simulation sim(SimConfig{});
        sim.advance(kMin);
        const std::pair<ActionSpec, std::string> cases[] = {
            {action(ActionKind::Scale, "agent-orchestrator", {{"replicas", "12"}}), "kubectl scale deployment/agent-orchestrator --replicas=12 -n chatgpt-agent"},
            {action(ActionKind::Restart, "virtual-computer"), "kubectl rollout restart deployment/virtual-computer -n chatgpt-agent"},
            {action(ActionKind::DeleteFailedPods), "kubectl delete pods -n chatgpt-agent --field-selector status.phase=Failed"},
            {action(ActionKind::SetImage, "model-server", {{"image", "vllm/vllm-openai:v0.6.4"}}), "kubectl set image deployment/model-server vllm=vllm/vllm-openai:v0.6.4 -n chatgpt-agent"},
        };
        for (const auto &[spec, kubectl] : cases) {
            const auto events = sim.events().size();
            const ActionResult r = sim.apply(spec);
            QVERIFY2(r.ok, r.message.c_str());
            QCOMPARE(r.kubectl, kubectl);
            QCOMPARE(sim.events().size(), events + 1);
            QVERIFY(sim.events().back().kind == SimEvent::Kind::Action);
            QVERIFY(sim.events().back().detail.find(kubectl) != std::string::npos);
        }
        for (ActionKind k : {ActionKind::SafetyMode, ActionKind::CircuitBreaker, ActionKind::Backup, ActionKind::IsolateResources,
                             ActionKind::UpdatePromptFilters, ActionKind::RotateCredentials, ActionKind::IncreaseDbPool,
                             ActionKind::Failover, ActionKind::Rollback}) {
            const ActionResult r = sim.apply(action(k));
            QVERIFY2(r.ok, (std::string(actionName(k)) + ": " + r.message).c_str());
            QVERIFY(!r.kubectl.empty());
        }
    }

    void canaryTakesItsShare()
    {
        Simulation sim(SimConfig{});
        sim.advance(12 * kHour);
        const ActionResult r = sim.apply(action(ActionKind::Canary, "agent-orchestrator", {{"image", "v2.15.0"}, {"percent", "10"}}));
        QVERIFY2(r.ok, r.message.c_str());
        const Deployment *canary = findDeployment(sim, "agent-orchestrator", "us-east-1", "chatgpt-agent-canary");
        QVERIFY(canary);
        QCOMPARE(canary->replicas, 1);
        QCOMPARE(canary->podTemplate.containers.front().image, std::string("openai/chatgpt-agent:v2.15.0"));
        QCOMPARE(canary->labels.at("app"), std::string("orchestrator"));
        sim.advance(kMin);
        const Counters a = Counters::of(sim), ca = Counters::of(sim, "chatgpt-agent-canary");
        sim.advance(10 * kMin);
        const Counters b = Counters::of(sim), cb = Counters::of(sim, "chatgpt-agent-canary");
        const double share = (cb.requests - ca.requests) / ((cb.requests - ca.requests) + (b.requests - a.requests));
        QVERIFY2(share > 0.08 && share < 0.12, qPrintable(QString::number(share)));
    }

    void progressiveRolloutPromotesAHealthyVersion()
    {
        Simulation sim(SimConfig{});
        sim.advance(10 * kHour);
        const ActionResult r = sim.apply(action(ActionKind::ProgressiveRollout, "agent-orchestrator", {{"image", "v2.15.0"}}));
        QVERIFY2(r.ok, r.message.c_str());
        // 3 × 300 s + 600 s of stages (25 min), then the main deployment rolls
        sim.advance(24 * kMin);
        QVERIFY(findDeployment(sim, "agent-orchestrator")->podTemplate.containers.front().image == "openai/chatgpt-agent:v2.14.0");
        QVERIFY(findDeployment(sim, "agent-orchestrator", "us-east-1", "chatgpt-agent-canary")->replicas == 10);
        sim.advance(2 * kMin);
        QVERIFY(findDeployment(sim, "agent-orchestrator")->podTemplate.containers.front().image == "openai/chatgpt-agent:v2.15.0");
        bool completed = false;
        for (const auto &e : sim.events())
            completed = completed || (e.kind == SimEvent::Kind::Rollout && e.title.find("completed") != std::string::npos);
        QVERIFY(completed);
        sim.advance(3 * kMin);
        QCOMPARE(findDeployment(sim, "agent-orchestrator")->readyReplicas, 10);
        QVERIFY(errorRatioOver(sim, kMin) < 0.01);
    }

    void progressiveRolloutRollsBackABadVersion()
    {
        Simulation sim(SimConfig{});
        sim.advance(10 * kHour);
        // v2.15.0 is bad: deploy it, see it fail, undo it
        sim.injectFault(fault(FaultKind::BadDeploy, "agent-orchestrator", {{"image", "openai/chatgpt-agent:v2.15.0"}}));
        sim.advance(kMin);
        QVERIFY(sim.apply(action(ActionKind::Rollback, "agent-orchestrator")).ok);
        sim.advance(5 * kMin);
        QVERIFY(errorRatioOver(sim, kMin) < 0.01);
        // now try it carefully
        QVERIFY(sim.apply(action(ActionKind::ProgressiveRollout, {}, {{"image", "v2.15.0"}})).ok);
        sim.advance(3 * kMin);
        bool rolledBack = false;
        for (const auto &e : sim.events())
            rolledBack = rolledBack || (e.kind == SimEvent::Kind::Rollout && !e.ok && e.title.find("rolled back at 5%") != std::string::npos);
        QVERIFY(rolledBack);
        const Counters a = Counters::of(sim, "chatgpt-agent-canary");
        sim.advance(5 * kMin);
        QCOMPARE(Counters::of(sim, "chatgpt-agent-canary").requests, a.requests); // canary out of traffic
        QCOMPARE(findDeployment(sim, "agent-orchestrator")->podTemplate.containers.front().image, std::string("openai/chatgpt-agent:v2.14.0"));
    }

    void scheduledFaultsAndActionsFireOnTime()
    {
        Simulation sim(SimConfig{});
        sim.scheduleFault(90 * kSec, fault(FaultKind::TrafficSurge, {}, {{"factor", "2"}}));
        sim.scheduleAction(150 * kSec, action(ActionKind::Scale, "virtual-computer", {{"replicas", "45"}}));
        sim.advance(89 * kSec);
        for (const auto &e : sim.events())
            QVERIFY(e.kind != SimEvent::Kind::Fault);
        sim.advance(2 * kSec);
        QVERIFY(sim.events().back().kind == SimEvent::Kind::Fault || std::any_of(sim.events().begin(), sim.events().end(), [](const SimEvent &e) {
                    return e.kind == SimEvent::Kind::Fault && e.timeMs == 90 * kSec;
                }));
        sim.advance(60 * kSec);
        QCOMPARE(findDeployment(sim, "virtual-computer")->replicas, 45);
        bool at150 = false;
        for (const auto &e : sim.events())
            at150 = at150 || (e.kind == SimEvent::Kind::Action && e.timeMs == 150 * kSec);
        QVERIFY(at150);
    }

    void circuitBreakersFailFast()
    {
        Simulation sim(SimConfig{});
        sim.advance(14 * kHour);
        sim.injectFault(fault(FaultKind::ModelServerCrash));
        sim.advance(5 * kMin);
        // calls to the dead model servers wait for their timeout
        QVERIFY(sim.health().avgTaskLatencySec > 20);
        QVERIFY(sim.apply(action(ActionKind::CircuitBreaker)).ok);
        sim.advance(5 * kMin);
        QVERIFY(sim.health().avgTaskLatencySec < 5);
        // healing the fault (instructor) lets the crash-looping pods come back
        sim.clearFault(FaultKind::ModelServerCrash);
        sim.advance(10 * kMin);
        QCOMPARE(findDeployment(sim, "model-server")->readyReplicas, 5);
        QVERIFY(errorRatioOver(sim, kMin) < 0.01);
    }

    void safetyModeAndIsolationContainAnAttack()
    {
        Simulation sim(SimConfig{});
        sim.advance(14 * kHour);
        sim.injectFault(fault(FaultKind::PromptInjection, {}, {{"breach", "true"}}));
        auto rate = [&](const char *type) {
            auto count = [&] {
                return sumSamples(sim.scrape(), "safety_violations_total", [&](const Labels &l) { return l.get("type") == type; });
            };
            const double a = count();
            sim.advance(5 * kMin);
            return (count() - a) / 300.0;
        };
        sim.advance(kMin);
        QVERIFY(rate("prompt_injection") > 1.0);
        QVERIFY(sim.apply(action(ActionKind::SafetyMode)).ok);
        sim.advance(kMin);
        QVERIFY(rate("prompt_injection") < 0.5);
        const double exfil = rate("data_exfiltration");
        QVERIFY(exfil > 0.2);
        QVERIFY(sim.apply(action(ActionKind::IsolateResources, "virtual-computer")).ok);
        QVERIFY(rate("data_exfiltration") < exfil / 2);
    }

    void backupsAreTakenEveryFifteenMinutes()
    {
        Simulation sim(SimConfig{});
        sim.advance(kHour);
        const auto backups = sim.backups();
        QCOMPARE(backups.size(), std::size_t(5)); // 00:00, 00:15, 00:30, 00:45, 01:00
        QCOMPARE(backups[1].timeMs, 15 * kMin);
        QCOMPARE(backups[0].id, std::string("state-db-20250720-000000"));
        const ActionResult r = sim.apply(action(ActionKind::Backup));
        QVERIFY(r.ok);
        QCOMPARE(sim.backups().size(), std::size_t(6));
    }
};

QTEST_GUILESS_MAIN(TestSimActions)
#include "tst_sim_actions.moc"
