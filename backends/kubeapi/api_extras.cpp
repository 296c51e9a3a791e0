// The rest of what kubectl and instructors use: pod logs, metrics.k8s.io (kubectl top),
// SelfSubjectAccessReview (kubectl auth can-i; the console asks before enabling a
// button) and the simulator's own control endpoint under /opsdeck/v1/.
#include "api.h"
#include "api_internal.h"
#include "kube_time.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

namespace opsdeck::kubeapi {

using nlohmann::json;
using namespace detail;

namespace {

constexpr std::int64_t kLogIntervalMs = 10'000; // one log line per 10 s of simulated time
constexpr std::size_t kMaxLogLines = 5000;

std::uint64_t mix(std::uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

double unitHash(const std::string &uid, std::int64_t t)
{
    std::uint64_t h = std::hash<std::string>{}(uid) ^ mix(static_cast<std::uint64_t>(t));
    return static_cast<double>(mix(h) >> 11) / 9007199254740992.0;
}

const char *kInfoLines[] = {
    "task completed steps=%d duration_ms=%d",
    "session heartbeat active_sessions=%d queue_depth=%d",
    "model call ok tokens_out=%d latency_ms=%d",
    "tool call ok tool=browser latency_ms=%d status=%d",
};
const char *kErrorLines[] = {
    "task failed: upstream model-server returned 503 (attempt %d, %d ms)",
    "request error: tool execution timeout after %d ms (step %d)",
    "unhandled exception in step executor: KeyError 'plan' (task %d, %d)",
};

// kubectl auth can-i posts its SelfSubjectAccessReview as protobuf ("k8s\0" + a
// runtime.Unknown whose field 2 holds the object). Only the resource attributes are
// read: SSAR{2: spec{1: resourceAttributes{1 namespace, 2 verb, 3 group, 4 version,
// 5 resource, 6 subresource, 7 name}}}.
struct ProtoField {
    std::uint64_t number = 0;
    std::string_view bytes; // length-delimited fields only
};

bool protoFields(std::string_view data, std::vector<ProtoField> &out)
{
    std::size_t pos = 0;
    auto varint = [&](std::uint64_t &value) {
        value = 0;
        for (int shift = 0; shift < 64 && pos < data.size(); shift += 7) {
            const auto byte = static_cast<unsigned char>(data[pos++]);
            value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                return true;
        }
        return false;
    };
    while (pos < data.size()) {
        std::uint64_t key = 0, value = 0;
        if (!varint(key))
            return false;
        switch (key & 7) {
        case 0:
            if (!varint(value))
                return false;
            break;
        case 1:
            pos += 8;
            break;
        case 5:
            pos += 4;
            break;
        case 2:
            if (!varint(value) || value > data.size() - pos)
                return false;
            out.push_back({key >> 3, data.substr(pos, value)});
            pos += value;
            break;
        default:
            return false;
        }
    }
    return pos == data.size();
}

std::string_view protoField(std::string_view data, std::uint64_t number)
{
    std::vector<ProtoField> fields;
    if (!protoFields(data, fields))
        return {};
    for (const ProtoField &f : fields)
        if (f.number == number)
            return f.bytes;
    return {};
}

Result<json> accessReviewFromProtobuf(const std::string &body)
{
    if (body.size() < 4 || body.compare(0, 4, std::string("k8s\0", 4)) != 0)
        return Error{"protobuf body without the k8s envelope"};
    const std::string_view raw = protoField(std::string_view(body).substr(4), 2);
    const std::string_view attrs = protoField(protoField(raw, 2), 1);
    std::vector<ProtoField> fields;
    if (raw.empty() || !protoFields(attrs, fields))
        return Error{"cannot read spec.resourceAttributes from the protobuf SelfSubjectAccessReview"};
    static const char *names[] = {"", "namespace", "verb", "group", "version", "resource", "subresource", "name"};
    json attributes = json::object();
    for (const ProtoField &f : fields)
        if (f.number >= 1 && f.number <= 7)
            attributes[names[f.number]] = std::string(f.bytes);
    return json{{"spec", {{"resourceAttributes", attributes}}}};
}

} // namespace

Response KubeApi::podLog(const Request &request, const Target &target)
{
    const ObjectPtr pod = m_store.get(Res::Pods, target.ns, target.name);
    if (!pod)
        return errorResponse(notFound("pods", "", target.name));
    const json &o = pod->object;
    std::string container = queryValue(request, "container");
    const json containers = o.value("/spec/containers"_json_pointer, json::array());
    if (container.empty() && !containers.empty())
        container = containers[0].value("name", "");
    bool known = false;
    for (const json &c : containers)
        known = known || c.value("name", "") == container;
    if (!known)
        return errorResponse(badRequest("container " + container + " is not valid for pod " + target.name));
    const std::string phase = o.value("/status/phase"_json_pointer, std::string());
    if (phase == "Pending")
        return errorResponse(badRequest("container \"" + container + "\" in pod \"" + target.name +
                                        "\" is waiting to start: ContainerCreating"));

    // Error share of this pod's service right now, from the simulator's health figures.
    const auto [region, simNs] = m_store.simNamespace(target.ns);
    double errorRatio = 0;
    std::string deployment;
    for (const json &ref : o.value("/metadata/ownerReferences"_json_pointer, json::array()))
        deployment = ref.value("name", "");
    const sim::HealthSnapshot health = m_sim.health();
    for (const sim::ServiceStatus &s : health.services)
        if ((s.region == region || s.region.empty()) && !s.component.empty() && deployment.rfind(s.component, 0) == 0) {
            errorRatio = std::max(errorRatio, s.errorRatio);
            // The orchestrator runs every task: failed tasks (a bad deploy's) are logged there.
            if (s.component == "agent-orchestrator" && region == health.activeRegion)
                errorRatio = std::max(errorRatio, health.errorRatio);
        }
    if (phase == "Failed")
        errorRatio = std::max(errorRatio, 0.5);

    const std::int64_t now = nowEpochMs();
    std::int64_t from = parseRfc3339(o.value("/status/startTime"_json_pointer, o.value("/metadata/creationTimestamp"_json_pointer, std::string())));
    if (const std::string since = queryValue(request, "sinceSeconds"); !since.empty())
        from = std::max<std::int64_t>(from, now - std::atoll(since.c_str()) * 1000);
    if (const std::string sinceTime = queryValue(request, "sinceTime"); !sinceTime.empty())
        from = std::max(from, parseRfc3339(sinceTime));
    const bool timestamps = queryValue(request, "timestamps") == "true";
    std::int64_t first = (from / kLogIntervalMs + 1) * kLogIntervalMs;
    std::size_t tail = kMaxLogLines;
    if (const std::string t = queryValue(request, "tailLines"); !t.empty())
        tail = std::min<std::size_t>(kMaxLogLines, static_cast<std::size_t>(std::max(0LL, std::atoll(t.c_str()))));
    const std::int64_t lines = now >= first ? (now - first) / kLogIntervalMs + 1 : 0;
    if (lines > static_cast<std::int64_t>(tail))
        first += (lines - static_cast<std::int64_t>(tail)) * kLogIntervalMs;

    Response r;
    r.contentType = "text/plain";
    char text[256];
    for (std::int64_t t = first; t <= now; t += kLogIntervalMs) {
        const double u = unitHash(pod->object.value("/metadata/uid"_json_pointer, target.name), t);
        const int a = static_cast<int>(u * 1000) % 97 + 3, b = static_cast<int>(u * 1e6) % 4000 + 40;
        const bool error = u < errorRatio;
        const char *format = error ? kErrorLines[static_cast<int>(u * 1e4) % 3] : kInfoLines[static_cast<int>(u * 1e4) % 4];
        std::snprintf(text, sizeof text, format, a, b);
        const std::string stamp = rfc3339(t);
        if (timestamps)
            r.body += stamp + " ";
        r.body += stamp + (error ? " ERROR " : " INFO  ") + container + ": " + text + "\n";
    }
    return r;
}

Response KubeApi::metricsApi(const Request &request, const std::string &path)
{
    if (request.method != "GET")
        return errorResponse(methodNotAllowed("metrics.k8s.io is read-only"));
    // /apis/metrics.k8s.io/v1beta1[/namespaces/NS]/{pods,nodes}[/NAME]
    std::string rest = path.substr(std::string("/apis/metrics.k8s.io/v1beta1").size());
    std::string ns, name, kind;
    if (rest.rfind("/namespaces/", 0) == 0) {
        rest = rest.substr(12);
        ns = rest.substr(0, rest.find('/'));
        rest = rest.find('/') == std::string::npos ? "" : rest.substr(rest.find('/'));
    }
    if (rest.empty() || rest == "/")
        return jsonResponse(legacyResourceList("metrics.k8s.io", "v1beta1"));
    rest = rest.substr(1);
    kind = rest.substr(0, rest.find('/'));
    if (rest.find('/') != std::string::npos)
        name = rest.substr(rest.find('/') + 1);
    if (kind != "pods" && kind != "nodes")
        return errorResponse({404, "NotFound", "the server could not find the requested resource", {}, {}, {}, {}});
    Result<LabelSelector> labels = LabelSelector::parse(queryValue(request, "labelSelector"));
    if (!labels)
        return errorResponse(badRequest(labels.error()));
    const std::string stamp = rfc3339(nowEpochMs());
    const sim::Inventory &inv = m_sim.inventory();
    json items = json::array();
    if (kind == "pods") {
        const RegionNamespaces &naming = m_store.naming();
        for (const sim::Pod &pod : inv.pods) {
            if (pod.phase != sim::PodPhase::Running)
                continue;
            const std::string podNs = naming.toKube(pod.ns, pod.region);
            if ((!ns.empty() && podNs != ns) || (!name.empty() && pod.name != name))
                continue;
            if (!labels->empty() && !labels->matches(pod.labels))
                continue;
            json containers = json::array();
            const double share = pod.containers.empty() ? 1.0 : 1.0 / pod.containers.size();
            for (const sim::Container &c : pod.containers)
                containers.push_back({{"name", c.name},
                                      {"usage", {{"cpu", cpuNanocores(pod.cpuUsageCores * share)}, {"memory", memoryKi(pod.memoryUsageBytes * share)}}}});
            json labelsJson = json::object();
            for (const auto &[k, v] : pod.labels)
                labelsJson[k] = v;
            items.push_back({{"metadata", {{"name", pod.name}, {"namespace", podNs}, {"labels", labelsJson},
                                           {"creationTimestamp", stamp}}},
                             {"timestamp", stamp},
                             {"window", "15s"},
                             {"containers", containers}});
        }
    } else {
        std::map<std::string, std::pair<double, double>> usage;
        for (const sim::Pod &pod : inv.pods)
            if (pod.phase == sim::PodPhase::Running && !pod.nodeName.empty()) {
                usage[pod.nodeName].first += pod.cpuUsageCores;
                usage[pod.nodeName].second += pod.memoryUsageBytes;
            }
        for (const sim::Node &node : inv.nodes) {
            if (!name.empty() && node.name != name)
                continue;
            if (!labels->empty() && !labels->matches(node.labels))
                continue;
            const auto &[cpu, memory] = usage[node.name];
            items.push_back({{"metadata", {{"name", node.name}, {"creationTimestamp", stamp}}},
                             {"timestamp", stamp},
                             {"window", "15s"},
                             {"usage", {{"cpu", cpuNanocores(cpu)}, {"memory", memoryKi(memory)}}}});
        }
    }
    if (!name.empty()) {
        if (items.empty())
            return errorResponse(notFound(kind, "metrics.k8s.io", name));
        json one = items[0];
        one["kind"] = kind == "pods" ? "PodMetrics" : "NodeMetrics";
        one["apiVersion"] = "metrics.k8s.io/v1beta1";
        return jsonResponse(one);
    }
    return jsonResponse({{"kind", kind == "pods" ? "PodMetricsList" : "NodeMetricsList"},
                         {"apiVersion", "metrics.k8s.io/v1beta1"},
                         {"metadata", json::object()},
                         {"items", items}});
}

Response KubeApi::accessReview(const Request &request, const User &user)
{
    if (request.method != "POST")
        return errorResponse(methodNotAllowed("selfsubjectaccessreviews only supports create"));
    json review;
    if (request.contentType.rfind("application/vnd.kubernetes.protobuf", 0) == 0) {
        Result<json> decoded = accessReviewFromProtobuf(request.body);
        if (!decoded)
            return errorResponse(badRequest("error decoding SelfSubjectAccessReview: " + decoded.error()));
        review = *decoded;
    } else {
        try {
            review = json::parse(request.body);
        } catch (const json::parse_error &e) {
            return errorResponse(badRequest(std::string("error decoding SelfSubjectAccessReview: ") + e.what()));
        }
    }
    if (!review.is_object())
        return errorResponse(badRequest("the body must be a SelfSubjectAccessReview object"));
    const json attrs = review.value("/spec/resourceAttributes"_json_pointer, json::object());
    const std::string verb = attrs.value("verb", "");
    const bool read = verb == "get" || verb == "list" || verb == "watch";
    const bool allowed = read || m_auth.mayMutate(user);
    review["apiVersion"] = "authorization.k8s.io/v1";
    review["kind"] = "SelfSubjectAccessReview";
    review["status"] = {{"allowed", allowed}};
    if (!allowed)
        review["status"]["reason"] = "user \"" + user.name + "\" is not in group " + kOperatorsGroup +
                                     ": the simulated cluster lets only operators " + verb;
    else
        review["status"]["reason"] = read ? "every authenticated user may read" : "member of " + std::string(kOperatorsGroup);
    return jsonResponse(review, 201);
}

Response KubeApi::control(const Request &request, const User &user)
{
    const std::string what = request.path.substr(std::string("/opsdeck/v1/").size());
    if (what == "health" && request.method == "GET") {
        const sim::HealthSnapshot h = m_sim.health();
        json services = json::array();
        for (const sim::ServiceStatus &s : h.services)
            services.push_back({{"component", s.component}, {"region", s.region}, {"desired", s.desired}, {"ready", s.ready},
                                {"errorRatio", s.errorRatio}, {"latencyP99Sec", s.latencyP99Sec}});
        return jsonResponse({{"simulatedMs", m_sim.nowMs()},
                             {"simulatedTime", rfc3339(nowEpochMs())},
                             {"speed", m_speed},
                             {"seed", m_sim.config().seed},
                             {"preset", m_sim.config().preset == sim::Preset::Large ? "large" : "default"},
                             {"resourceVersion", std::to_string(m_store.resourceVersion())},
                             {"pods", m_store.count(Res::Pods)},
                             {"deployments", m_store.count(Res::Deployments)},
                             {"successRate", h.successRate},
                             {"errorRatio", h.errorRatio},
                             {"modelInferenceP99Sec", h.modelInferenceP99Sec},
                             {"activeRegion", h.activeRegion},
                             {"services", services}});
    }
    const bool mutating = request.method != "GET";
    if (mutating && !m_auth.mayMutate(user))
        return errorResponse({403, "Forbidden", "User \"" + user.name + "\" may not change the simulation (needs group " +
                                                    kOperatorsGroup + ")", {}, {}, {}, {}});
    json body = json::object();
    if (!request.body.empty()) {
        try {
            body = json::parse(request.body);
        } catch (const json::parse_error &e) {
            return errorResponse(badRequest("/opsdeck/v1/" + what + ": body is not JSON: " + e.what()));
        }
        if (!body.is_object())
            return errorResponse(badRequest("/opsdeck/v1/" + what + ": body must be a JSON object"));
    }
    auto params = [&]() {
        std::map<std::string, std::string> out;
        const json given = body.value("params", json::object());
        for (const auto &[k, v] : given.items())
            out[k] = v.is_string() ? v.get<std::string>() : v.dump();
        return out;
    };
    if (what == "faults" && request.method == "POST") {
        const Result<sim::FaultKind> kind = sim::faultFromName(body.value("kind", ""));
        if (!kind)
            return errorResponse(badRequest("/opsdeck/v1/faults: \"kind\": " + kind.error()));
        sim::FaultSpec spec{*kind, body.value("target", ""), params()};
        m_sim.injectFault(spec);
        m_store.sync(m_sim);
        return jsonResponse({{"injected", sim::faultName(*kind)}, {"simulatedMs", m_sim.nowMs()}}, 201);
    }
    if (what.rfind("faults/", 0) == 0 && request.method == "DELETE") {
        const Result<sim::FaultKind> kind = sim::faultFromName(what.substr(7));
        if (!kind)
            return errorResponse(badRequest("/opsdeck/v1/faults/NAME: " + kind.error()));
        m_sim.clearFault(*kind);
        m_store.sync(m_sim);
        return jsonResponse({{"cleared", sim::faultName(*kind)}});
    }
    if (what == "actions" && request.method == "POST") {
        const Result<sim::ActionKind> kind = sim::actionFromName(body.value("kind", ""));
        if (!kind)
            return errorResponse(badRequest("/opsdeck/v1/actions: \"kind\": " + kind.error()));
        sim::ActionSpec spec{*kind, body.value("target", ""), params(), user.name};
        const sim::ActionResult result = m_sim.apply(spec);
        m_store.sync(m_sim);
        return jsonResponse({{"ok", result.ok}, {"message", result.message}, {"kubectl", result.kubectl}},
                            result.ok ? 200 : 422);
    }
    if (what == "advance" && request.method == "POST") {
        const json seconds = body.value("seconds", json());
        if (!seconds.is_number() || seconds.get<double>() < 0 || seconds.get<double>() > 7 * 86400)
            return errorResponse(badRequest("/opsdeck/v1/advance: \"seconds\" must be a number from 0 to 604800"));
        advance(static_cast<std::int64_t>(std::llround(seconds.get<double>() * 1000)));
        return jsonResponse({{"simulatedMs", m_sim.nowMs()}, {"resourceVersion", std::to_string(m_store.resourceVersion())}});
    }
    if (what == "speed" && request.method == "PUT") {
        const json speed = body.value("speed", json());
        if (!speed.is_number() || speed.get<double>() < 0 || speed.get<double>() > 10000)
            return errorResponse(badRequest("/opsdeck/v1/speed: \"speed\" must be a number from 0 (paused) to 10000"));
        m_speed = speed.get<double>();
        return jsonResponse({{"speed", m_speed}});
    }
    return errorResponse({404, "NotFound",
                          "no control endpoint " + request.method + " /opsdeck/v1/" + what +
                              " (GET health, POST faults, DELETE faults/KIND, POST actions, POST advance, PUT speed)",
                          {}, {}, {}, {}});
}

} // namespace opsdeck::kubeapi
