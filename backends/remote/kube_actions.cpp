// KubeClient's operator actions, byte for byte what kubectl v1.32 sends
// (reference/kubectl.md 2.4-2.9), and SelfSubjectAccessReview.
#include "kube_client.h"
#include "kube_decode.h"

#include <QDateTime>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace opsdeck::remote {

using nlohmann::json;

namespace {

std::string deploymentPath(const std::string &ns, const std::string &name) {
    return "/apis/apps/v1/namespaces/" + ns + "/deployments/" + name;
}

Error httpError(const std::string &what, const HttpResponse &response) {
    return Error{what + ": " + response.errorSummary()};
}

// Percent-encodes a selector for a query string ("status.phase=Failed" -> ...%3D...).
std::string encode(const std::string &text) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
            out += char(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// Annotations `kubectl rollout undo` keeps from the deployment (client-go's skip list).
bool rollbackSkipped(const std::string &annotation) {
    return annotation == "kubectl.kubernetes.io/last-applied-configuration" ||
           annotation == "deployment.kubernetes.io/revision" ||
           annotation == "deployment.kubernetes.io/revision-history" ||
           annotation == "deployment.kubernetes.io/desired-replicas" ||
           annotation == "deployment.kubernetes.io/max-replicas" ||
           annotation == "deprecated.deployment.rollback.to";
}

// Drops nulls and empty objects so templates round-tripped by different writers compare
// equal (kubectl adds "creationTimestamp": null and "resources": {}).
json normalized(const json &value) {
    if (value.is_object()) {
        json out = json::object();
        for (auto it = value.begin(); it != value.end(); ++it) {
            json v = normalized(it.value());
            if (v.is_null() || (v.is_object() && v.empty()))
                continue;
            out[it.key()] = std::move(v);
        }
        return out;
    }
    if (value.is_array()) {
        json out = json::array();
        for (const auto &v : value)
            out.push_back(normalized(v));
        return out;
    }
    return value;
}

// JSON bodies, built in plain functions: GCC 12 miscompiles braced initialisers in coroutines.
json undoPatch(const json &templ, const json &annotations) {
    return json::array({{{"op", "replace"}, {"path", "/spec/template"}, {"value", templ}},
                        {{"op", "replace"}, {"path", "/metadata/annotations"}, {"value", annotations}}});
}
json setImagePatch(const json &order, const std::string &container, const std::string &image) {
    return {{"spec", {{"template", {{"spec", {{"$setElementOrder/containers", order},
        {"containers", json::array({{{"image", image}, {"name", container}}})}}}}}}}};
}
json restartPatch(const std::string &now) {
    return {{"spec", {{"template", {{"metadata", {{"annotations",
        {{"kubectl.kubernetes.io/restartedAt", now}}}}}}}}}};
}
json nameEntry(const std::string &name) { return {{"name", name}}; }

} // namespace

std::string imageWithTag(const std::string &current, const std::string &value) {
    if (value.find(':') != std::string::npos || value.find('/') != std::string::npos)
        return value;
    const auto colon = current.rfind(':');
    const auto slash = current.rfind('/');
    const std::string repository =
        colon != std::string::npos && (slash == std::string::npos || colon > slash) ? current.substr(0, colon) : current;
    return repository + ":" + value;
}

namespace {

struct OwnedReplicaSet {
    int revision = 0;
    json object;
};

} // namespace

QCoro::Task<Result<std::string>> KubeClient::scale(std::string ns, std::string deployment, int replicas) {
    const std::string what = "scale deployment/" + deployment + " -n " + ns;
    if (replicas < 0)
        co_return Error{what + ": replicas must be 0 or more, got " + std::to_string(replicas)};
    // Bodies are built before any co_await: GCC 12 miscompiles braced initialisers inside one.
    json spec = json::object();
    spec["replicas"] = replicas;
    json patch = json::object();
    patch["spec"] = spec;
    const std::string method = "PATCH", path = deploymentPath(ns, deployment) + "/scale", body = patch.dump(),
                      type = "application/merge-patch+json";
    auto task = request(method, path, body, type);
    auto response = co_await task;
    if (!response)
        co_return Error{what + ": " + response.error()};
    if (!response->ok())
        co_return httpError(what, *response);
    co_return "deployment.apps/" + deployment + " scaled";
}

// The deployment and the ReplicaSets it controls (ownerReference uid), as kubectl finds them.
static QCoro::Task<Result<std::pair<json, std::vector<OwnedReplicaSet>>>>
fetchHistory(KubeClient *client, std::function<QCoro::Task<Result<HttpResponse>>(std::string)> get,
             std::string ns, std::string deployment) {
    (void)client;
    const std::string what = "rollout history deployment/" + deployment + " -n " + ns;
    const std::string depPath = deploymentPath(ns, deployment);
    auto depTask = get(depPath);
    auto dep = co_await depTask;
    if (!dep)
        co_return Error{what + ": " + dep.error()};
    if (!dep->ok())
        co_return httpError(what, *dep);
    json object = json::parse(dep->body, nullptr, false);
    if (!object.is_object())
        co_return Error{what + ": deployment: " + kube::decodeMeta(json()).error()};
    const std::string uid = object["metadata"].value("uid", "");
    std::string selector;
    if (auto labels = object["spec"]["selector"]["matchLabels"]; labels.is_object())
        for (auto it = labels.begin(); it != labels.end(); ++it)
            if (it.value().is_string())
                selector += (selector.empty() ? "" : ",") + it.key() + "=" + it.value().get<std::string>();
    const std::string listPath = "/apis/apps/v1/namespaces/" + ns + "/replicasets?labelSelector=" + encode(selector);
    auto listTask = get(listPath);
    auto list = co_await listTask;
    if (!list)
        co_return Error{what + ": " + list.error()};
    if (!list->ok())
        co_return httpError(what, *list);
    json rsList = json::parse(list->body, nullptr, false);
    if (!rsList.is_object() || !rsList["items"].is_array())
        co_return Error{what + ": ReplicaSetList: malformed"};
    std::vector<OwnedReplicaSet> owned;
    for (auto &item : rsList["items"]) {
        bool ours = false;
        if (auto refs = item["metadata"]["ownerReferences"]; refs.is_array())
            for (const auto &ref : refs)
                ours |= ref.is_object() && ref.value("controller", false) && ref.value("uid", "") == uid;
        if (!ours)
            continue;
        auto decoded = kube::decodeReplicaSet(item);
        if (!decoded)
            co_return Error{what + ": " + decoded.error()};
        owned.push_back({decoded->revision, item});
    }
    std::sort(owned.begin(), owned.end(), [](const auto &a, const auto &b) { return a.revision < b.revision; });
    co_return std::pair{std::move(object), std::move(owned)};
}

QCoro::Task<Result<std::vector<RevisionInfo>>> KubeClient::rolloutHistory(std::string ns, std::string deployment) {
    auto historyTask = fetchHistory(this, [this](std::string path) { return request("GET", path); }, ns, deployment);
    auto history = co_await historyTask;
    if (!history)
        co_return Error{history.error()};
    std::vector<RevisionInfo> out;
    for (const auto &rs : history->second) {
        auto decoded = kube::decodeReplicaSet(rs.object);
        RevisionInfo info;
        info.revision = rs.revision;
        info.replicaSet = decoded->name;
        info.changeCause = decoded->changeCause;
        for (const auto &c : decoded->podTemplate.containers)
            info.images.push_back(c.image);
        out.push_back(std::move(info));
    }
    co_return out;
}

QCoro::Task<Result<RollbackDone>> KubeClient::rolloutUndo(std::string ns, std::string deployment, int toRevision) {
    const std::string what = "rollout undo deployment/" + deployment + " -n " + ns;
    auto historyTask = fetchHistory(this, [this](std::string path) { return request("GET", path); }, ns, deployment);
    auto history = co_await historyTask;
    if (!history)
        co_return Error{history.error()};
    auto &[object, owned] = *history;
    if (owned.empty())
        co_return Error{what + ": no rollout history found for deployment \"" + deployment + "\""};
    const OwnedReplicaSet *target = nullptr;
    if (toRevision == 0) {
        if (owned.size() < 2)
            co_return Error{what + ": no previous revision to roll back to (only revision " +
                            std::to_string(owned.back().revision) + ")"};
        target = &owned[owned.size() - 2]; // second-highest revision
    } else {
        for (const auto &rs : owned)
            if (rs.revision == toRevision)
                target = &rs;
        if (!target)
            co_return Error{what + ": unable to find the specified revision " + std::to_string(toRevision)};
    }
    json templ = target->object["spec"]["template"];
    if (templ["metadata"]["labels"].is_object())
        templ["metadata"]["labels"].erase("pod-template-hash");
    json current = object["spec"]["template"];
    if (current["metadata"]["labels"].is_object())
        current["metadata"]["labels"].erase("pod-template-hash");
    RollbackDone done;
    done.revision = target->revision;
    if (auto decoded = kube::decodeReplicaSet(target->object))
        for (const auto &c : decoded->podTemplate.containers)
            done.images.push_back(c.image);
    if (normalized(templ) == normalized(current)) {
        done.skipped = true;
        done.message = "skipped rollback (current template already matches revision " + std::to_string(target->revision) + ")";
        co_return done;
    }
    json annotations = json::object();
    if (auto a = object["metadata"]["annotations"]; a.is_object())
        for (auto it = a.begin(); it != a.end(); ++it)
            if (rollbackSkipped(it.key()))
                annotations[it.key()] = it.value();
    if (auto a = target->object["metadata"]["annotations"]; a.is_object())
        for (auto it = a.begin(); it != a.end(); ++it)
            if (!rollbackSkipped(it.key()))
                annotations[it.key()] = it.value();
    const json patch = undoPatch(templ, annotations);
    const std::string method = "PATCH", path = deploymentPath(ns, deployment), body = patch.dump(),
                      type = "application/json-patch+json";
    auto task = request(method, path, body, type);
    auto response = co_await task;
    if (!response)
        co_return Error{what + ": " + response.error()};
    if (!response->ok())
        co_return httpError(what, *response);
    done.message = "deployment.apps/" + deployment + " rolled back";
    co_return done;
}

QCoro::Task<Result<ImageSet>> KubeClient::setImage(std::string ns, std::string deployment,
                                                   std::string container, std::string image) {
    const std::string what = "set image deployment/" + deployment + " -n " + ns;
    if (image.empty())
        co_return Error{what + ": no image given (e.g. v2.15.0 or registry/repo:tag)"};
    const std::string getMethod = "GET", path = deploymentPath(ns, deployment);
    auto getTask = request(getMethod, path);
    auto dep = co_await getTask;
    if (!dep)
        co_return Error{what + ": " + dep.error()};
    if (!dep->ok())
        co_return httpError(what, *dep);
    auto decoded = kube::decodeDeployment(json::parse(dep->body, nullptr, false));
    if (!decoded)
        co_return Error{what + ": " + decoded.error()};
    const auto &containers = decoded->podTemplate.containers;
    if (containers.empty())
        co_return Error{what + ": the deployment has no containers"};
    ImageSet done;
    done.container = container.empty() ? containers.front().name : container;
    json order = json::array();
    bool found = false;
    for (const auto &c : containers) {
        order.push_back(nameEntry(c.name));
        if (c.name == done.container) {
            found = true;
            done.previousImage = c.image;
        }
    }
    if (!found) // kubectl checks client-side and sends nothing
        co_return Error{what + ": unable to find container named \"" + done.container + "\""};
    done.image = imageWithTag(done.previousImage, image);
    const json patch = setImagePatch(order, done.container, done.image);
    const std::string method = "PATCH", patchPath = path + "?fieldManager=kubectl-set", body = patch.dump(),
                      type = "application/strategic-merge-patch+json";
    auto task = request(method, patchPath, body, type);
    auto response = co_await task;
    if (!response)
        co_return Error{what + ": " + response.error()};
    if (!response->ok())
        co_return httpError(what, *response);
    done.message = "deployment.apps/" + deployment + " image updated";
    co_return done;
}

QCoro::Task<Result<std::string>> KubeClient::rolloutRestart(std::string ns, std::string deployment) {
    const std::string what = "rollout restart deployment/" + deployment + " -n " + ns;
    const std::string now =
        QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString(); // 2026-11-28T16:20:00Z
    const json patch = restartPatch(now);
    const std::string method = "PATCH", path = deploymentPath(ns, deployment) + "?fieldManager=kubectl-rollout",
                      body = patch.dump(), type = "application/strategic-merge-patch+json";
    auto task = request(method, path, body, type);
    auto response = co_await task;
    if (!response)
        co_return Error{what + ": " + response.error()};
    if (!response->ok())
        co_return httpError(what, *response);
    co_return "deployment.apps/" + deployment + " restarted";
}

QCoro::Task<Result<std::vector<std::string>>> KubeClient::deletePods(std::string ns, std::string fieldSelector,
                                                                     std::string labelSelector) {
    const std::string what = "delete pods -n " + ns + (fieldSelector.empty() ? "" : " --field-selector " + fieldSelector);
    std::string path = "/api/v1/namespaces/" + ns + "/pods";
    std::string query;
    if (!fieldSelector.empty())
        query += "fieldSelector=" + encode(fieldSelector);
    if (!labelSelector.empty())
        query += (query.empty() ? "" : "&") + std::string("labelSelector=") + encode(labelSelector);
    // Named, not a ?: temporary: GCC 12 destroyed the conditional's temporary inside a
    // co_await twice (double free).
    const std::string listPath = query.empty() ? path : path + "?" + query;
    const std::string getMethod = "GET";
    auto listTask = request(getMethod, listPath);
    auto list = co_await listTask;
    if (!list)
        co_return Error{what + ": " + list.error()};
    if (!list->ok())
        co_return httpError(what, *list);
    auto pods = kube::decodePodList(list->body);
    if (!pods)
        co_return Error{what + ": " + pods.error()};
    std::vector<std::string> deleted;
    json options = json::object();
    options["propagationPolicy"] = "Background";
    const std::string deleteBody = options.dump(), deleteMethod = "DELETE", type = "application/json";
    for (const sim::Pod &pod : pods->items) {
        const std::string podPath = path + "/" + pod.name;
        auto task = request(deleteMethod, podPath, deleteBody, type);
        auto response = co_await task;
        // Say how far it got: the pods before this one are gone.
        const std::string where = what + ": pod \"" + pod.name + "\" (" + std::to_string(deleted.size()) + " deleted before it)";
        if (!response)
            co_return Error{where + ": " + response.error()};
        if (response->status == 404)
            continue; // already gone: what the operator wanted
        if (!response->ok())
            co_return httpError(where, *response);
        deleted.push_back(pod.name);
    }
    co_return deleted;
}

std::string accessReviewBody(const std::string &verb, const std::string &group, const std::string &resource,
                             const std::string &ns, const std::string &subresource, const std::string &name) {
    json attributes = {{"verb", verb}, {"group", group}, {"resource", resource}};
    if (!ns.empty())
        attributes["namespace"] = ns;
    if (!subresource.empty())
        attributes["subresource"] = subresource;
    if (!name.empty())
        attributes["name"] = name;
    const json review = {{"kind", "SelfSubjectAccessReview"},
                         {"apiVersion", "authorization.k8s.io/v1"},
                         {"spec", {{"resourceAttributes", attributes}}}};
    return review.dump();
}

Result<AccessReview> parseAccessReview(const std::string &what, const std::string &text) {
    const json body = json::parse(text, nullptr, false);
    if (!body.is_object() || !body.contains("status") || !body["status"].is_object())
        return Error{what + ": SelfSubjectAccessReview answer without status"};
    AccessReview out;
    const json &status = body["status"];
    out.allowed = status.value("allowed", false) && !status.value("denied", false);
    out.reason = status.value("reason", "");
    if (!out.allowed && out.reason.empty())
        out.reason = status.value("evaluationError", "not allowed");
    return out;
}

QCoro::Task<Result<AccessReview>> KubeClient::canI(std::string verb, std::string group, std::string resource,
                                                   std::string ns, std::string subresource, std::string name) {
    const std::string what = "auth can-i " + verb + " " + resource + (subresource.empty() ? "" : "/" + subresource);
    const std::string review = accessReviewBody(verb, group, resource, ns, subresource, name);
    const std::string method = "POST", path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                      type = "application/json";
    auto task = request(method, path, review, type);
    auto response = co_await task;
    if (!response)
        co_return Error{what + ": " + response.error()};
    if (!response->ok())
        co_return httpError(what, *response);
    auto answer = parseAccessReview(what, response->body);
    co_return answer;
}

} // namespace opsdeck::remote
