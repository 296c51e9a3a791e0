// The Kubernetes-shaped inventory: the runbook's names, ReplicaSet revisions and
// template hashes, rollout undo semantics, scaling and pod start-up that take simulated
// time, GPU nodes, events, and the large preset's size.
#include "sim_test_support.h"

#include <QTest>

#include <algorithm>
#include <regex>
#include <set>

using namespace opsdeck::sim;
using namespace opsdeck::sim::testing;

namespace {
std::vector<const ReplicaSet *> replicaSetsOf(const Simulation &sim, const std::string &deployment,
                                              const std::string &ns = "chatgpt-agent")
{
    std::vector<const ReplicaSet *> out;
    for (const auto &rs : sim.inventory().replicaSets)
        if (rs.deployment == deployment && rs.ns == ns && rs.name.find(deployment) == 0)
            out.push_back(&rs);
    return out;
}

int podsIn(const Simulation &sim, const std::string &deployment, PodPhase phase, bool readyOnly = false,
           const std::string &region = "us-east-1")
{
    int n = 0;
    for (const auto &p : sim.inventory().pods)
        if (p.deployment == deployment && p.region == region && p.ns == "chatgpt-agent" && p.phase == phase &&
            (!readyOnly || p.ready))
            ++n;
    return n;
}
} // namespace

class TestSimInventory : public QObject {
    Q_OBJECT
private slots:
    void runbookNames()
    {
        Simulation sim(SimConfig{});
        const Inventory &inv = sim.inventory();
        QVERIFY(std::find(inv.namespaces.begin(), inv.namespaces.end(), "chatgpt-agent") != inv.namespaces.end());
        QVERIFY(std::find(inv.namespaces.begin(), inv.namespaces.end(), "chatgpt-agent-canary") != inv.namespaces.end());
        QCOMPARE(inv.regions.size(), std::size_t(2));
        QCOMPARE(inv.regions[0].name, std::string("us-east-1"));
        QVERIFY(inv.regions[0].primary);
        QCOMPARE(inv.regions[1].name, std::string("us-west-2"));

        const Deployment *orch = findDeployment(sim, "agent-orchestrator");
        QVERIFY(orch);
        QCOMPARE(orch->replicas, 10);
        QCOMPARE(orch->labels.at("app"), std::string("orchestrator"));
        QCOMPARE(orch->podTemplate.containers.front().name, std::string("orchestrator"));
        QCOMPARE(orch->podTemplate.containers.front().image, std::string("openai/chatgpt-agent:v2.14.0"));
        QCOMPARE(orch->readyReplicas, 10);
        QCOMPARE(findDeployment(sim, "virtual-computer")->replicas, 30);
        QCOMPARE(findDeployment(sim, "model-server")->replicas, 5);
        for (const char *name : {"load-balancer", "api-gateway", "browser-tool", "code-executor", "tool-api-gateway",
                                 "safety-filter", "permission-manager", "state-db", "message-queue"}) {
            const Deployment *d = findDeployment(sim, name);
            QVERIFY2(d, name);
            QVERIFY(d->readyReplicas == d->replicas && d->replicas > 0);
            QVERIFY(findDeployment(sim, name, "us-west-2"));
        }
        QCOMPARE(podsIn(sim, "agent-orchestrator", PodPhase::Running, true), 10);
    }

    void replicaSetsCarryRevisionsAndHashes()
    {
        Simulation sim(SimConfig{});
        const auto sets = replicaSetsOf(sim, "agent-orchestrator");
        // two regions × (revision 1 = v2.13.2, revision 2 = v2.14.0)
        QCOMPARE(sets.size(), std::size_t(4));
        const std::regex hash("[bcdfghjklmnpqrstvwxz2456789]{6,10}");
        for (const ReplicaSet *rs : sets) {
            QVERIFY(std::regex_match(rs->podTemplateHash, hash));
            QCOMPARE(rs->name, "agent-orchestrator-" + rs->podTemplateHash);
            QCOMPARE(rs->podTemplate.labels.at("pod-template-hash"), rs->podTemplateHash);
            const std::string image = rs->podTemplate.containers.front().image;
            QCOMPARE(rs->revision, image == "openai/chatgpt-agent:v2.14.0" ? 2 : 1);
            QCOMPARE(rs->replicas, rs->revision == 2 ? 10 : 0);
        }
        // pods are <rs-name>-<5 chars> and carry the hash label
        const std::regex podName("agent-orchestrator-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}");
        std::set<std::string> names, uids;
        for (const auto &p : sim.inventory().pods) {
            QVERIFY(names.insert(p.name + p.region).second);
            QVERIFY(uids.insert(p.uid).second);
            if (p.deployment != "agent-orchestrator")
                continue;
            QVERIFY2(std::regex_match(p.name, podName), p.name.c_str());
            QCOMPARE(p.name.substr(0, p.replicaSet.size()), p.replicaSet);
            QCOMPARE(p.labels.at("app"), std::string("orchestrator"));
            QVERIFY(!p.nodeName.empty());
        }
    }

    void rolloutUndoRestoresPreviousTemplate()
    {
        Simulation sim(SimConfig{});
        sim.advance(10 * kSec);
        ActionResult r = sim.apply(action(ActionKind::Rollback, "agent-orchestrator"));
        QVERIFY2(r.ok, r.message.c_str());
        QCOMPARE(r.kubectl, std::string("kubectl rollout undo deployment/agent-orchestrator -n chatgpt-agent"));
        const Deployment *d = findDeployment(sim, "agent-orchestrator");
        QCOMPARE(d->podTemplate.containers.front().image, std::string("openai/chatgpt-agent:v2.13.2"));
        // Kubernetes reuses the old ReplicaSet and gives it the next revision number
        QCOMPARE(d->revision, 3);
        int sets = 0;
        for (const ReplicaSet *rs : replicaSetsOf(sim, "agent-orchestrator"))
            if (rs->ns == "chatgpt-agent" && sim.inventory().deployments.size() && rs->podTemplate.containers.front().image.find("v2.13.2") != std::string::npos)
                sets += rs->revision == 3 ? 1 : 0;
        QCOMPARE(sets, 1);
        QVERIFY(d->rolloutInProgress);
        sim.advance(3 * kMin);
        d = findDeployment(sim, "agent-orchestrator");
        QVERIFY(!d->rolloutInProgress);
        QCOMPARE(d->readyReplicas, 10);
        QCOMPARE(d->updatedReplicas, 10);
        for (const auto &p : sim.inventory().pods)
            if (p.deployment == "agent-orchestrator" && p.region == "us-east-1" && p.ns == "chatgpt-agent")
                QCOMPARE(p.containers.front().image, std::string("openai/chatgpt-agent:v2.13.2"));
        // undo again: back to v2.14.0 as revision 4
        QVERIFY(sim.apply(action(ActionKind::Rollback, "agent-orchestrator")).ok);
        d = findDeployment(sim, "agent-orchestrator");
        QCOMPARE(d->revision, 4);
        QCOMPARE(d->podTemplate.containers.front().image, std::string("openai/chatgpt-agent:v2.14.0"));
    }

    void rollingUpdateRespectsSurgeAndUnavailability()
    {
        Simulation sim(SimConfig{});
        QVERIFY(sim.apply(action(ActionKind::SetImage, "agent-orchestrator", {{"image", "v2.15.0"}})).ok);
        // maxSurge 25 % of 10 = 3 (rounded up), maxUnavailable 25 % = 2 (rounded down)
        bool sawSurge = false;
        for (int s = 0; s < 180; ++s) {
            sim.advance(kSec);
            int total = 0, ready = 0;
            for (const auto &p : sim.inventory().pods)
                if (p.deployment == "agent-orchestrator" && p.region == "us-east-1" && p.ns == "chatgpt-agent") {
                    ++total;
                    ready += p.ready ? 1 : 0;
                }
            QVERIFY2(total <= 13, qPrintable(QString("total pods %1 > 10 + maxSurge").arg(total)));
            QVERIFY2(ready >= 8, qPrintable(QString("ready pods %1 < 10 - maxUnavailable").arg(ready)));
            sawSurge = sawSurge || total > 10;
        }
        QVERIFY(sawSurge);
        QCOMPARE(findDeployment(sim, "agent-orchestrator")->podTemplate.containers.front().image,
                 std::string("openai/chatgpt-agent:v2.15.0"));
        QVERIFY(!findDeployment(sim, "agent-orchestrator")->rolloutInProgress);
    }

    void scalingAndStartUpTakeTime()
    {
        Simulation sim(SimConfig{});
        ActionResult r = sim.apply(action(ActionKind::Scale, "virtual-computer", {{"replicas", "40"}}));
        QVERIFY2(r.ok, r.message.c_str());
        QCOMPARE(r.kubectl, std::string("kubectl scale deployment/virtual-computer --replicas=40 -n chatgpt-agent"));
        sim.advance(kSec);
        // the new pods exist but are still Pending (scheduling, ContainerCreating)
        QCOMPARE(podsIn(sim, "virtual-computer", PodPhase::Pending), 10);
        QCOMPARE(findDeployment(sim, "virtual-computer")->readyReplicas, 30);
        bool sawCreating = false;
        for (const auto &p : sim.inventory().pods)
            sawCreating = sawCreating || (p.deployment == "virtual-computer" && p.reason == "ContainerCreating");
        sim.advance(3 * kSec);
        for (const auto &p : sim.inventory().pods)
            sawCreating = sawCreating || (p.deployment == "virtual-computer" && p.reason == "ContainerCreating");
        QVERIFY(sawCreating);
        sim.advance(kMin);
        QCOMPARE(findDeployment(sim, "virtual-computer")->readyReplicas, 40);
        QCOMPARE(podsIn(sim, "virtual-computer", PodPhase::Running, true), 40);

        // model servers load 140 GB of weights: minutes, not seconds
        QVERIFY(sim.apply(action(ActionKind::Scale, "model-server", {{"replicas", "8"}})).ok);
        sim.advance(kMin);
        QCOMPARE(findDeployment(sim, "model-server")->readyReplicas, 5);
        QVERIFY(podsIn(sim, "model-server", PodPhase::Running) >= 6); // started, loading weights
        sim.advance(3 * kMin);
        QCOMPARE(findDeployment(sim, "model-server")->readyReplicas, 8);

        // scale down removes pods and says so in the events
        QVERIFY(sim.apply(action(ActionKind::Scale, "virtual-computer", {{"replicas", "30"}})).ok);
        sim.advance(kSec);
        QCOMPARE(podsIn(sim, "virtual-computer", PodPhase::Running), 30);
        bool scaled = false, killing = false;
        for (const auto &e : sim.kubeEvents()) {
            scaled = scaled || (e.reason == "ScalingReplicaSet" && e.objectName == "virtual-computer");
            killing = killing || e.reason == "Killing";
        }
        QVERIFY(scaled);
        QVERIFY(killing);
    }

    void gpuNodesAndPlacement()
    {
        Simulation sim(SimConfig{});
        int gpuNodes = 0;
        std::set<std::string> gpuNodeNames;
        for (const auto &n : sim.inventory().nodes) {
            if (n.gpuCount == 0)
                continue;
            ++gpuNodes;
            QCOMPARE(n.gpuCount, 8);
            QCOMPARE(n.gpuModel, std::string("NVIDIA-H200"));
            QCOMPARE(n.labels.at("topology.kubernetes.io/region"), n.region);
            gpuNodeNames.insert(n.name);
        }
        QVERIFY(gpuNodes >= 20);
        std::set<std::string> used;
        for (const auto &p : sim.inventory().pods)
            if (p.deployment == "model-server") {
                QVERIFY(gpuNodeNames.count(p.nodeName));
                QVERIFY(used.insert(p.nodeName).second); // one pod per 8-GPU node
            }
        // more model servers than free GPU nodes: the rest stay Pending (Unschedulable)
        QVERIFY(sim.apply(action(ActionKind::Scale, "model-server", {{"replicas", "30"}})).ok);
        sim.advance(30 * kSec);
        int unschedulable = 0;
        for (const auto &p : sim.inventory().pods)
            unschedulable += (p.deployment == "model-server" && p.reason == "Unschedulable") ? 1 : 0;
        QCOMPARE(unschedulable, 30 - 24);
    }

    void largePreset()
    {
        SimConfig cfg;
        cfg.preset = Preset::Large;
        Simulation sim(cfg);
        QVERIFY(sim.inventory().pods.size() >= 10000);
        int gpuNodes = 0;
        for (const auto &n : sim.inventory().nodes)
            gpuNodes += n.gpuCount > 0 ? 1 : 0;
        QVERIFY(gpuNodes >= 1000);
        QCOMPARE(sim.inventory().regions.size(), std::size_t(3));
        sim.advance(30 * kSec);
        const HealthSnapshot h = sim.health();
        QVERIFY(h.requestRatePerMin > 50000);
        QVERIFY(h.errorRatio < 0.01);
    }
};

QTEST_GUILESS_MAIN(TestSimInventory)
#include "tst_sim_inventory.moc"
