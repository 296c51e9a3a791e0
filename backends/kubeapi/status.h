#pragma once
// Kubernetes `Status` error bodies: the HTTP code, reason and message kubectl prints as
// "Error from server (Reason): message".
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace opsdeck::kubeapi {

struct ApiError {
    int code = 500;
    std::string reason;  // "NotFound", "Forbidden", "Conflict", "Invalid", "BadRequest", ...
    std::string message;
    std::string name;    // details.name
    std::string group;   // details.group
    std::string kind;    // details.kind (resource plural, as the API server writes it)
    // details.causes of a 422: kubectl prints "field: message" for each.
    struct Cause {
        std::string reason, message, field;
    };
    std::vector<Cause> causes;
};

nlohmann::json statusJson(const ApiError &error);

// The API server's wording, so kubectl's output reads as against a real cluster.
// qualified: "deployments.apps" or "pods" (resource[.group]).
ApiError notFound(const std::string &resource, const std::string &group, const std::string &name);
ApiError conflict(const std::string &resource, const std::string &group, const std::string &name);
// 422 Invalid: "Deployment.apps "x" is invalid: FIELD: DETAIL", with one cause for FIELD.
ApiError invalid(const std::string &kind, const std::string &group, const std::string &name,
                 const std::string &field, const std::string &detail);
ApiError badRequest(const std::string &message);
ApiError methodNotAllowed(const std::string &message);
ApiError unauthorized();
ApiError forbidden(const std::string &user, const std::string &verb, const std::string &resource,
                   const std::string &subresource, const std::string &group, const std::string &ns,
                   const std::string &name);
ApiError gone(const std::string &message);

} // namespace opsdeck::kubeapi
