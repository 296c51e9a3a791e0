#pragma once
// Hand-written Kubernetes objects for tst_kube_decode where the recorded samples have
// none (full Node and Event objects), and deliberately broken ones. Kept out of the
// moc-read .cpp (moc 6.4 misparses braces inside raw strings).
namespace kube_objects {

inline constexpr const char *kNodeList = R"json({"kind":"NodeList","apiVersion":"v1",
 "metadata":{"resourceVersion":"77","continue":"abc"},
 "items":[{"metadata":{"name":"gpu-node-1","uid":"u1","labels":{
    "topology.kubernetes.io/region":"us-east-1","topology.kubernetes.io/zone":"us-east-1a",
    "nvidia.com/gpu.product":"NVIDIA-H200"}},
  "status":{"capacity":{"cpu":"96","memory":"2Ti","nvidia.com/gpu":"8"},
   "conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}]}},
  {"metadata":{"name":"cpu-node-2"},
  "status":{"capacity":{"cpu":"3500m","memory":"16Gi"},
   "conditions":[{"type":"Ready","status":"Unknown"}]}}]})json";

inline constexpr const char *kEventList = R"json({"kind":"EventList","apiVersion":"v1","metadata":{"resourceVersion":"9"},
 "items":[{"metadata":{"name":"agent-orchestrator.1d5","namespace":"agents","creationTimestamp":"2026-11-28T12:35:37Z"},
  "involvedObject":{"kind":"Deployment","name":"agent-orchestrator","namespace":"agents"},
  "reason":"ScalingReplicaSet","message":"Scaled up replica set agent-orchestrator-q6 to 10",
  "type":"Normal","firstTimestamp":"2026-11-28T12:30:00Z","lastTimestamp":"2026-11-28T12:35:36Z"},
  {"metadata":{"name":"pod.1","namespace":"agents","creationTimestamp":"2026-11-28T12:35:37Z"},
  "involvedObject":{"kind":"Pod","name":"agent-worker-x"},"reason":"BackOff","type":"Warning",
  "eventTime":"2026-11-28T12:36:00.250000Z","lastTimestamp":null}]})json";

inline constexpr const char *kMistypedReplicas =
    R"json({"kind":"DeploymentList","items":[{"metadata":{"name":"a","namespace":"n"},"spec":{"replicas":1}},
      {"metadata":{"name":"b","namespace":"n"},"spec":{"replicas":"three"}}]})json";
inline constexpr const char *kMissingName =
    R"json({"kind":"PodList","items":[{"metadata":{"namespace":"n"}}]})json";
inline constexpr const char *kMistypedRestart =
    R"json({"kind":"PodList","items":[{"metadata":{"name":"p"},"status":{"containerStatuses":[{"restartCount":2},{"restartCount":"x"}]}}]})json";
inline constexpr const char *kItemsNotArray = R"json({"kind":"PodList","items":{"a":1}})json";
inline constexpr const char *kBadTimestamp =
    R"json({"metadata":{"name":"p","creationTimestamp":"yesterday"}})json";
inline constexpr const char *kGoneEvent =
    R"json({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 5 (1000)","reason":"Expired","code":410}})json";
inline constexpr const char *kBookmark =
    R"json({"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"12345"}}})json";
inline constexpr const char *kUnknownType = R"json({"type":"RENAMED","object":{}})json";

} // namespace kube_objects
