#pragma once
// Time and quantity text as the Kubernetes API server writes it.
#include <cstdint>
#include <string>

namespace opsdeck::kubeapi {

// RFC 3339 in UTC, seconds precision: "2025-07-20T00:00:00Z".
std::string rfc3339(std::int64_t epochMs);
// Parses rfc3339() output (and fractional seconds / "+00:00"); -1 when malformed.
std::int64_t parseRfc3339(const std::string &text);
// kubectl's AGE column (k8s.io/apimachinery duration.HumanDuration): "45s", "3m12s",
// "47h", "5d", "2y30d". Negative spans print as "0s" as the API server does for skew.
std::string humanDuration(std::int64_t ms);
// CPU in nanocores ("67245912n") and memory in KiB ("173124Ki"), as metrics-server does.
std::string cpuNanocores(double cores);
std::string memoryKi(double bytes);
// Requests/limits as a person writes them: "500m", "2", "16Gi".
std::string cpuQuantity(double cores);
std::string memoryQuantity(double bytes);

} // namespace opsdeck::kubeapi
