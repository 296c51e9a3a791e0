#pragma once
// The three PATCH flavours kubectl sends, applied to an object's JSON:
//   application/merge-patch+json            RFC 7386 (kubectl scale → the scale subresource)
//   application/json-patch+json             RFC 6902 (kubectl rollout undo)
//   application/strategic-merge-patch+json  Kubernetes SMP (set image, rollout restart):
//       lists of named items (containers, env, ports, volumes) merge by their key,
//       "$setElementOrder/<list>" only orders, "$patch": "delete"/"replace" directives.
#include "../telemetry/result.h"

#include <nlohmann/json.hpp>

#include <string>

namespace opsdeck::kubeapi {

enum class PatchType { Merge, Json, StrategicMerge };

// From the request's Content-Type; an error names the unsupported media type.
Result<PatchType> patchTypeFromContentType(const std::string &contentType);

// Applies `patchText` to `target`; errors say what is malformed and where.
Result<nlohmann::json> applyPatch(const nlohmann::json &target, const std::string &patchText, PatchType type);

} // namespace opsdeck::kubeapi
