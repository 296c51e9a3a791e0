#pragma once
// Helpers shared by the api*.cpp files; not part of the library's interface.
#include "api.h"

#include <optional>
#include <string>

namespace opsdeck::kubeapi {

namespace detail {
std::string queryValue(const Request &request, const std::string &key);
bool wantsTable(const Request &request);
std::string hexEncode(const std::string &text);
std::optional<std::string> hexDecode(const std::string &text);
} // namespace detail

// autoscaling/v1 Scale of a stored Deployment.
nlohmann::json KubeApi_scaleJson(const StoredObject &deployment);

} // namespace opsdeck::kubeapi
