// The pure models under the simulator: the Kubernetes HPA algorithm (worked examples
// from the Kubernetes documentation and the runbook's HPA), the roofline timings of GPU
// inference, the seeded random numbers and the fault/action names.
#include "backends/sim/hpa.h"
#include "backends/sim/rng.h"
#include "backends/sim/roofline.h"
#include "backends/sim/simulation.h"

#include <QTest>

#include <cmath>
#include <set>

using namespace opsdeck::sim;

class TestSimModels : public QObject {
    Q_OBJECT
private slots:
    void hpaDocumentationExamples()
    {
        // "if the current metric value is 200m, and the desired value is 100m, the number of
        // replicas will be doubled ... if the current value is instead 50m, you'll halve"
        QCOMPARE(hpaReplicasForMetric(3, {200, 100}), 6);
        QCOMPARE(hpaReplicasForMetric(4, {50, 100}), 2);
        // within the 0.1 tolerance nothing changes
        QCOMPARE(hpaReplicasForMetric(10, {105, 100}), 10);
        QCOMPARE(hpaReplicasForMetric(10, {91, 100}), 10);
        // outside it: ceil(current × ratio)
        QCOMPARE(hpaReplicasForMetric(10, {112, 100}), 12);
        QCOMPARE(hpaReplicasForMetric(7, {85, 70}), 9); // ceil(8.5)
    }

    void hpaRunbookAutoscaler()
    {
        // runbook: min 10, max 100, cpu 70 %, agent_request_rate 1000 per pod
        const int minR = 10, maxR = 100;
        // cpu 90 % -> ceil(10 × 90/70) = 13; request rate 1500/pod -> 15; max wins
        QCOMPARE(hpaDesiredReplicas(10, {{90, 70}, {1500, 1000}}, minR, maxR), 15);
        QCOMPARE(hpaDesiredReplicas(10, {{140, 70}, {1100, 1000}}, minR, maxR), 20);
        // quiet: proposals below min clamp to 10
        QCOMPARE(hpaDesiredReplicas(10, {{20, 70}, {200, 1000}}, minR, maxR), 10);
        // runaway: clamp to 100
        QCOMPARE(hpaDesiredReplicas(80, {{95, 70}, {2500, 1000}}, minR, maxR), 100);
    }

    void hpaStabilisationAndScaleUpPolicy()
    {
        HpaController hpa(10, 100);
        // scale up at most max(2×, +4) per period: 10 -> 20 even though 50 is proposed
        QCOMPARE(hpa.evaluate(0, 10, {{70, 70}, {5000, 1000}}), 20);
        // load falls: the recommendation drops, but the 300 s window still holds 20
        QCOMPARE(hpa.evaluate(15000, 20, {{10, 70}, {100, 1000}}), 20);
        QCOMPARE(hpa.evaluate(290000, 20, {{10, 70}, {100, 1000}}), 20);
        // once the high recommendation leaves the window, scale down to the minimum
        QCOMPARE(hpa.evaluate(301000, 20, {{10, 70}, {100, 1000}}), 10);
    }

    void rooflinePrefillIsComputeBound()
    {
        const ModelShape m = modelShapeFor(70);
        const InferenceHardware hw;
        // 2·P·tokens / (gpus · peak · MFU)
        const double expected = 2.0 * 70e9 * 1000 / (8 * 989e12 * 0.5);
        QVERIFY(std::abs(prefillSeconds(m, hw, 1000) - expected) < 1e-12);
        QVERIFY(std::abs(prefillSeconds(m, hw, 2000) - 2 * expected) < 1e-12);
    }

    void rooflineDecodeIsBandwidthBound()
    {
        const ModelShape m = modelShapeFor(70);
        const InferenceHardware hw;
        QCOMPARE(m.layers, 80);
        QCOMPARE(m.kvBytesPerToken(), 2.0 * 80 * 8 * 128 * 2); // K+V, layers, kv heads, head dim, BF16
        const double bw = 8 * 4.8e12 * 0.8;
        // no KV read: weights once per step (140 GB / 30.72 TB/s ≈ 4.56 ms)
        QVERIFY(std::abs(decodeStepSeconds(m, hw, 0) - 140e9 / bw) < 1e-12);
        // a batch of 64 sequences of 2,000 tokens also streams its KV cache
        const double kv = 64 * 2000 * m.kvBytesPerToken();
        QVERIFY(std::abs(decodeStepSeconds(m, hw, kv) - (140e9 + kv) / bw) < 1e-12);
        // a model twice as large takes about twice as long per step
        const ModelShape big = modelShapeFor(140);
        QVERIFY(std::abs(decodeStepSeconds(big, hw, 0) / decodeStepSeconds(m, hw, 0) - 2.0) < 1e-9);
        // KV capacity: what is left of 8 × 141 GB at 90 % after weights and activations
        const double cap = kvCacheCapacityBytes(m, hw);
        QVERIFY(cap > 700e9 && cap < 8 * 141e9 * 0.9 - 140e9);
        // a model that does not fit leaves no KV cache
        QCOMPARE(kvCacheCapacityBytes(modelShapeFor(600), hw), 0.0);
    }

    void rngIsDeterministicAndSane()
    {
        Rng a(42), b(42), c(43);
        bool differs = false;
        for (int i = 0; i < 100; ++i) {
            const auto x = a.next();
            QCOMPARE(x, b.next());
            differs = differs || x != c.next();
        }
        QVERIFY(differs);
        Rng r(7);
        double sum = 0;
        for (int i = 0; i < 20000; ++i)
            sum += r.poisson(4.0);
        QVERIFY(std::abs(sum / 20000 - 4.0) < 0.1);
        const std::string suffix = r.kubeSuffix(5);
        QCOMPARE(suffix.size(), std::size_t(5));
        for (char ch : suffix)
            QVERIFY(std::string("bcdfghjklmnpqrstvwxz2456789").find(ch) != std::string::npos);
        const std::string uuid = r.uuid();
        QCOMPARE(uuid.size(), std::size_t(36));
        QCOMPARE(uuid[14], '4');
    }

    void namesRoundTrip()
    {
        std::set<std::string> seen;
        for (FaultKind k : allFaults()) {
            const opsdeck::Result<FaultKind> back = faultFromName(faultName(k));
            QVERIFY(back.ok());
            QVERIFY(*back == k);
            QVERIFY(seen.insert(faultName(k)).second);
        }
        for (ActionKind k : allActions()) {
            const opsdeck::Result<ActionKind> back = actionFromName(actionName(k));
            QVERIFY(back.ok());
            QVERIFY(*back == k);
        }
        QCOMPARE(allFaults().size(), std::size_t(10));
        QCOMPARE(allActions().size(), std::size_t(16));
        const opsdeck::Result<FaultKind> bad = faultFromName("meteor-strike");
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().find("meteor-strike") != std::string::npos);
        QVERIFY(bad.error().find("bad-deploy") != std::string::npos);
        QVERIFY(!actionFromName("").ok());
    }
};

QTEST_GUILESS_MAIN(TestSimModels)
#include "tst_sim_models.moc"
