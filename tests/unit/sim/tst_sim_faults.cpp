// Each fault shows the symptom the runbook's alert rules look for, within the time the
// rules assume, and the runbook's remedy takes it away again. Everything is measured
// from scrape() counters and gauges, as Prometheus would see it.
#include "sim_test_support.h"

#include <QTest>

using namespace opsdeck::sim;
using namespace opsdeck::sim::testing;

namespace {
// A default cluster at 14:00 UTC, near the daily peak.
std::unique_ptr<Simulation> busyCluster()
{
    auto sim = std::make_unique<Simulation>(SimConfig{});
    sim->advance(14 * kHour);
    return sim;
}

bool inPrimary(const Labels &l) { return l.get("region") == "us-east-1"; }

double gauge(const Simulation &sim, const std::string &name)
{
    return sumSamples(sim.scrape(), name, inPrimary);
}

double maxMemoryRatio(const Simulation &sim, const std::string &container)
{
    const auto s = sim.scrape();
    std::map<std::string, double> usage, limit;
    for (const auto &f : s)
        for (const auto &x : f.samples)
            if (x.labels.get("container") == container && inPrimary(x.labels)) {
                if (x.name == "container_memory_usage_bytes")
                    usage[x.labels.get("pod")] = x.value;
                else if (x.name == "container_spec_memory_limit_bytes")
                    limit[x.labels.get("pod")] = x.value;
            }
    double worst = 0;
    for (const auto &[pod, u] : usage)
        worst = std::max(worst, u / limit.at(pod));
    return worst;
}

void expectOk(const ActionResult &r)
{
    QVERIFY2(r.ok, r.message.c_str());
    QVERIFY(!r.kubectl.empty());
}
} // namespace

class TestSimFaults : public QObject {
    Q_OBJECT
private slots:
    void badDeployThenRollback()
    {
        auto sim = busyCluster();
        QVERIFY(errorRatioOver(*sim, 2 * kMin) < 0.01);
        sim->injectFault(fault(FaultKind::BadDeploy));
        // HighErrorRate territory within two minutes: > 5 % of requests failing
        QVERIFY(errorRatioOver(*sim, 2 * kMin) > 0.05);
        QVERIFY(findDeployment(*sim, "agent-orchestrator")->revision == 3);
        expectOk(sim->apply(action(ActionKind::Rollback, "agent-orchestrator")));
        sim->advance(3 * kMin);
        QVERIFY(errorRatioOver(*sim, kMin) < 0.01);
        QCOMPARE(findDeployment(*sim, "agent-orchestrator")->podTemplate.containers.front().image,
                 std::string("openai/chatgpt-agent:v2.14.0"));
    }

    void badDeployOfAnotherServiceThenRollback()
    {
        auto sim = busyCluster();
        sim->injectFault(fault(FaultKind::BadDeploy, "safety-filter", {{"error_rate", "0.2"}}));
        QVERIFY(errorRatioOver(*sim, 2 * kMin) > 0.05);
        // the failures are labelled as internal errors of the agent requests
        const auto s = sim->scrape();
        QVERIFY(sumSamples(s, "agent_errors_total", [](const Labels &l) { return l.get("reason") == "internal"; }) >
                sumSamples(s, "agent_errors_total", [](const Labels &l) { return l.get("reason") == "timeout"; }));
        expectOk(sim->apply(action(ActionKind::Rollback, "safety-filter")));
        sim->advance(3 * kMin);
        QVERIFY(errorRatioOver(*sim, kMin) < 0.01);
    }

    void modelServerCrashThenRestart()
    {
        auto sim = busyCluster();
        sim->injectFault(fault(FaultKind::ModelServerCrash));
        sim->advance(kMin);
        const auto s = sim->scrape();
        auto modelServer = [](const Labels &l) { return l.get("job") == "model-server" && inPrimary(l); };
        QCOMPARE(countSamples(s, "up", modelServer), 5);
        QCOMPARE(sumSamples(s, "up", modelServer), 0.0); // ModelServerDown: up == 0
        sim->advance(2 * kMin);
        int crashLooping = 0;
        for (const auto &p : sim->inventory().pods)
            crashLooping += (p.deployment == "model-server" && p.region == "us-east-1" && p.restarts > 0 && !p.ready) ? 1 : 0;
        QCOMPARE(crashLooping, 5);
        bool backOff = false;
        for (const auto &e : sim->kubeEvents())
            backOff = backOff || e.reason == "BackOff";
        QVERIFY(backOff);
        QVERIFY(errorRatioOver(*sim, kMin) > 0.5);
        expectOk(sim->apply(action(ActionKind::Restart, "model-server")));
        sim->advance(6 * kMin);
        QCOMPARE(sumSamples(sim->scrape(), "up", modelServer), 5.0);
        QVERIFY(errorRatioOver(*sim, kMin) < 0.01);
    }

    void vcPoolExhaustionThenScale()
    {
        auto sim = busyCluster();
        sim->injectFault(fault(FaultKind::VcPoolExhaustion));
        sim->advance(3 * kMin);
        QVERIFY(gauge(*sim, "virtual_computer_utilization") > 0.8); // P2 threshold
        QVERIFY(errorRatioOver(*sim, kMin) > 0.05);
        expectOk(sim->apply(action(ActionKind::Scale, "virtual-computer", {{"replicas", "100"}})));
        sim->advance(2 * kMin);
        QVERIFY(gauge(*sim, "virtual_computer_utilization") < 0.8);
        QVERIFY(errorRatioOver(*sim, kMin) < 0.01);
    }

    void dbPoolExhaustionThenIncrease()
    {
        auto sim = busyCluster();
        sim->injectFault(fault(FaultKind::DbPoolExhaustion));
        sim->advance(2 * kMin);
        QCOMPARE(gauge(*sim, "db_pool_connections_in_use"), gauge(*sim, "db_pool_connections_max"));
        QVERIFY(gauge(*sim, "db_pool_wait_seconds") > 1);
        QVERIFY(errorRatioOver(*sim, kMin) > 0.05);
        const ActionResult r = sim->apply(action(ActionKind::IncreaseDbPool));
        expectOk(r);
        QVERIFY(gauge(*sim, "db_pool_connections_max") > 50);
        sim->advance(2 * kMin);
        QVERIFY(gauge(*sim, "db_pool_connections_in_use") < gauge(*sim, "db_pool_connections_max"));
        QVERIFY(errorRatioOver(*sim, kMin) < 0.01);
    }

    void memoryLeakThenOomThenRestart()
    {
        auto sim = busyCluster();
        QVERIFY(maxMemoryRatio(*sim, "orchestrator") < 0.7);
        sim->injectFault(fault(FaultKind::MemoryLeak, "agent-orchestrator"));
        sim->advance(10 * kMin);
        QVERIFY(maxMemoryRatio(*sim, "orchestrator") < 0.9);
        // climbs past 90 % and stays there over 5 minutes: HighMemoryUsage fires
        sim->advance(6 * kMin);
        for (int i = 0; i < 5; ++i) {
            QVERIFY(maxMemoryRatio(*sim, "orchestrator") > 0.9);
            sim->advance(kMin);
        }
        // then the kernel kills containers at their limit
        sim->advance(5 * kMin);
        bool oom = false;
        for (const auto &e : sim->kubeEvents())
            oom = oom || e.reason == "OOMKilled";
        QVERIFY(oom);
        QVERIFY(sumSamples(sim->scrape(), "kube_pod_container_status_restarts_total",
                           [](const Labels &l) { return l.get("container") == "orchestrator" && inPrimary(l); }) > 0);
        // a rolling restart resets memory (the leak is in the image: it will grow again)
        expectOk(sim->apply(action(ActionKind::Restart, "agent-orchestrator")));
        sim->advance(3 * kMin);
        QVERIFY(maxMemoryRatio(*sim, "orchestrator") < 0.7);
        // rolling back to the image before v2.14.0 ends it (plain undo would only return to
        // the pre-restart template of the same leaky image, as in Kubernetes)
        expectOk(sim->apply(action(ActionKind::Rollback, "agent-orchestrator", {{"to-revision", "1"}})));
        sim->advance(30 * kMin);
        QVERIFY(maxMemoryRatio(*sim, "orchestrator") < 0.7);
    }

    void gpuFailureThenReplacement()
    {
        auto sim = busyCluster();
        sim->injectFault(fault(FaultKind::GpuFailure));
        sim->advance(30 * kSec);
        const auto s = sim->scrape();
        QVERIFY(sumSamples(s, "DCGM_FI_DEV_XID_ERRORS", inPrimary) >= 79 * 8);
        int notReady = 0, failedPods = 0;
        for (const auto &n : sim->inventory().nodes)
            notReady += n.ready ? 0 : 1;
        for (const auto &p : sim->inventory().pods)
            failedPods += p.phase == PodPhase::Failed ? 1 : 0;
        QCOMPARE(notReady, 1);
        QCOMPARE(failedPods, 1);
        QCOMPARE(findDeployment(*sim, "model-server")->readyReplicas, 4); // capacity drops
        // the ReplicaSet replaces the failed pod on a healthy GPU node (weights load)
        sim->advance(5 * kMin);
        QCOMPARE(findDeployment(*sim, "model-server")->readyReplicas, 5);
        expectOk(sim->apply(action(ActionKind::DeleteFailedPods)));
        sim->advance(kSec);
        failedPods = 0;
        for (const auto &p : sim->inventory().pods)
            failedPods += p.phase == PodPhase::Failed ? 1 : 0;
        QCOMPARE(failedPods, 0);
        QVERIFY(errorRatioOver(*sim, kMin) < 0.01);
    }

    void regionFailureThenFailover()
    {
        auto sim = busyCluster();
        sim->injectFault(fault(FaultKind::RegionFailure, "us-east-1"));
        QVERIFY(errorRatioOver(*sim, kMin) > 0.5);
        QCOMPARE(countSamples(sim->scrape(), "up", inPrimary), 0); // nothing to scrape there
        const ActionResult r = sim->apply(action(ActionKind::Failover, {}, {{"region", "us-west-2"}}));
        expectOk(r);
        sim->advance(3 * kMin);
        QCOMPARE(sim->health().activeRegion, std::string("us-west-2"));
        QVERIFY(errorRatioOver(*sim, kMin) < 0.01);
        QVERIFY(sim->health().requestRatePerMin > 5000);
    }

    void promptInjectionThenFilters()
    {
        auto sim = busyCluster();
        auto injections = [&](std::int64_t windowMs) {
            auto count = [&] {
                return sumSamples(sim->scrape(), "safety_violations_total",
                                  [](const Labels &l) { return l.get("type") == "prompt_injection"; });
            };
            const double a = count();
            sim->advance(windowMs);
            return (count() - a) / (windowMs / 1000.0);
        };
        QVERIFY(injections(5 * kMin) < 0.05);
        sim->injectFault(fault(FaultKind::PromptInjection));
        QVERIFY(injections(2 * kMin) > 1.0);
        expectOk(sim->apply(action(ActionKind::UpdatePromptFilters)));
        sim->advance(2 * kMin);
        QVERIFY(injections(5 * kMin) < 0.2);
    }

    void breachNeedsCredentialRotation()
    {
        auto sim = busyCluster();
        sim->injectFault(fault(FaultKind::PromptInjection, {}, {{"breach", "true"}}));
        auto exfiltration = [&](std::int64_t windowMs) {
            auto count = [&] {
                return sumSamples(sim->scrape(), "safety_violations_total",
                                  [](const Labels &l) { return l.get("type") == "data_exfiltration"; });
            };
            const double a = count();
            sim->advance(windowMs);
            return count() - a;
        };
        expectOk(sim->apply(action(ActionKind::UpdatePromptFilters)));
        sim->advance(2 * kMin);
        QVERIFY(exfiltration(5 * kMin) > 20); // filters do not stop stolen credentials
        expectOk(sim->apply(action(ActionKind::RotateCredentials)));
        QCOMPARE(exfiltration(5 * kMin), 0.0);
    }

    void dataCorruptionThenRestore()
    {
        auto sim = busyCluster();
        sim->advance(7 * kMin); // last automatic backup was at 14:00
        sim->injectFault(fault(FaultKind::DataCorruption));
        QVERIFY(errorRatioOver(*sim, 2 * kMin) > 0.05);
        const ActionResult r = sim->apply(action(ActionKind::Restore));
        expectOk(r);
        QVERIFY2(r.message.find("data loss") != std::string::npos, r.message.c_str());
        QVERIFY2(r.message.find("RPO") != std::string::npos, r.message.c_str());
        QVERIFY2(r.message.find("exceeds") != std::string::npos, r.message.c_str()); // 9 min > 5 min
        sim->advance(8 * kMin + 3 * kMin);
        QVERIFY(errorRatioOver(*sim, kMin) < 0.01);
        int clean = 0;
        for (const auto &b : sim->backups())
            clean += b.clean ? 1 : 0;
        QVERIFY(clean >= 57); // every 15 min since 00:00
    }

    void trafficSurgeThenScale()
    {
        auto sim = busyCluster();
        auto vllm = [&](const char *name) { return sumSamples(sim->scrape(), name, inPrimary); };
        // healthy: a modest batch, nothing waiting, KV cache mostly free
        QCOMPARE(vllm("vllm:num_requests_waiting"), 0.0);
        QVERIFY(vllm("vllm:kv_cache_usage_perc") / 5 < 0.5);
        QVERIFY(vllm("vllm:num_requests_running") > 5);
        const double preemptions = vllm("vllm:num_preemptions_total");
        sim->injectFault(fault(FaultKind::TrafficSurge));
        sim->advance(3 * kMin);
        // under-provisioned model servers: the KV cache fills, requests queue and get preempted
        QVERIFY(vllm("vllm:num_requests_waiting") > 0);
        QVERIFY(vllm("vllm:kv_cache_usage_perc") / 5 > 0.9);
        QVERIFY(vllm("vllm:num_preemptions_total") > preemptions);
        QVERIFY(sim->health().modelInferenceP99Sec > 2.0);
        QVERIFY(sim->health().requestRatePerMin > 10000); // agent_request_rate P2 threshold
        // the HPA reacts on its own
        QVERIFY(findDeployment(*sim, "agent-orchestrator")->replicas > 10);
        QVERIFY(errorRatioOver(*sim, kMin) > 0.05);
        // the runbook's high-load procedure
        expectOk(sim->apply(action(ActionKind::Scale, "virtual-computer", {{"replicas", "100"}})));
        expectOk(sim->apply(action(ActionKind::Scale, "model-server", {{"replicas", "20"}})));
        sim->advance(6 * kMin);
        QVERIFY(errorRatioOver(*sim, 2 * kMin) < 0.01);
        QVERIFY(sim->health().modelInferenceP99Sec < 2.0);
    }
};

QTEST_GUILESS_MAIN(TestSimFaults)
#include "tst_sim_faults.moc"
