// The Kubernetes JSON decoders over the recorded kubectl traffic (reference/kubectl/
// samples, copied to tests/unit/remote/samples) and over broken input: every error names the JSON path and the reason.
#include "backends/remote/kube_decode.h"
#include "kube_test_objects.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QTest>

using namespace opsdeck;
using namespace opsdeck::remote::kube;
using namespace kube_objects;
using nlohmann::json;

namespace {
std::string sample(const char *name) {
    QFile file(QStringLiteral(OPSDECK_SOURCE_DIR "/tests/unit/remote/samples/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open sample %s", name);
    return file.readAll().toStdString();
}
std::vector<std::string> lines(const std::string &text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        if (end > start)
            out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}
#define VERIFY_ERROR_CONTAINS(result, text)                                                        \
    do {                                                                                           \
        QVERIFY2(!(result).ok(), "expected an error");                                             \
        QVERIFY2((result).error().find(text) != std::string::npos, (result).error().c_str());      \
    } while (0)
} // namespace

class TestKubeDecode : public QObject {
    Q_OBJECT
private slots:
    void deploymentFromRecordedGet() {
        auto d = decodeDeployment(json::parse(sample("c04-get-deployment.json")));
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().c_str());
        QCOMPARE(d->name, std::string("agent-orchestrator"));
        QCOMPARE(d->ns, std::string("agents"));
        QCOMPARE(d->uid, std::string("4216c695-a0c6-4864-903c-f17be07e89f2"));
        QCOMPARE(d->replicas, 3);
        QCOMPARE(d->readyReplicas, 3);
        QCOMPARE(d->revision, 2);
        QCOMPARE(d->generation, std::int64_t(2));
        QCOMPARE(d->podTemplate.labels.at("app"), std::string("orchestrator"));
        QCOMPARE(d->podTemplate.containers.size(), std::size_t(1));
        QCOMPARE(d->podTemplate.containers[0].image, std::string("example/orchestrator:v1.1"));
        QVERIFY(!d->rolloutInProgress);
        QCOMPARE(d->createdMs, std::int64_t(1795437334000)); // 2026-11-23T12:35:34Z
    }

    void replicaSetsCarryRevisionAndOwner() {
        auto page = decodeReplicaSetList(sample("c05-replicasetlist.json"));
        QVERIFY2(page.ok(), page.ok() ? "" : page.error().c_str());
        QCOMPARE(page->resourceVersion, std::string("1033"));
        QCOMPARE(page->items.size(), std::size_t(2));
        QCOMPARE(page->items[0].revision, 1);
        QCOMPARE(page->items[1].revision, 2);
        QCOMPARE(page->items[0].deployment, std::string("agent-orchestrator"));
        QCOMPARE(page->items[0].podTemplateHash, std::string("8h6m9cm4n7"));
        QCOMPARE(page->items[0].podTemplate.containers[0].image, std::string("example/orchestrator:v1.0"));
        QCOMPARE(page->items[1].replicas, 10);
    }

    void podsFromGetAndFailedList() {
        auto pod = decodePod(json::parse(sample("c11-get-pod.json")));
        QVERIFY2(pod.ok(), pod.ok() ? "" : pod.error().c_str());
        QCOMPARE(pod->phase, sim::PodPhase::Running);
        QVERIFY(pod->ready);
        QCOMPARE(pod->nodeName, std::string("sim-node-3"));
        QCOMPARE(pod->replicaSet, std::string("agent-orchestrator-skqv599fqq"));
        QCOMPARE(pod->deployment, std::string("agent-orchestrator"));
        QCOMPARE(pod->restarts, 0);
        QVERIFY(pod->startedMs > 0);

        auto failed = decodePodList(sample("c09-podlist-failed.json"));
        QVERIFY2(failed.ok(), failed.ok() ? "" : failed.error().c_str());
        QCOMPARE(failed->items.size(), std::size_t(2));
        for (const sim::Pod &p : failed->items) {
            QCOMPARE(p.phase, sim::PodPhase::Failed);
            QCOMPARE(p.reason, std::string("Error")); // from the terminated container state
            QCOMPARE(p.deployment, std::string("agent-worker"));
        }
    }

    void deploymentListPlainJson() {
        auto page = decodeDeploymentList(sample("plainjson-fallback-deploymentlist.json"));
        QVERIFY2(page.ok(), page.ok() ? "" : page.error().c_str());
        QCOMPARE(page->resourceVersion, std::string("1023"));
        QVERIFY(!page->items.empty());
        QCOMPARE(page->items[0].name, std::string("agent-orchestrator"));
    }

    void recordedWatchStreamsDecodeLineByLine() {
        int pods = 0;
        for (const std::string &line : lines(sample("watch-plain-json-stream.jsonl"))) {
            auto event = decodeWatchEvent(line);
            QVERIFY2(event.ok(), event.ok() ? "" : event.error().c_str());
            QVERIFY(!event->resourceVersion.empty());
            auto pod = decodePod(*event->object);
            QVERIFY2(pod.ok(), pod.ok() ? "" : pod.error().c_str());
            ++pods;
        }
        QVERIFY(pods >= 1);
        bool sawRollout = false;
        for (const std::string &line : lines(sample("c07-rollout-status-watchstream.jsonl"))) {
            auto event = decodeWatchEvent(line);
            QVERIFY2(event.ok(), event.ok() ? "" : event.error().c_str());
            QCOMPARE(event->type, WatchType::Modified);
            auto d = decodeDeployment(*event->object);
            QVERIFY2(d.ok(), d.ok() ? "" : d.error().c_str());
            sawRollout |= d->rolloutInProgress;
        }
        QVERIFY(sawRollout); // the recorded stream shows a rollout in progress
    }

    void statusBodies() {
        auto status = decodeStatus(sample("c09-get-after-delete-404-status.json"));
        QVERIFY(status.has_value());
        QCOMPARE(status->code, 404);
        QCOMPARE(status->reason, std::string("NotFound"));
        QCOMPARE(status->message, std::string("pods \"agent-worker-gtjq7hbgdx-b78h5\" not found"));
        QVERIFY(!decodeStatus(sample("c11-get-pod.json")).has_value());
        QVERIFY(!decodeStatus("{not json").has_value());
        // A list request answered with a Status is an error, not an empty list.
        VERIFY_ERROR_CONTAINS(decodePodList(sample("c09-get-after-delete-404-status.json")),
                              "server answered Status 404 NotFound");
    }

    void nodesAndEvents() {
        auto nodes = decodeNodeList(kNodeList);
        QVERIFY2(nodes.ok(), nodes.ok() ? "" : nodes.error().c_str());
        QCOMPARE(nodes->continueToken, std::string("abc"));
        const sim::Node &gpu = nodes->items[0];
        QCOMPARE(gpu.gpuCount, 8);
        QCOMPARE(gpu.gpuModel, std::string("NVIDIA-H200"));
        QCOMPARE(gpu.region, std::string("us-east-1"));
        QCOMPARE(gpu.zone, std::string("us-east-1a"));
        QCOMPARE(gpu.cpuCores, 96.0);
        QCOMPARE(gpu.memoryBytes, 2.0 * 1099511627776.0);
        QVERIFY(gpu.ready);
        QCOMPARE(nodes->items[1].cpuCores, 3.5);
        QVERIFY(!nodes->items[1].ready);

        auto events = decodeEventList(kEventList);
        QVERIFY2(events.ok(), events.ok() ? "" : events.error().c_str());
        QCOMPARE(events->items[0].objectKind, std::string("Deployment"));
        QCOMPARE(events->items[0].reason, std::string("ScalingReplicaSet"));
        QCOMPARE(events->items[0].timeMs, *parseTimestamp("2026-11-28T12:35:36Z"));
        QCOMPARE(events->items[1].type, std::string("Warning"));
        QCOMPARE(events->items[1].timeMs, *parseTimestamp("2026-11-28T12:36:00.250Z"));
    }

    void watchEventKinds() {
        auto gone = decodeWatchEvent(kGoneEvent);
        QVERIFY(gone.ok());
        QCOMPARE(gone->type, WatchType::Error);
        QCOMPARE(gone->status->code, 410);
        auto bookmark = decodeWatchEvent(kBookmark);
        QVERIFY(bookmark.ok());
        QCOMPARE(bookmark->type, WatchType::Bookmark);
        QCOMPARE(bookmark->resourceVersion, std::string("12345"));
        VERIFY_ERROR_CONTAINS(decodeWatchEvent(kUnknownType), "unknown event type \"RENAMED\"");
        VERIFY_ERROR_CONTAINS(decodeWatchEvent("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"na"),
                              "malformed JSON");
        VERIFY_ERROR_CONTAINS(decodeWatchEvent("[]"), "expected a JSON object, got array");
    }

    void brokenInputNamesPathAndReason() {
        VERIFY_ERROR_CONTAINS(decodeDeploymentList(kMistypedReplicas),
                              "DeploymentList.items[1]: spec.replicas: expected integer, got string");
        VERIFY_ERROR_CONTAINS(decodePodList(kMissingName), "PodList.items[0]: metadata.name: missing");
        VERIFY_ERROR_CONTAINS(decodePodList(kMistypedRestart),
                              "status.containerStatuses[1].restartCount: expected integer, got string");
        VERIFY_ERROR_CONTAINS(decodePodList(kItemsNotArray), "PodList.items: expected array, got object");
        VERIFY_ERROR_CONTAINS(decodePod(json::parse(kBadTimestamp)),
                              "metadata.creationTimestamp: not an RFC 3339 timestamp: \"yesterday\"");
        // Truncated body (a connection cut mid-list).
        const std::string full = sample("c09-podlist-failed.json");
        VERIFY_ERROR_CONTAINS(decodePodList(full.substr(0, full.size() / 2)), "(truncated?)");
        VERIFY_ERROR_CONTAINS(decodePodList("<html>502 Bad Gateway</html>"), "malformed JSON");
        VERIFY_ERROR_CONTAINS(decodePodList("42"), "expected a JSON object, got number");
        VERIFY_ERROR_CONTAINS(decodePod(json::array()), "expected an object, got array");
    }

    void quantitiesAndTimestamps() {
        QCOMPARE(*parseQuantity("500m"), 0.5);
        QCOMPARE(*parseQuantity("2"), 2.0);
        QCOMPARE(*parseQuantity("1Gi"), 1073741824.0);
        QCOMPARE(*parseQuantity("1.5k"), 1500.0);
        QCOMPARE(*parseQuantity("1e3"), 1000.0);
        VERIFY_ERROR_CONTAINS(parseQuantity("12parsecs"), "unknown suffix");
        VERIFY_ERROR_CONTAINS(parseQuantity(""), "empty");
        QCOMPARE(*parseTimestamp("1970-01-01T00:00:00Z"), std::int64_t(0));
        QCOMPARE(*parseTimestamp("1970-01-01T01:00:00+01:00"), std::int64_t(0));
        QCOMPARE(*parseTimestamp("2000-03-01T00:00:00.5Z"), std::int64_t(951868800500));
        VERIFY_ERROR_CONTAINS(parseTimestamp("2026-13-01T00:00:00Z"), "not an RFC 3339");
        VERIFY_ERROR_CONTAINS(parseTimestamp("2026-01-01T00:00:00"), "not an RFC 3339");
    }
};

QTEST_GUILESS_MAIN(TestKubeDecode)
#include "tst_kube_decode.moc"
