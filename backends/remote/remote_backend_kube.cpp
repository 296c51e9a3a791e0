#include "remote_backend_kube.h"

#include "backends/telemetry/alerting/alert_json.h" // formatRfc3339Ms
#include "kube_client.h"
#include "kube_decode.h"
#include "prometheus_client.h"                      // percentEncode

#include <QDateTime>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace opsdeck::remote {

using nlohmann::json;

namespace {
const std::string kMergePatch = "application/merge-patch+json";
const std::string kStrategicPatch = "application/strategic-merge-patch+json";
const std::string kJsonPatch = "application/json-patch+json";
const std::string kShutDown = "Kubernetes: the backend is shutting down";

std::string paramOr(const sim::ActionSpec &a, const char *name, const std::string &fallback = {})
{
    auto it = a.params.find(name);
    return it == a.params.end() || it->second.empty() ? fallback : it->second;
}

// "v2.15.0" replaces the tag of the current image; anything with ':' or '/' is a full reference.
std::string imageFor(const std::string &current, const std::string &value)
{
    if (value.find(':') != std::string::npos || value.find('/') != std::string::npos)
        return value;
    const auto colon = current.rfind(':');
    const auto slash = current.rfind('/');
    const std::string repo = colon != std::string::npos && (slash == std::string::npos || colon > slash)
        ? current.substr(0, colon)
        : current;
    return repo + ":" + value;
}

std::string serverMessage(const HttpResponse &r)
{
    if (auto status = kube::decodeStatus(r.body); status && !status->message.empty())
        return "HTTP " + std::to_string(r.status) + " " + status->reason + ": " + status->message;
    return r.errorSummary();
}
} // namespace

std::string kubectlEquivalent(const sim::ActionSpec &a, const std::string &ns)
{
    const std::string dep = "deployment/" + a.target + " -n " + ns;
    switch (a.kind) {
    case sim::ActionKind::Scale: return "kubectl scale " + dep + " --replicas=" + paramOr(a, "replicas");
    case sim::ActionKind::Rollback: return "kubectl rollout undo " + dep;
    case sim::ActionKind::SetImage: return "kubectl set image " + dep + " <container>=" + paramOr(a, "image");
    case sim::ActionKind::Restart: return "kubectl rollout restart " + dep;
    case sim::ActionKind::DeleteFailedPods:
        return "kubectl delete pods -n " + ns + " --field-selector status.phase=Failed";
    default: return {};
    }
}

KubeSide::KubeSide(RemoteConfig config) : m_config(std::move(config)) {}

KubeSide::~KubeSide() { shutdown(); }

void KubeSide::shutdown()
{
    *m_alive = false;
    if (m_http)
        m_http->cancelAll();
}

std::string KubeSide::contextName() const
{
    return m_context ? m_context->context : m_config.context.toStdString();
}

bool KubeSide::insecureSkipTlsVerify() const { return m_context && m_context->insecureSkipTlsVerify; }

Result<bool> KubeSide::ensureResolved()
{
    if (m_context)
        return true;
    auto config = m_config.kubeconfigPath.isEmpty()
        ? loadDefaultKubeconfig()
        : loadKubeconfigFiles({m_config.kubeconfigPath.toStdString()});
    if (!config)
        return Error{config.error()};
    auto resolved = resolveContext(*config, m_config.context.toStdString());
    if (!resolved)
        return Error{resolved.error()};
    m_context = *resolved;
    m_credentials = std::make_unique<KubeCredentials>(*resolved);
    m_http = std::make_unique<HttpClient>(resolved->http);
    return true;
}

QCoro::Task<Result<HttpResponse>> KubeSide::request(std::string method, std::string path, std::string body,
                                                    std::string contentType)
{
    auto alive = m_alive;
    auto optionsTask = m_credentials->options();
    auto options = co_await optionsTask;
    if (!*alive) {
        Error error{kShutDown};
        co_return error;
    }
    if (!options) {
        Error error{options.error()};
        co_return error;
    }
    m_http->setOptions(*options);
    HttpRequest req;
    req.method = std::move(method);
    req.url = m_context->server + path;
    req.body = std::move(body);
    req.headers.push_back({"Accept", "application/json"});
    if (!contentType.empty())
        req.headers.push_back({"Content-Type", contentType});
    auto sendTask = m_http->send(std::move(req));
    auto response = co_await sendTask;
    if (!*alive) {
        Error error{kShutDown};
        co_return error;
    }
    if (response && response->status == 401)
        m_credentials->invalidate(); // a fresh token next time (exec plugins, token files)
    co_return response;
}

QCoro::Task<Result<KubeRefresh>> KubeSide::refresh()
{
    auto alive = m_alive;
    auto resolved = ensureResolved();
    if (!resolved) {
        Error error{resolved.error()};
        co_return error;
    }
    // All five lists in flight at once.
    auto deployments = request("GET", "/apis/apps/v1/deployments");
    auto replicaSets = request("GET", "/apis/apps/v1/replicasets");
    auto pods = request("GET", "/api/v1/pods");
    auto nodes = request("GET", "/api/v1/nodes");
    auto events = request("GET", "/api/v1/events");
    auto dr = co_await deployments;
    auto rr = co_await replicaSets;
    auto pr = co_await pods;
    auto nr = co_await nodes;
    auto er = co_await events;
    if (!*alive) {
        Error error{kShutDown};
        co_return error;
    }
    const std::string where = "Kubernetes " + m_context->server + ": ";
    for (const Result<HttpResponse> *r : {&dr, &rr, &pr, &nr}) {
        if (!*r) {
            Error error{where + r->error()};
            co_return error;
        }
        if (!(*r)->ok()) {
            Error error{where + serverMessage(**r)};
            co_return error;
        }
    }
    auto inv = std::make_shared<sim::Inventory>();
    auto d = kube::decodeDeploymentList(dr->body);
    auto rs = kube::decodeReplicaSetList(rr->body);
    auto p = kube::decodePodList(pr->body);
    auto n = kube::decodeNodeList(nr->body);
    for (const std::string *err : {d ? nullptr : &d.error(), rs ? nullptr : &rs.error(), p ? nullptr : &p.error(),
                                   n ? nullptr : &n.error()}) {
        if (err) {
            Error error{where + *err};
            co_return error;
        }
    }
    inv->deployments = std::move(d->items);
    inv->replicaSets = std::move(rs->items);
    inv->pods = std::move(p->items);
    inv->nodes = std::move(n->items);
    std::set<std::string> namespaces, regions;
    for (const auto &x : inv->deployments)
        namespaces.insert(x.ns);
    for (const auto &x : inv->pods)
        namespaces.insert(x.ns);
    inv->namespaces.assign(namespaces.begin(), namespaces.end());
    for (const auto &node : inv->nodes)
        if (!node.region.empty())
            regions.insert(node.region);
    for (const auto &r : regions) {
        sim::Region region;
        region.name = r;
        region.healthy = std::any_of(inv->nodes.begin(), inv->nodes.end(),
                                     [&](const sim::Node &nd) { return nd.region == r && nd.ready; });
        inv->regions.push_back(region);
    }
    KubeRefresh out;
    // Events are nice to have: a cluster that forbids listing them still has an inventory.
    if (er && er->ok()) {
        if (auto ev = kube::decodeEventList(er->body))
            out.events = std::move(ev->items);
    }
    std::sort(out.events.begin(), out.events.end(),
              [](const sim::KubeEvent &a, const sim::KubeEvent &b) { return a.timeMs < b.timeMs; });
    out.summary = std::to_string(inv->deployments.size()) + " deployments, " + std::to_string(inv->pods.size())
        + " pods, " + std::to_string(inv->nodes.size()) + " nodes";
    out.inventory = inv;
    m_lastInventory = inv;
    co_return out;
}

QCoro::Task<Result<std::string>> KubeSide::whyNotAllowed(sim::ActionSpec action)
{
    // The verb and resource each action needs, as `kubectl auth can-i` would ask them.
    std::string verb = "patch", group = "apps", resource = "deployments", subresource;
    switch (action.kind) {
    case sim::ActionKind::Scale: subresource = "scale"; break;
    case sim::ActionKind::Rollback:
    case sim::ActionKind::SetImage:
    case sim::ActionKind::Restart: break;
    case sim::ActionKind::DeleteFailedPods:
        verb = "delete";
        group.clear();
        resource = "pods";
        break;
    default: co_return std::string(); // not a Kubernetes call (apply() says why not)
    }
    auto resolved = ensureResolved();
    if (!resolved) {
        Error error{resolved.error()};
        co_return error;
    }
    const std::string ns = action.params.count("namespace") ? action.params.at("namespace")
                           : action.target.empty()          ? (m_context ? m_context->ns : std::string())
                                                            : namespaceFor(action.target);
    const std::string name = resource == "deployments" ? action.target : std::string();
    // Named task and arguments: GCC 12 destroys co_await temporaries twice.
    std::string method = "POST";
    std::string path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    std::string body = accessReviewBody(verb, group, resource, ns, subresource, name);
    std::string type = "application/json";
    auto task = request(method, path, body, type);
    auto response = co_await task;
    const std::string what = "auth can-i " + verb + " " + resource + (subresource.empty() ? "" : "/" + subresource);
    if (!response) {
        Error error{what + ": " + response.error()};
        co_return error;
    }
    if (!response->ok()) {
        Error error{what + ": HTTP " + std::to_string(response->status)};
        co_return error;
    }
    const auto review = parseAccessReview(what, response->body);
    if (!review) {
        Error error{review.error()};
        co_return error;
    }
    if (review->allowed)
        co_return std::string();
    const std::string reason = review->reason;
    co_return std::string(what + " -n " + ns + ": no (" + reason + ")");
}

std::string KubeSide::namespaceFor(const std::string &deployment) const
{
    const std::string preferred = m_context ? m_context->ns : std::string();
    std::string first;
    if (m_lastInventory) {
        for (const auto &d : m_lastInventory->deployments) {
            if (d.name != deployment)
                continue;
            if (d.ns == preferred)
                return d.ns;
            if (first.empty())
                first = d.ns;
        }
    }
    return first.empty() ? (preferred.empty() ? "default" : preferred) : first;
}

QCoro::Task<Result<sim::ActionResult>> KubeSide::apply(sim::ActionSpec action)
{
    auto alive = m_alive;
    auto resolved = ensureResolved();
    if (!resolved) {
        Error error{resolved.error()};
        co_return error;
    }
    if (action.target.empty())
        action.target = "agent-orchestrator"; // the runbook's usual target, as in the simulation
    const std::string ns = paramOr(action, "namespace", namespaceFor(action.target));
    const std::string base = "/apis/apps/v1/namespaces/" + percentEncode(ns) + "/deployments/" + percentEncode(action.target);
    sim::ActionResult result;
    result.kubectl = kubectlEquivalent(action, ns);
    const auto fail = [&](const std::string &why) {
        result.ok = false;
        result.message = why;
        return result;
    };
    const auto responseError = [&](const Result<HttpResponse> &r) -> std::optional<std::string> {
        if (!r)
            return r.error();
        if (!r->ok())
            return serverMessage(*r);
        return std::nullopt;
    };

    switch (action.kind) {
    case sim::ActionKind::Scale: {
        const std::string replicas = paramOr(action, "replicas");
        if (replicas.empty() || replicas.find_first_not_of("0123456789") != std::string::npos) {
            Error error{"scale: replicas must be a whole number (e.g. replicas=20), got \"" + replicas + "\""};
            co_return error;
        }
        const std::string body = json{{"spec", {{"replicas", std::stoi(replicas)}}}}.dump();
        auto rTask = request("PATCH", base + "/scale", body, kMergePatch);
        auto r = co_await rTask;
        if (auto err = responseError(r))
            co_return fail("scale deployment/" + action.target + ": " + *err);
        result.ok = true;
        result.message = "deployment.apps/" + action.target + " scaled to " + replicas;
        co_return result;
    }
    case sim::ActionKind::SetImage:
    case sim::ActionKind::Restart: {
        auto currentTask = request("GET", base);
        auto current = co_await currentTask;
        if (auto err = responseError(current))
            co_return fail("get deployment/" + action.target + ": " + *err);
        json dep = json::parse(current->body, nullptr, false);
        const json *containers = nullptr;
        if (!dep.is_discarded())
            containers = &dep["spec"]["template"]["spec"]["containers"];
        if (!containers || !containers->is_array() || containers->empty())
            co_return fail("deployment/" + action.target + ": the server's answer has no containers");
        json patch;
        std::string what;
        if (action.kind == sim::ActionKind::SetImage) {
            const std::string value = paramOr(action, "image");
            if (value.empty()) {
                Error error{"set-image: missing image (e.g. image=v2.15.0)"};
                co_return error;
            }
            const json &first = (*containers)[0];
            const std::string name = paramOr(action, "container", first.value("name", std::string()));
            std::string currentImage = first.value("image", std::string());
            for (const auto &c : *containers)
                if (c.value("name", std::string()) == name)
                    currentImage = c.value("image", std::string());
            const std::string image = imageFor(currentImage, value);
            patch = {{"spec", {{"template", {{"spec", {{"containers", json::array({{{"name", name}, {"image", image}}})}}}}}}}};
            what = "image updated to " + image;
            result.kubectl = "kubectl set image deployment/" + action.target + " " + name + "=" + image + " -n " + ns;
        } else {
            const std::string now = telemetry::alerting::formatRfc3339Ms(QDateTime::currentMSecsSinceEpoch());
            patch = {{"spec", {{"template", {{"metadata", {{"annotations", {{"kubectl.kubernetes.io/restartedAt", now}}}}}}}}}};
            what = "restarted";
        }
        auto rTask = request("PATCH", base, patch.dump(), kStrategicPatch);
        auto r = co_await rTask;
        if (auto err = responseError(r))
            co_return fail(std::string(sim::actionName(action.kind)) + " deployment/" + action.target + ": " + *err);
        result.ok = true;
        result.message = "deployment.apps/" + action.target + " " + what;
        co_return result;
    }
    case sim::ActionKind::Rollback: {
        // As kubectl rollout undo: the ReplicaSet with the highest revision below the
        // current one gives its pod template back to the Deployment (a JSON patch).
        auto currentTask = request("GET", base);
        auto current = co_await currentTask;
        if (auto err = responseError(current))
            co_return fail("get deployment/" + action.target + ": " + *err);
        json dep = json::parse(current->body, nullptr, false);
        if (dep.is_discarded() || !dep.is_object())
            co_return fail("deployment/" + action.target + ": the server's answer is not JSON");
        const json matchLabels = dep["spec"]["selector"].value("matchLabels", json::object());
        std::string selector;
        for (auto it = matchLabels.begin(); it != matchLabels.end(); ++it)
            selector += (selector.empty() ? "" : ",") + it.key() + "=" + it.value().get<std::string>();
        const auto revisionOf = [](const json &obj) {
            const json &ann = obj["metadata"].value("annotations", json::object());
            auto it = ann.find("deployment.kubernetes.io/revision");
            return it != ann.end() && it->is_string() ? std::atoi(it->get<std::string>().c_str()) : 0;
        };
        const int currentRevision = revisionOf(dep);
        auto listTask = request("GET", "/apis/apps/v1/namespaces/" + percentEncode(ns)
                                                + "/replicasets?labelSelector=" + percentEncode(selector));
        auto list = co_await listTask;
        if (auto err = responseError(list))
            co_return fail("list replicasets of deployment/" + action.target + ": " + *err);
        json sets = json::parse(list->body, nullptr, false);
        const std::string toRevision = paramOr(action, "to-revision");
        const json *previous = nullptr;
        int previousRevision = 0;
        if (!sets.is_discarded() && sets.contains("items") && sets["items"].is_array()) {
            for (const json &rs : sets["items"]) {
                const int rev = revisionOf(rs);
                if (rev == currentRevision)
                    continue;
                if (!toRevision.empty() ? std::to_string(rev) == toRevision : rev > previousRevision) {
                    previous = &rs;
                    previousRevision = rev;
                }
            }
        }
        if (!previous)
            co_return fail(toRevision.empty() ? "deployment/" + action.target + " has no previous revision"
                                              : "deployment/" + action.target + " has no revision " + toRevision);
        json tmpl = (*previous)["spec"]["template"];
        if (tmpl.contains("metadata") && tmpl["metadata"].contains("labels"))
            tmpl["metadata"]["labels"].erase("pod-template-hash");
        const json patch = json::array({{{"op", "replace"}, {"path", "/spec/template"}, {"value", tmpl}}});
        auto rTask = request("PATCH", base, patch.dump(), kJsonPatch);
        auto r = co_await rTask;
        if (auto err = responseError(r))
            co_return fail("rollout undo deployment/" + action.target + ": " + *err);
        std::string image;
        if (tmpl["spec"].contains("containers") && !tmpl["spec"]["containers"].empty())
            image = tmpl["spec"]["containers"][0].value("image", std::string());
        result.ok = true;
        result.message = "deployment.apps/" + action.target + " rolled back to revision "
            + std::to_string(previousRevision) + (image.empty() ? "" : " (image " + image + ")");
        co_return result;
    }
    case sim::ActionKind::DeleteFailedPods: {
        // As kubectl: list with the field selector, then delete each pod.
        const std::string podsPath = "/api/v1/namespaces/" + percentEncode(ns) + "/pods";
        auto listTask = request("GET", podsPath + "?fieldSelector=" + percentEncode("status.phase=Failed"));
        auto list = co_await listTask;
        if (auto err = responseError(list))
            co_return fail("list failed pods: " + *err);
        auto pods = kube::decodePodList(list->body);
        if (!pods)
            co_return fail("list failed pods: " + pods.error());
        int deleted = 0;
        std::string firstError;
        for (const auto &pod : pods->items) {
            auto rTask = request("DELETE", podsPath + "/" + percentEncode(pod.name));
        auto r = co_await rTask;
            if (!*alive) {
                Error error{kShutDown};
                co_return error;
            }
            if (auto err = responseError(r); err && firstError.empty())
                firstError = "pod/" + pod.name + ": " + *err;
            else if (!err)
                ++deleted;
        }
        result.ok = firstError.empty();
        result.message = std::to_string(deleted) + " failed pod(s) deleted in " + ns
            + (firstError.empty() ? "" : "; " + firstError);
        co_return result;
    }
    default:
        break;
    }
    Error error{std::string(sim::actionName(action.kind)) + ": not a Kubernetes action"};
    co_return error;
}

} // namespace opsdeck::remote
