#include "status.h"

namespace opsdeck::kubeapi {

namespace {
std::string qualified(const std::string &resource, const std::string &group)
{
    return group.empty() ? resource : resource + "." + group;
}
} // namespace

nlohmann::json statusJson(const ApiError &error)
{
    nlohmann::json j = {{"kind", "Status"},
                        {"apiVersion", "v1"},
                        {"metadata", nlohmann::json::object()},
                        {"status", "Failure"},
                        {"message", error.message},
                        {"reason", error.reason},
                        {"code", error.code}};
    if (!error.name.empty() || !error.kind.empty()) {
        nlohmann::json details = nlohmann::json::object();
        if (!error.name.empty())
            details["name"] = error.name;
        if (!error.group.empty())
            details["group"] = error.group;
        if (!error.kind.empty())
            details["kind"] = error.kind;
        if (!error.causes.empty()) {
            nlohmann::json causes = nlohmann::json::array();
            for (const ApiError::Cause &c : error.causes)
                causes.push_back({{"reason", c.reason}, {"message", c.message}, {"field", c.field}});
            details["causes"] = causes;
        }
        j["details"] = details;
    }
    return j;
}

ApiError notFound(const std::string &resource, const std::string &group, const std::string &name)
{
    return {404, "NotFound", qualified(resource, group) + " \"" + name + "\" not found", name, group, resource, {}};
}

ApiError conflict(const std::string &resource, const std::string &group, const std::string &name)
{
    return {409, "Conflict",
            "Operation cannot be fulfilled on " + qualified(resource, group) + " \"" + name +
                "\": the object has been modified; please apply your changes to the latest version and try again",
            name, group, resource, {}};
}

ApiError invalid(const std::string &kind, const std::string &group, const std::string &name, const std::string &field,
                 const std::string &detail)
{
    ApiError e{422, "Invalid", qualified(kind, group) + " \"" + name + "\" is invalid: " + field + ": " + detail, name, group,
               kind, {}};
    const std::string reason = detail.rfind("Required", 0) == 0    ? "FieldValueRequired"
                               : detail.rfind("Forbidden", 0) == 0 ? "FieldValueForbidden"
                                                                   : "FieldValueInvalid";
    e.causes.push_back({reason, detail, field});
    return e;
}

ApiError badRequest(const std::string &message) { return {400, "BadRequest", message, {}, {}, {}, {}}; }

ApiError methodNotAllowed(const std::string &message) { return {405, "MethodNotAllowed", message, {}, {}, {}, {}}; }

ApiError unauthorized() { return {401, "Unauthorized", "Unauthorized", {}, {}, {}, {}}; }

ApiError forbidden(const std::string &user, const std::string &verb, const std::string &resource,
                   const std::string &subresource, const std::string &group, const std::string &ns,
                   const std::string &name)
{
    std::string message = qualified(resource, group);
    if (!name.empty())
        message += " \"" + name + "\"";
    message += " is forbidden: User \"" + user + "\" cannot " + verb + " resource \"" + resource +
               (subresource.empty() ? "" : "/" + subresource) + "\" in API group \"" + group + "\"";
    message += ns.empty() ? " at the cluster scope" : " in the namespace \"" + ns + "\"";
    return {403, "Forbidden", message, name, group, resource, {}};
}

ApiError gone(const std::string &message) { return {410, "Expired", message, {}, {}, {}, {}}; }

} // namespace opsdeck::kubeapi
