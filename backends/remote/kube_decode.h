#pragma once
// Kubernetes API JSON -> the inventory structs the console already shows (sim::Pod, ...).
// Plain C++ (no Qt) so the fuzzer links it alone. Missing optional fields take the
// Kubernetes default; a field of the wrong type or a missing name is an error that names
// its JSON path ("items[3].status.containerStatuses[0].restartCount: expected integer,
// got string"), never a silent guess.
#include "../sim/inventory.h"
#include "../telemetry/result.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace opsdeck::remote::kube {

// "2026-11-28T12:35:37Z", "2026-11-28T12:35:37.123456+02:00" -> Unix ms.
Result<std::int64_t> parseTimestamp(std::string_view text);
// Resource quantities: "500m" -> 0.5, "2" -> 2, "1Gi" -> 1073741824, "1e3" -> 1000.
Result<double> parseQuantity(std::string_view text);

// A Kubernetes Status object (error bodies, watch ERROR events).
struct Status {
    int code = 0;
    std::string reason;   // "NotFound", "Expired", "Forbidden", ...
    std::string message;
};
// Parses body as a Status; nullopt when it is not one.
std::optional<Status> decodeStatus(std::string_view body);

Result<sim::Deployment> decodeDeployment(const nlohmann::json &object);
Result<sim::ReplicaSet> decodeReplicaSet(const nlohmann::json &object);
Result<sim::Pod> decodePod(const nlohmann::json &object);
Result<sim::Node> decodeNode(const nlohmann::json &object);
Result<sim::KubeEvent> decodeEvent(const nlohmann::json &object);

// What every decoded object also carries, for watches and actions.
struct ObjectMeta {
    std::string name, ns, uid, resourceVersion;
};
Result<ObjectMeta> decodeMeta(const nlohmann::json &object);

template <typename T>
struct ListPage {
    std::vector<T> items;
    std::string resourceVersion;  // list's metadata.resourceVersion: where a watch resumes
    std::string continueToken;    // metadata.continue: more pages follow when non-empty
};

// Whole list bodies ("PodList", ...). Errors say which item and field.
Result<ListPage<sim::Deployment>> decodeDeploymentList(std::string_view body);
Result<ListPage<sim::ReplicaSet>> decodeReplicaSetList(std::string_view body);
Result<ListPage<sim::Pod>> decodePodList(std::string_view body);
Result<ListPage<sim::Node>> decodeNodeList(std::string_view body);
Result<ListPage<sim::KubeEvent>> decodeEventList(std::string_view body);

enum class WatchType { Added, Modified, Deleted, Bookmark, Error };

// One line of a watch stream, the object still raw (decode it by kind). For ERROR
// events `status` holds the Status (code 410 = resourceVersion too old: re-list).
struct WatchEvent {
    WatchType type = WatchType::Added;
    std::string resourceVersion;  // object's metadata.resourceVersion
    std::shared_ptr<nlohmann::json> object;
    std::optional<Status> status;
};
Result<WatchEvent> decodeWatchEvent(std::string_view line);

} // namespace opsdeck::remote::kube
