// Istio's VirtualService agent-routing in istio-system: the runbook's canary procedure
// routes a share of traffic with
//   kubectl patch virtualservice agent-routing -n istio-system --type merge -p '{"spec":{"http":[
//     {"match":[...],"route":[{"destination":{"host":"agent-orchestrator-canary"}}],"weight":N}]}}'
// A weight on a route to a *-canary host becomes the simulator's canary action at N %.
#include "api.h"
#include "kube_time.h"
#include "patch.h"

namespace opsdeck::kubeapi {

using nlohmann::json;

namespace {

constexpr const char *kVsNamespace = "istio-system";
constexpr const char *kVsName = "agent-routing";

// The canary share the routes ask for: -1 when no route goes to a canary host.
Result<int> canaryWeight(const json &spec)
{
    int weight = -1;
    const json http = spec.value("http", json::array());
    if (!http.is_array())
        return Error{"spec.http: Invalid value: must be a list"};
    for (std::size_t i = 0; i < http.size(); ++i) {
        const json route = http[i].value("route", json::array());
        if (!route.is_array())
            return Error{"spec.http[" + std::to_string(i) + "].route: Invalid value: must be a list"};
        for (std::size_t j = 0; j < route.size(); ++j) {
            const std::string host = route[j].value("/destination/host"_json_pointer, std::string());
            if (host.find("canary") == std::string::npos)
                continue;
            const json w = route[j].contains("weight") ? route[j]["weight"] : http[i].value("weight", json(100));
            if (!w.is_number_integer() || w.get<int>() < 0 || w.get<int>() > 100)
                return Error{"spec.http[" + std::to_string(i) + "].weight: Invalid value: " + w.dump() +
                             ": must be a whole number from 0 to 100"};
            weight = std::max(weight, w.get<int>());
        }
    }
    return weight;
}

} // namespace

Response KubeApi::virtualServices(const Request &request, const User &user)
{
    if (m_virtualService.is_null())
        m_virtualService = {{"apiVersion", "networking.istio.io/v1beta1"},
                            {"kind", "VirtualService"},
                            {"metadata",
                             {{"name", kVsName},
                              {"namespace", kVsNamespace},
                              {"uid", "vs-agent-routing"},
                              {"generation", 1},
                              {"resourceVersion", std::to_string(m_store.resourceVersion())},
                              {"creationTimestamp", rfc3339(m_sim.config().startEpochMs - 30LL * 24 * 3600 * 1000)}}},
                            {"spec",
                             {{"hosts", json::array({"agent-orchestrator"})},
                              {"http", json::array({{{"route", json::array({{{"destination", {{"host", "agent-orchestrator"}}}}})}}})}}}};
    const std::string prefix = "/apis/networking.istio.io/v1beta1";
    const std::string rest = request.path.substr(prefix.size());
    const std::string inNs = std::string("/namespaces/") + kVsNamespace + "/virtualservices";
    const bool list = rest == "/virtualservices" || rest == inNs;
    const bool one = rest.rfind(inNs + "/", 0) == 0;
    const std::string name = one ? rest.substr(inNs.size() + 1) : std::string();
    if (rest.rfind("/namespaces/", 0) == 0 && !list && !one && rest.find("/virtualservices") != std::string::npos) {
        if (request.method == "GET" && rest.size() > 16 && rest.substr(rest.size() - 16) == "/virtualservices")
            return jsonResponse({{"kind", "VirtualServiceList"}, {"apiVersion", "networking.istio.io/v1beta1"},
                                 {"metadata", {{"resourceVersion", std::to_string(m_store.resourceVersion())}}},
                                 {"items", json::array()}});
        return errorResponse(notFound("virtualservices", "networking.istio.io", rest.substr(rest.rfind('/') + 1)));
    }
    if (rest.empty() || rest == "/")
        return jsonResponse(legacyResourceList("networking.istio.io", "v1beta1"));
    if (list && request.method == "GET")
        return jsonResponse({{"kind", "VirtualServiceList"}, {"apiVersion", "networking.istio.io/v1beta1"},
                             {"metadata", {{"resourceVersion", std::to_string(m_store.resourceVersion())}}},
                             {"items", json::array({m_virtualService})}});
    if (!one || name.find('/') != std::string::npos)
        return errorResponse({404, "NotFound", "the server could not find the requested resource", {}, {}, {}, {}});
    if (name != kVsName)
        return errorResponse(notFound("virtualservices", "networking.istio.io", name));
    if (request.method == "GET")
        return jsonResponse(m_virtualService);
    if (request.method != "PATCH")
        return errorResponse(methodNotAllowed("the simulated cluster supports get, list and patch on virtualservices"));
    if (!m_auth.mayMutate(user))
        return errorResponse(forbidden(user.name, "patch", "virtualservices", {}, "networking.istio.io", kVsNamespace, name));
    Result<PatchType> type = patchTypeFromContentType(request.contentType);
    if (!type)
        return errorResponse({415, "UnsupportedMediaType", type.error(), {}, {}, {}, {}});
    if (*type == PatchType::StrategicMerge) // as for every custom resource on a real API server
        return errorResponse({415, "UnsupportedMediaType",
                              "strategic merge patch is not supported for custom resources (use --type merge or --type json)",
                              {}, {}, {}, {}});
    Result<json> patched = applyPatch(m_virtualService, request.body, *type);
    if (!patched)
        return errorResponse(badRequest(patched.error()));
    if (patched->value("/metadata/resourceVersion"_json_pointer, std::string()) !=
        m_virtualService.value("/metadata/resourceVersion"_json_pointer, std::string()))
        return errorResponse(conflict("virtualservices", "networking.istio.io", name));
    Result<int> weight = canaryWeight(patched->value("spec", json::object()));
    if (!weight)
        return errorResponse(invalid("VirtualService", "networking.istio.io", name, weight.error().substr(0, weight.error().find(':')),
                                     weight.error().substr(weight.error().find(':') + 2)));
    // The canary's image: the running canary's, else the main deployment's (a canary of
    // the same version).
    std::string image;
    for (const sim::Deployment &d : m_sim.inventory().deployments)
        if (d.name == "agent-orchestrator" && d.region == m_store.naming().primary() && !d.podTemplate.containers.empty())
            if (image.empty() || d.ns == "chatgpt-agent-canary")
                image = d.podTemplate.containers.front().image;
    sim::ActionSpec spec;
    spec.kind = sim::ActionKind::Canary;
    spec.target = "agent-orchestrator";
    spec.actor = user.name;
    spec.params = {{"image", image}, {"percent", std::to_string(std::max(0, *weight))}};
    const sim::ActionResult result = m_sim.apply(spec);
    if (!result.ok)
        return errorResponse(invalid("VirtualService", "networking.istio.io", name, "spec.http", "Forbidden: " + result.message));
    m_store.sync(m_sim);
    json stored = *patched;
    stored["metadata"]["resourceVersion"] = std::to_string(m_store.resourceVersion());
    stored["metadata"]["generation"] = m_virtualService.value("/metadata/generation"_json_pointer, 1) + 1;
    m_virtualService = stored;
    return jsonResponse(m_virtualService);
}

} // namespace opsdeck::kubeapi
