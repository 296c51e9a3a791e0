// Writes: kubectl's patches and deletes, turned into the simulator's operator actions.
#include "api.h"
#include "api_internal.h"
#include "kube_time.h"
#include "patch.h"

namespace opsdeck::kubeapi {

using nlohmann::json;
using namespace detail;

namespace {

std::map<std::string, std::string> stringMap(const json &object, const json::json_pointer &ptr)
{
    std::map<std::string, std::string> out;
    if (!object.contains(ptr) || !object.at(ptr).is_object())
        return out;
    for (const auto &[k, v] : object.at(ptr).items())
        out[k] = v.is_string() ? v.get<std::string>() : v.dump();
    return out;
}

// name -> image of a template's containers, in order.
std::vector<std::pair<std::string, std::string>> containerImages(const json &deployment)
{
    std::vector<std::pair<std::string, std::string>> out;
    const json::json_pointer ptr("/spec/template/spec/containers");
    if (!deployment.contains(ptr) || !deployment.at(ptr).is_array())
        return out;
    for (const json &c : deployment.at(ptr))
        out.emplace_back(c.is_object() ? c.value("name", "") : "",
                         c.is_object() && c.contains("image") && c["image"].is_string() ? c["image"].get<std::string>() : "");
    return out;
}

bool isRevisionAnnotation(const std::string &key) { return key.rfind("deployment.kubernetes.io/", 0) == 0; }

} // namespace

Result<ObjectPtr> KubeApi::changeDeployment(const std::string &ns, const std::string &name, const json &before,
                                            const json &after, const User &user, ApiError &error)
{
    auto fail = [&](ApiError e) -> Result<ObjectPtr> {
        error = std::move(e);
        return Error{error.message};
    };
    // Optimistic concurrency: a resourceVersion in the request must be the current one.
    const std::string rvBefore = before.at("/metadata/resourceVersion"_json_pointer).get<std::string>();
    if (after.contains("/metadata/resourceVersion"_json_pointer)) {
        const json &rv = after.at("/metadata/resourceVersion"_json_pointer);
        if (!rv.is_string() || rv.get<std::string>() != rvBefore)
            return fail(conflict("deployments", "apps", name));
    }
    if (after.value("/metadata/name"_json_pointer, name) != name)
        return fail(invalid("Deployment", "apps", name, "metadata.name",
                            "Invalid value: \"" + after.value("/metadata/name"_json_pointer, std::string()) +
                                "\": field is immutable"));
    // spec.replicas
    const json &replicas = after.value("/spec/replicas"_json_pointer, json());
    if (!replicas.is_number_integer())
        return fail(invalid("Deployment", "apps", name, "spec.replicas", "Invalid value: " + replicas.dump() + ": must be an integer"));
    const long long wanted = replicas.get<long long>();
    if (wanted < 0)
        return fail(invalid("Deployment", "apps", name, "spec.replicas",
                            "Invalid value: " + std::to_string(wanted) + ": must be greater than or equal to 0"));
    // containers: the simulator models one image per container, not adding or removing them
    const auto oldImages = containerImages(before), newImages = containerImages(after);
    if (oldImages.size() != newImages.size())
        return fail(invalid("Deployment", "apps", name, "spec.template.spec.containers",
                            "Forbidden: the simulated cluster cannot add or remove containers (it has " +
                                std::to_string(oldImages.size()) + ")"));
    for (std::size_t i = 0; i < newImages.size(); ++i) {
        if (newImages[i].first != oldImages[i].first)
            return fail(invalid("Deployment", "apps", name, "spec.template.spec.containers[" + std::to_string(i) + "].name",
                                "Forbidden: the simulated cluster cannot rename container \"" + oldImages[i].first + "\""));
        if (newImages[i].second.empty())
            return fail(invalid("Deployment", "apps", name, "spec.template.spec.containers[" + std::to_string(i) + "].image",
                                "Required value"));
    }

    const auto [region, simNs] = m_store.simNamespace(ns);
    auto action = [&](sim::ActionKind kind, std::map<std::string, std::string> params) -> std::optional<ApiError> {
        sim::ActionSpec spec;
        spec.kind = kind;
        spec.target = name;
        spec.actor = user.name;
        params["region"] = region;
        params["namespace"] = simNs;
        spec.params = std::move(params);
        const sim::ActionResult result = m_sim.apply(spec);
        if (!result.ok)
            return invalid("Deployment", "apps", name, "spec", "Forbidden: " + result.message);
        return std::nullopt;
    };

    DeploymentExtras &extras = m_store.extras(ns, name);
    // Annotations people set (kubectl annotate, change-cause): kept by the API layer.
    std::map<std::string, std::string> annotations = stringMap(after, "/metadata/annotations"_json_pointer);
    std::erase_if(annotations, [](const auto &kv) { return isRevisionAnnotation(kv.first); });
    extras.annotations = annotations;

    if (wanted != before.at("/spec/replicas"_json_pointer).get<long long>())
        if (auto e = action(sim::ActionKind::Scale, {{"replicas", std::to_string(wanted)}}))
            return fail(*e);

    const auto oldTplAnn = stringMap(before, "/spec/template/metadata/annotations"_json_pointer);
    const auto newTplAnn = stringMap(after, "/spec/template/metadata/annotations"_json_pointer);
    if (newImages != oldImages) {
        // Back to an older ReplicaSet's template (kubectl rollout undo, or set image to the
        // previous image): the simulator's rollback reuses that ReplicaSet, as Kubernetes does.
        const std::string uid = before.value("/metadata/uid"_json_pointer, std::string());
        int revision = -1;
        for (const ObjectPtr &rs : m_store.list(Res::ReplicaSets, ns)) {
            bool owned = false;
            for (const json &ref : rs->object.value("/metadata/ownerReferences"_json_pointer, json::array()))
                owned = owned || ref.value("uid", "") == uid;
            if (!owned || containerImages(rs->object) != newImages)
                continue;
            const std::string rev = rs->object.value("/metadata/annotations/deployment.kubernetes.io~1revision"_json_pointer, std::string("0"));
            revision = std::max(revision, std::atoi(rev.c_str()));
        }
        std::optional<ApiError> e;
        if (revision > 0)
            e = action(sim::ActionKind::Rollback, {{"to-revision", std::to_string(revision)}});
        else
            e = action(sim::ActionKind::SetImage, {{"image", newImages.front().second}});
        if (e)
            return fail(*e);
        extras.templateAnnotations = newTplAnn;
    } else if (newTplAnn != oldTplAnn) {
        // kubectl rollout restart: a new restartedAt annotation in the pod template.
        extras.templateAnnotations = newTplAnn;
        if (newTplAnn.count(kRestartedAtAnnotation) &&
            (!oldTplAnn.count(kRestartedAtAnnotation) || oldTplAnn.at(kRestartedAtAnnotation) != newTplAnn.at(kRestartedAtAnnotation)))
            if (auto e2 = action(sim::ActionKind::Restart, {}))
                return fail(*e2);
    }
    m_store.sync(m_sim);
    ObjectPtr now = m_store.get(Res::Deployments, ns, name);
    if (!now)
        return fail(notFound("deployments", "apps", name));
    return now;
}

Response KubeApi::patchDeployment(const Request &request, const User &user, const Target &target)
{
    const ObjectPtr current = m_store.get(Res::Deployments, target.ns, target.name);
    if (!current)
        return errorResponse(notFound("deployments", "apps", target.name));
    Result<PatchType> type = patchTypeFromContentType(request.contentType);
    if (!type)
        return errorResponse({415, "UnsupportedMediaType", type.error(), {}, {}, {}, {}});
    const bool scale = target.sub == "scale";
    const json before = scale ? KubeApi_scaleJson(*current) : current->object;
    Result<json> patched = applyPatch(before, request.body, *type);
    if (!patched)
        return errorResponse(badRequest(patched.error()));
    if (scale && patched->contains("/metadata/resourceVersion"_json_pointer) &&
        patched->at("/metadata/resourceVersion"_json_pointer) != before.at("/metadata/resourceVersion"_json_pointer))
        return errorResponse(conflict("deployments", "apps", target.name));
    json after = current->object;
    if (scale)
        after["spec"]["replicas"] = patched->value("/spec/replicas"_json_pointer, json());
    else
        after = *patched;
    ApiError error;
    Result<ObjectPtr> result = changeDeployment(target.ns, target.name, current->object, after, user, error);
    if (!result)
        return errorResponse(error);
    return jsonResponse(scale ? KubeApi_scaleJson(**result) : (*result)->object);
}

Response KubeApi::putScale(const Request &request, const User &user, const Target &target)
{
    const ObjectPtr current = m_store.get(Res::Deployments, target.ns, target.name);
    if (!current)
        return errorResponse(notFound("deployments", "apps", target.name));
    json body;
    try {
        body = json::parse(request.body);
    } catch (const json::parse_error &e) {
        return errorResponse(badRequest(std::string("error decoding Scale: ") + e.what()));
    }
    if (!body.is_object() || body.value("kind", "Scale") != "Scale")
        return errorResponse(badRequest("the body must be an autoscaling/v1 Scale"));
    if (body.contains("/metadata/resourceVersion"_json_pointer) &&
        body.at("/metadata/resourceVersion"_json_pointer) != current->object.at("/metadata/resourceVersion"_json_pointer))
        return errorResponse(conflict("deployments", "apps", target.name));
    json after = current->object;
    after["spec"]["replicas"] = body.value("/spec/replicas"_json_pointer, json());
    ApiError error;
    Result<ObjectPtr> result = changeDeployment(target.ns, target.name, current->object, after, user, error);
    if (!result)
        return errorResponse(error);
    return jsonResponse(KubeApi_scaleJson(**result));
}

Response KubeApi::deletePod(const Request &request, const User &user, const Target &target)
{
    const ObjectPtr current = m_store.get(Res::Pods, target.ns, target.name);
    if (!current)
        return errorResponse(notFound("pods", "", target.name));
    if (!request.body.empty()) {
        // DeleteOptions: preconditions.resourceVersion / uid must hold.
        json options;
        try {
            options = json::parse(request.body);
        } catch (const json::parse_error &e) {
            return errorResponse(badRequest(std::string("error decoding DeleteOptions: ") + e.what()));
        }
        const std::string rv = options.value("/preconditions/resourceVersion"_json_pointer, std::string());
        if (!rv.empty() && rv != std::to_string(current->rv))
            return errorResponse({409, "Conflict",
                                  "Operation cannot be fulfilled on pods \"" + target.name +
                                      "\": Precondition failed: ResourceVersion in precondition: " + rv +
                                      ", ResourceVersion in object meta: " + std::to_string(current->rv),
                                  target.name, "", "pods", {}});
    }
    const auto [region, simNs] = m_store.simNamespace(target.ns);
    const sim::ActionResult result = m_sim.deletePod(region, simNs, target.name, user.name);
    if (!result.ok)
        return errorResponse(notFound("pods", "", target.name));
    json object = current->object;
    m_store.sync(m_sim);
    object["metadata"]["deletionTimestamp"] = rfc3339(nowEpochMs());
    object["metadata"]["deletionGracePeriodSeconds"] = 0;
    return jsonResponse(object);
}

} // namespace opsdeck::kubeapi
