// Routing, reads (get, list, Table, watch) and authorization of the simulated API server.
// Writes are in api_write.cpp; logs, metrics.k8s.io and the control endpoint in
// api_extras.cpp.
#include "api.h"
#include "api_internal.h"

#include "tables.h"

#include <algorithm>
#include <cstdio>

namespace opsdeck::kubeapi {

using nlohmann::json;

Response errorResponse(const ApiError &error)
{
    Response r;
    r.status = error.code;
    r.body = statusJson(error).dump();
    return r;
}

Response jsonResponse(const json &body, int status)
{
    Response r;
    r.status = status;
    r.body = body.dump();
    return r;
}

namespace detail {

std::string queryValue(const Request &request, const std::string &key)
{
    const auto it = request.query.find(key);
    return it == request.query.end() ? std::string() : it->second;
}

bool wantsTable(const Request &request) { return request.accept.find("as=Table") != std::string::npos; }

std::string hexEncode(const std::string &text)
{
    static const char *digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : text) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::optional<std::string> hexDecode(const std::string &text)
{
    if (text.size() % 2)
        return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < text.size(); i += 2) {
        auto nibble = [](char c) -> int {
            if (c >= '0' && c <= '9')
                return c - '0';
            if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
            return -1;
        };
        const int hi = nibble(text[i]), lo = nibble(text[i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
    }
    return out;
}

} // namespace detail

using namespace detail;

KubeApi::KubeApi(sim::Simulation &simulation, Authorizer auth, double speed)
    : m_sim(simulation), m_auth(std::move(auth)), m_speed(speed)
{
    m_store.sync(m_sim);
}

void KubeApi::advance(std::int64_t ms)
{
    m_sim.advance(ms);
    m_store.sync(m_sim);
}

Response KubeApi::handle(const Request &request)
{
    const std::optional<User> user = m_auth.authenticate(request.bearerToken);
    if (!user)
        return errorResponse(unauthorized());
    try {
        return dispatch(request, *user);
    } catch (const std::exception &e) {
        // A malformed request must never take the server down; say what broke.
        return errorResponse({500, "InternalError", std::string("an error on the server (\"") + e.what() +
                                                        "\") has prevented the request from succeeding", {}, {}, {}, {}});
    }
}

Response KubeApi::dispatch(const Request &request, const User &user)
{
    const std::string &path = request.path;
    const bool get = request.method == "GET" || request.method == "HEAD";
    if (path == "/version" || path == "/version/")
        return jsonResponse(versionInfo());
    if (path == "/healthz" || path == "/readyz" || path == "/livez") {
        Response r;
        r.contentType = "text/plain; charset=utf-8";
        r.body = "ok";
        return r;
    }
    const bool aggregated = request.accept.find("as=APIGroupDiscoveryList") != std::string::npos;
    if (get && (path == "/api" || path == "/apis")) {
        if (!aggregated)
            return jsonResponse(path == "/api" ? legacyApiVersions() : legacyApiGroupList());
        Response r = jsonResponse(path == "/api" ? aggregatedCoreDiscovery() : aggregatedGroupsDiscovery());
        r.contentType = kAggregatedDiscoveryContentType;
        return r;
    }
    if (path.rfind("/opsdeck/v1/", 0) == 0)
        return control(request, user);
    if (path.rfind("/apis/metrics.k8s.io/v1beta1", 0) == 0)
        return metricsApi(request, path);
    if (path.rfind("/apis/networking.istio.io/v1beta1/", 0) == 0)
        return virtualServices(request, user);
    if (path == "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        return accessReview(request, user);

    // /api/v1/... or /apis/<group>/<version>/...
    std::vector<std::string> parts;
    for (std::size_t pos = 1; pos <= path.size();) {
        const std::size_t slash = path.find('/', pos);
        const std::string part = path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
        if (!part.empty())
            parts.push_back(part);
        if (slash == std::string::npos)
            break;
        pos = slash + 1;
    }
    std::string group, version;
    std::size_t i = 0;
    if (parts.size() >= 2 && parts[0] == "api") {
        version = parts[1];
        i = 2;
    } else if (parts.size() >= 3 && parts[0] == "apis") {
        group = parts[1];
        version = parts[2];
        i = 3;
    } else {
        return errorResponse({404, "NotFound", "the server could not find the requested resource", {}, {}, {}, {}});
    }
    if (i == parts.size()) {
        const json list = legacyResourceList(group, version);
        if (list.is_null())
            return errorResponse({404, "NotFound", "the server could not find the requested resource", {}, {}, {}, {}});
        return jsonResponse(list);
    }
    Target target;
    std::string ns;
    if (parts[i] == "namespaces" && parts.size() - i >= 3) {
        ns = parts[i + 1];
        i += 2;
    }
    target.info = findResource(group, version, parts[i]);
    if (!target.info)
        return errorResponse({404, "NotFound", "the server could not find the requested resource (" +
                                                   (group.empty() ? version : group + "/" + version) + ", Resource=" +
                                                   parts[i] + ")", {}, {}, {}, {}});
    target.ns = ns;
    if (i + 1 < parts.size())
        target.name = parts[i + 1];
    if (i + 2 < parts.size())
        target.sub = parts[i + 2];
    if (i + 3 < parts.size())
        return errorResponse({404, "NotFound", "the server could not find the requested resource", {}, {}, {}, {}});
    if (!target.info->namespaced && !ns.empty())
        return errorResponse({404, "NotFound", target.info->plural + " is not namespaced", {}, {}, {}, {}});
    return handleResource(request, user, target);
}

Response KubeApi::handleResource(const Request &request, const User &user, const Target &target)
{
    const ResourceInfo &info = *target.info;
    const std::string &method = request.method;
    if (method == "GET" || method == "HEAD") {
        if (target.name.empty())
            return list(request, target);
        if (target.sub == "log" && info.id == Res::Pods)
            return podLog(request, target);
        return get(request, target);
    }
    const std::string verb = method == "PATCH" ? "patch" : method == "PUT" ? "update" : method == "DELETE" ? (target.name.empty() ? "deletecollection" : "delete") : method == "POST" ? "create" : "";
    if (verb.empty())
        return errorResponse(methodNotAllowed("the server does not allow the method " + method + " on this resource"));
    if (!m_auth.mayMutate(user))
        return errorResponse(forbidden(user.name, verb, info.plural, target.sub, info.group, target.ns, target.name));
    if (info.id == Res::Deployments && !target.name.empty()) {
        if (method == "PATCH" && (target.sub.empty() || target.sub == "scale"))
            return patchDeployment(request, user, target);
        if (method == "PUT" && target.sub == "scale")
            return putScale(request, user, target);
    }
    if (info.id == Res::Pods && method == "DELETE" && !target.name.empty() && target.sub.empty())
        return deletePod(request, user, target);
    return errorResponse(methodNotAllowed("the simulated cluster does not support " + verb + " on " + info.plural +
                                          (target.sub.empty() ? "" : "/" + target.sub) +
                                          " (it supports: patch deployments and deployments/scale, update "
                                          "deployments/scale, delete pods)"));
}

namespace {

json scaleJson(const StoredObject &deployment)
{
    const json &d = deployment.object;
    std::string selector;
    const json matchLabels = d.value("/spec/selector/matchLabels"_json_pointer, json::object());
    for (const auto &[k, v] : matchLabels.items())
        selector += (selector.empty() ? "" : ",") + k + "=" + v.get<std::string>();
    return {{"kind", "Scale"},
            {"apiVersion", "autoscaling/v1"},
            {"metadata",
             {{"name", deployment.name},
              {"namespace", deployment.ns},
              {"uid", d.at("/metadata/uid"_json_pointer)},
              {"resourceVersion", d.at("/metadata/resourceVersion"_json_pointer)},
              {"creationTimestamp", d.at("/metadata/creationTimestamp"_json_pointer)}}},
            {"spec", {{"replicas", d.at("/spec/replicas"_json_pointer)}}},
            {"status", {{"replicas", d.value("/status/replicas"_json_pointer, 0)}, {"selector", selector}}}};
}

} // namespace

json KubeApi_scaleJson(const StoredObject &deployment) { return scaleJson(deployment); }

Response KubeApi::get(const Request &request, const Target &target)
{
    const ResourceInfo &info = *target.info;
    const ObjectPtr object = m_store.get(info.id, info.namespaced ? target.ns : std::string(), target.name);
    if (!object)
        return errorResponse(notFound(info.plural, info.group, target.name));
    if (!target.sub.empty()) {
        if (target.sub == "scale" && info.id == Res::Deployments)
            return jsonResponse(scaleJson(*object));
        if (target.sub == "status")
            return get(request, Target{target.info, target.ns, target.name, {}});
        return errorResponse({404, "NotFound", "the server could not find the requested resource", {}, {}, {}, {}});
    }
    Response r;
    if (wantsTable(request)) {
        const std::vector<ObjectPtr> one = {object};
        appendTable(r.body, info.id, one, std::to_string(object->rv), nowEpochMs());
    } else {
        r.body = object->wire;
    }
    return r;
}

Response KubeApi::list(const Request &request, const Target &target)
{
    const ResourceInfo &info = *target.info;
    Result<LabelSelector> labels = LabelSelector::parse(queryValue(request, "labelSelector"));
    if (!labels)
        return errorResponse(badRequest(labels.error()));
    Result<FieldSelector> fields = FieldSelector::parse(queryValue(request, "fieldSelector"), info.fieldSelectors);
    if (!fields)
        return errorResponse(badRequest(fields.error()));
    const std::string watchParam = queryValue(request, "watch");
    if (watchParam == "true" || watchParam == "1") {
        WatchSpec spec;
        spec.res = info.id;
        spec.ns = target.ns;
        spec.labels = *labels;
        spec.fields = *fields;
        spec.table = wantsTable(request);
        spec.bookmarks = queryValue(request, "allowWatchBookmarks") == "true";
        const std::string rv = queryValue(request, "resourceVersion");
        spec.initialEvents = rv.empty() || rv == "0";
        if (!spec.initialEvents) {
            char *end = nullptr;
            spec.fromRv = std::strtoull(rv.c_str(), &end, 10);
            if (!end || *end)
                return errorResponse(badRequest("resourceVersion: Invalid value: \"" + rv + "\": must be a number"));
            if (spec.fromRv < m_store.oldestResumableRv())
                return errorResponse(gone("too old resource version: " + rv + " (" +
                                          std::to_string(m_store.oldestResumableRv()) + ")"));
        }
        const std::string timeout = queryValue(request, "timeoutSeconds");
        spec.timeoutSeconds = timeout.empty() ? 0 : std::atoi(timeout.c_str());
        Response r;
        r.watch = std::move(spec);
        return r;
    }

    std::size_t limit = 0;
    if (const std::string l = queryValue(request, "limit"); !l.empty())
        limit = static_cast<std::size_t>(std::max(0L, std::atol(l.c_str())));
    std::string startKey;
    if (const std::string c = queryValue(request, "continue"); !c.empty()) {
        const std::optional<std::string> key = hexDecode(c);
        if (!key)
            return errorResponse(badRequest("continue key is not valid: \"" + c + "\""));
        startKey = *key;
    }

    const std::vector<ObjectPtr> all = m_store.list(info.id, info.namespaced ? target.ns : std::string());
    std::vector<ObjectPtr> selected;
    std::string continueKey;
    for (const ObjectPtr &o : all) {
        if (!startKey.empty() && o->ns + "/" + o->name < startKey)
            continue;
        if (!labels->empty() && !labels->matches(o->object.value("/metadata/labels"_json_pointer, json::object())
                                                     .get<std::map<std::string, std::string>>()))
            continue;
        if (!fields->empty() && !fields->matches([&](const std::string &f) {
                return f == "metadata.namespace" ? o->ns : fieldValue(o->object, f);
            }))
            continue;
        if (limit > 0 && selected.size() == limit) {
            continueKey = hexEncode(o->ns + "/" + o->name);
            break;
        }
        selected.push_back(o);
    }

    const std::string rv = std::to_string(m_store.resourceVersion());
    Response r;
    if (wantsTable(request)) {
        appendTable(r.body, info.id, selected, rv, nowEpochMs());
        if (!continueKey.empty()) // put continue into the Table's metadata
            r.body.replace(r.body.find("\"},\"columnDefinitions\""), 2, "\",\"continue\":\"" + continueKey + "\"}");
        return r;
    }
    std::string &out = r.body;
    std::size_t bytes = 128;
    for (const ObjectPtr &o : selected)
        bytes += o->wire.size() + 1;
    out.reserve(bytes);
    out += "{\"kind\":\"" + info.kind + "List\",\"apiVersion\":\"" + info.apiVersion() +
           "\",\"metadata\":{\"resourceVersion\":\"" + rv + "\"";
    if (!continueKey.empty())
        out += ",\"continue\":\"" + continueKey + "\"";
    out += "},\"items\":[";
    for (std::size_t k = 0; k < selected.size(); ++k) {
        if (k)
            out += ',';
        out += selected[k]->wire;
    }
    out += "]}";
    return r;
}

namespace {

bool watchMatches(const WatchSpec &spec, const StoredObject &o)
{
    if (!spec.ns.empty() && o.ns != spec.ns)
        return false;
    if (!spec.labels.empty() &&
        !spec.labels.matches(o.object.value("/metadata/labels"_json_pointer, json::object()).get<std::map<std::string, std::string>>()))
        return false;
    if (!spec.fields.empty() &&
        !spec.fields.matches([&](const std::string &f) { return f == "metadata.namespace" ? o.ns : fieldValue(o.object, f); }))
        return false;
    return true;
}

} // namespace

std::string KubeApi::pollWatch(WatchState &watch)
{
    if (watch.expired)
        return {};
    std::string out;
    auto emit = [&](const char *type, const StoredObject &o) {
        out += "{\"type\":\"";
        out += type;
        out += "\",\"object\":";
        if (watch.spec.table) {
            const std::vector<const StoredObject *> one = {&o};
            appendTable(out, watch.spec.res, one, std::to_string(o.rv), nowEpochMs(), !watch.columnsSent);
            watch.columnsSent = true;
        } else {
            out += o.wire;
        }
        out += "}\n";
    };
    if (!watch.started) {
        watch.started = true;
        watch.sentRv = watch.spec.fromRv;
        if (watch.spec.initialEvents) {
            for (const ObjectPtr &o : m_store.list(watch.spec.res, watch.spec.ns))
                if (watchMatches(watch.spec, *o))
                    emit("ADDED", *o);
            watch.sentRv = m_store.resourceVersion();
        }
    }
    if (watch.sentRv < m_store.oldestResumableRv()) {
        watch.expired = true;
        const ApiError e = gone("too old resource version: " + std::to_string(watch.sentRv) + " (" +
                                std::to_string(m_store.oldestResumableRv()) + ")");
        return out + "{\"type\":\"ERROR\",\"object\":" + statusJson(e).dump() + "}\n";
    }
    const auto &log = m_store.log();
    for (std::size_t k = m_store.logIndexAfter(watch.sentRv); k < log.size(); ++k) {
        const WatchEvent &e = log[k];
        if (e.res == watch.spec.res && watchMatches(watch.spec, *e.object))
            emit(e.type, *e.object);
    }
    watch.sentRv = m_store.resourceVersion();
    return out;
}

std::string KubeApi::bookmark(const WatchState &watch) const
{
    const ResourceInfo &info = resourceInfo(watch.spec.res);
    json object = {{"kind", info.kind},
                   {"apiVersion", info.apiVersion()},
                   {"metadata", {{"resourceVersion", std::to_string(m_store.resourceVersion())},
                                 {"annotations", {{"k8s.io/initial-events-end", "true"}}}}}};
    return "{\"type\":\"BOOKMARK\",\"object\":" + object.dump() + "}\n";
}

} // namespace opsdeck::kubeapi
