// scrape(): every metric family, in a fixed order, under the names the real exporters
// use (the runbook's agent_* metrics, cAdvisor, kube-state-metrics, vLLM, dcgm-exporter).
// Per-pod values are computed here from pod state, so advance() never touches pods.
#include "sim_impl.h"

#include <algorithm>
#include <cmath>

namespace opsdeck::sim {

using telemetry::Labels;
using telemetry::MetricFamily;
using telemetry::MetricType;
using telemetry::Sample;

namespace {
struct FamilyBuilder {
    telemetry::Scrape &out;
    MetricFamily &begin(const std::string &name, const std::string &help, MetricType type)
    {
        out.push_back({name, help, type, {}});
        return out.back();
    }
};

void add(MetricFamily &f, Labels labels, double value)
{
    f.samples.push_back({f.name, std::move(labels), value, std::nullopt});
}

std::string formatLe(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// Cumulative _bucket samples (with le), then _sum and _count. Counts are whole numbers
// (floor of the expected count, monotone in time and in le). The label sets are built
// once per series into `cache` (bucket labels, then the base labels) and reused.
template <typename BaseFn>
void addHistogram(MetricFamily &f, std::vector<Labels> &cache, BaseFn &&makeBase, const std::vector<double> &bounds,
                  const double *perBucket, double sum)
{
    if (cache.size() != bounds.size() + 2) {
        cache.clear();
        const Labels base = makeBase();
        for (std::size_t i = 0; i <= bounds.size(); ++i) {
            Labels l = base;
            l.set("le", i < bounds.size() ? formatLe(bounds[i]) : "+Inf");
            cache.push_back(std::move(l));
        }
        cache.push_back(base);
    }
    const std::string bucket = f.name + "_bucket";
    double cumulative = 0;
    for (std::size_t i = 0; i <= bounds.size(); ++i) {
        cumulative += std::max(0.0, perBucket[i]);
        f.samples.push_back({bucket, cache[i], std::floor(cumulative + 1e-6), std::nullopt});
    }
    f.samples.push_back({f.name + "_sum", cache.back(), std::max(0.0, sum), std::nullopt});
    f.samples.push_back({f.name + "_count", cache.back(), std::floor(cumulative + 1e-6), std::nullopt});
}

template <typename BaseFn>
void addHistogram(MetricFamily &f, const Histogram &h, BaseFn &&makeBase)
{
    addHistogram(f, h.labelCache, makeBase, h.bounds(), h.counts().data(), h.sum());
}
} // namespace

telemetry::Scrape Simulation::scrape() const
{
    const Impl &s = *d;
    telemetry::Scrape out;
    FamilyBuilder fb{out};
    const char *nsNames[2] = {kNamespace, kCanaryNamespace};
    const char *reasons[3] = {"internal", "timeout", "unavailable"};

    {
        auto &f = fb.begin("agent_requests_total", "Agent requests received, by user tier.", MetricType::Counter);
        for (const auto &r : s.regions)
            for (int ns = 0; ns < 2; ++ns) {
                if (ns == 1 && r.canaryDep < 0)
                    continue;
                for (int t = 0; t < 4; ++t)
                    add(f, {{"job", "agent-orchestrator"}, {"namespace", nsNames[ns]}, {"region", r.name}, {"tier", kTiers[t]}},
                        r.requests[ns][t]);
            }
    }
    {
        auto &f = fb.begin("agent_errors_total",
                           "Agent requests that failed server-side (5xx, timeouts, unavailable); client errors are not counted.",
                           MetricType::Counter);
        for (const auto &r : s.regions)
            for (int ns = 0; ns < 2; ++ns) {
                if (ns == 1 && r.canaryDep < 0)
                    continue;
                for (int t = 0; t < 4; ++t)
                    for (int k = 0; k < 3; ++k)
                        add(f, {{"job", "agent-orchestrator"}, {"namespace", nsNames[ns]}, {"reason", reasons[k]},
                                {"region", r.name}, {"tier", kTiers[t]}},
                            r.errors[ns][t][k]);
            }
    }
    {
        auto &f = fb.begin("agent_task_duration_seconds", "Time to complete one agent request end to end.", MetricType::Histogram);
        for (const auto &r : s.regions)
            for (int ns = 0; ns < 2; ++ns) {
                if (ns == 1 && r.canaryDep < 0)
                    continue;
                addHistogram(f, r.taskDuration[ns], [&] { return Labels{{"job", "agent-orchestrator"}, {"namespace", nsNames[ns]}, {"region", r.name}}; });
            }
    }
    {
        auto &f = fb.begin("agent_active_sessions", "User sessions active now, by tier.", MetricType::Gauge);
        for (const auto &r : s.regions)
            for (int t = 0; t < 4; ++t)
                add(f, {{"job", "agent-orchestrator"}, {"namespace", kNamespace}, {"region", r.name}, {"tier", kTiers[t]}},
                    std::round(r.sessions[t]));
    }
    {
        auto &f = fb.begin("model_inference_latency_seconds", "Model inference call latency seen by the orchestrator.", MetricType::Histogram);
        for (const auto &r : s.regions)
            addHistogram(f, r.inferenceLatency, [&] { return Labels{{"job", "agent-orchestrator"}, {"namespace", kNamespace}, {"region", r.name}}; });
    }
    {
        auto &f = fb.begin("safety_violations_total", "Safety violations detected, by type.", MetricType::Counter);
        const char *types[3] = {"prompt_injection", "policy", "data_exfiltration"};
        for (const auto &r : s.regions)
            for (int k = 0; k < 3; ++k)
                add(f, {{"job", "safety-filter"}, {"namespace", kNamespace}, {"region", r.name}, {"type", types[k]}}, r.safetyViolations[k]);
    }
    {
        auto &f = fb.begin("safety_filter_blocked_total", "Requests blocked by the input safety filter.", MetricType::Counter);
        for (const auto &r : s.regions)
            add(f, {{"job", "safety-filter"}, {"namespace", kNamespace}, {"region", r.name}}, std::floor(r.safetyBlocked));
    }
    {
        // families are appended to `out` as we go, so refer to them by index
        const std::size_t base = out.size();
        fb.begin("virtual_computer_utilization", "Share of sandbox sessions in use (0..1).", MetricType::Gauge);
        fb.begin("virtual_computer_sessions_active", "Sandbox sessions in use.", MetricType::Gauge);
        fb.begin("virtual_computer_sessions_capacity", "Sandbox sessions available (ready pods × sessions per pod).", MetricType::Gauge);
        for (const auto &r : s.regions) {
            if (!r.healthy)
                continue;
            const Labels l{{"job", "virtual-computer"}, {"namespace", kNamespace}, {"region", r.name}};
            add(out[base], l, r.vcCapacity > 0 ? std::min(1.0, r.vcSessions / r.vcCapacity) : 0.0);
            add(out[base + 1], l, std::round(r.vcSessions));
            add(out[base + 2], l, r.vcCapacity);
        }
    }
    {
        auto &f = fb.begin("http_request_duration_seconds", "Request latency per service.", MetricType::Histogram);
        for (const auto &r : s.regions) {
            if (!r.healthy)
                continue;
            for (const auto &spec : serviceCatalogue())
                addHistogram(f, r.svc[spec.id].latency, [&] {
                    return Labels{{"job", spec.deployment}, {"namespace", kNamespace}, {"region", r.name}, {"service", spec.deployment}};
                });
        }
    }
    {
        auto &f = fb.begin("http_requests_total", "Requests per service and status class.", MetricType::Counter);
        for (const auto &r : s.regions) {
            if (!r.healthy)
                continue;
            for (const auto &spec : serviceCatalogue()) {
                const ServiceRt &sv = r.svc[spec.id];
                const Labels l{{"job", spec.deployment}, {"namespace", kNamespace}, {"region", r.name}, {"service", spec.deployment}};
                Labels ok = l, bad = l;
                ok.set("code", "2xx");
                bad.set("code", "5xx");
                add(f, ok, std::floor(sv.requestsTotal - sv.errorsTotal));
                add(f, bad, std::floor(sv.errorsTotal));
            }
        }
    }
    {
        auto &f = fb.begin("external_service_latency_seconds", "Latency of tool services called by agents.", MetricType::Histogram);
        const char *tools[3] = {"browser-tool", "code-executor", "tool-api-gateway"};
        for (const auto &r : s.regions) {
            if (!r.healthy)
                continue;
            for (int k = 0; k < 3; ++k)
                addHistogram(f, r.externalLatency[k], [&] {
                    return Labels{{"job", "agent-orchestrator"}, {"namespace", kNamespace}, {"region", r.name}, {"service", tools[k]}};
                });
        }
    }
    const std::size_t dbBase = out.size();
    fb.begin("db_pool_connections_in_use", "State DB connections checked out of the pool.", MetricType::Gauge);
    fb.begin("db_pool_connections_max", "State DB connection pool size.", MetricType::Gauge);
    fb.begin("db_pool_wait_seconds", "Mean wait for a pooled connection.", MetricType::Gauge);
    fb.begin("message_queue_depth", "Messages waiting in the agent task queue.", MetricType::Gauge);
    for (const auto &r : s.regions) {
        if (!r.healthy)
            continue;
        const Labels l{{"job", "state-db"}, {"namespace", kNamespace}, {"region", r.name}};
        add(out[dbBase], l, std::round(r.dbInUse));
        add(out[dbBase + 1], l, r.dbPoolMax);
        add(out[dbBase + 2], l, r.dbWaitSec);
        add(out[dbBase + 3], {{"job", "message-queue"}, {"namespace", kNamespace}, {"queue", "agent-tasks"}, {"region", r.name}},
            std::round(r.mqDepth));
    }

    // per-pod families
    const std::size_t podBase = out.size();
    fb.begin("up", "1 if the last scrape of the target succeeded.", MetricType::Gauge);
    fb.begin("container_memory_usage_bytes", "Container memory usage (cAdvisor).", MetricType::Gauge);
    fb.begin("container_spec_memory_limit_bytes", "Container memory limit (cAdvisor).", MetricType::Gauge);
    fb.begin("kube_pod_container_status_restarts_total", "Container restarts (kube-state-metrics).", MetricType::Counter);
    for (std::size_t k = podBase; k < out.size(); ++k)
        out[k].samples.reserve(s.inv.pods.size());
    for (std::size_t i = 0; i < s.inv.pods.size(); ++i) {
        const Pod &pod = s.inv.pods[i];
        const PodRt &p = s.podRt[i];
        const RegionRt &r = s.regions[p.region];
        if (p.stage == PodStage::Gone || !r.healthy || p.ip.empty())
            continue;
        const ServiceSpec &spec = serviceSpec(static_cast<ServiceId>(s.depRt[p.dep].service));
        const bool running = pod.phase == PodPhase::Running;
        if (p.containerLabels.empty())
            p.containerLabels = Labels{{"container", pod.containers.front().name}, {"namespace", pod.ns}, {"pod", pod.name}, {"region", pod.region}};
        const Labels &cl = p.containerLabels;
        if (running) {
            if (p.upLabels.empty())
                p.upLabels = Labels{{"instance", p.ip + ":" + std::to_string(spec.port)}, {"job", spec.deployment},
                                    {"namespace", pod.ns}, {"pod", pod.name}, {"region", pod.region}};
            const bool upNow = p.stage == PodStage::Ready || (p.stage == PodStage::Starting && !spec.gpu);
            add(out[podBase], p.upLabels, upNow ? 1.0 : 0.0);
        }
        if (running && (p.stage == PodStage::Ready || p.stage == PodStage::Starting)) {
            add(out[podBase + 1], cl, std::floor(s.podMemoryBytes(i)));
            add(out[podBase + 2], cl, pod.containers.front().memoryLimitBytes);
        }
        add(out[podBase + 3], cl, pod.restarts);
    }

    {
        const std::size_t k = out.size();
        fb.begin("kube_deployment_spec_replicas", "Desired replicas (kube-state-metrics).", MetricType::Gauge);
        fb.begin("kube_deployment_status_replicas", "Replicas of all ReplicaSets (kube-state-metrics).", MetricType::Gauge);
        fb.begin("kube_deployment_status_replicas_available", "Available replicas (kube-state-metrics).", MetricType::Gauge);
        fb.begin("kube_deployment_status_replicas_updated", "Replicas of the current revision.", MetricType::Gauge);
        for (std::size_t i = 0; i < s.inv.deployments.size(); ++i) {
            const Deployment &D = s.inv.deployments[i];
            if (!s.regions[s.depRt[i].region].healthy)
                continue;
            const Labels l{{"deployment", D.name}, {"namespace", D.ns}, {"region", D.region}};
            int total = 0;
            for (int rs : s.depRt[i].rs)
                total += s.rsRt[rs].active;
            add(out[k], l, D.replicas);
            add(out[k + 1], l, total);
            add(out[k + 2], l, D.availableReplicas);
            add(out[k + 3], l, D.updatedReplicas);
        }
    }
    {
        const std::size_t k = out.size();
        fb.begin("kube_horizontalpodautoscaler_status_desired_replicas", "HPA desired replicas.", MetricType::Gauge);
        fb.begin("kube_node_status_condition", "Node conditions (kube-state-metrics).", MetricType::Gauge);
        for (const auto &r : s.regions)
            if (r.healthy)
                add(out[k], {{"horizontalpodautoscaler", "agent-orchestrator-hpa"}, {"namespace", kNamespace}, {"region", r.name}},
                    s.inv.deployments[r.svc[kOrchestrator].dep].replicas);
        for (std::size_t n = 0; n < s.inv.nodes.size(); ++n) {
            const Node &node = s.inv.nodes[n];
            if (!s.regions[s.nodeRt[n].region].healthy)
                continue;
            add(out[k + 1], {{"condition", "Ready"}, {"node", node.name}, {"region", node.region}, {"status", "true"}}, node.ready ? 1 : 0);
            add(out[k + 1], {{"condition", "Ready"}, {"node", node.name}, {"region", node.region}, {"status", "false"}}, node.ready ? 0 : 1);
        }
    }

    // vLLM, per ready model-server pod
    {
        const std::size_t k = out.size();
        fb.begin("vllm:num_requests_running", "Requests in the running batch.", MetricType::Gauge);
        fb.begin("vllm:num_requests_waiting", "Requests waiting for KV cache.", MetricType::Gauge);
        fb.begin("vllm:kv_cache_usage_perc", "KV cache usage (1 = 100 %).", MetricType::Gauge);
        fb.begin("vllm:time_to_first_token_seconds", "Time to first token.", MetricType::Histogram);
        fb.begin("vllm:inter_token_latency_seconds", "Time between output tokens.", MetricType::Histogram);
        fb.begin("vllm:e2e_request_latency_seconds", "End-to-end request latency.", MetricType::Histogram);
        fb.begin("vllm:num_preemptions_total", "Sequences preempted for lack of KV cache.", MetricType::Counter);
        fb.begin("vllm:prompt_tokens_total", "Prefill tokens processed.", MetricType::Counter);
        fb.begin("vllm:generation_tokens_total", "Generation tokens produced.", MetricType::Counter);
        std::size_t servers = 0;
        for (const auto &r : s.regions)
            servers += s.inv.deployments[r.svc[kModelServer].dep].readyReplicas;
        for (std::size_t j = k; j < out.size(); ++j)
            out[j].samples.reserve(servers * (j >= k + 3 && j <= k + 5 ? 19 : 1));
        const std::string modelName = "agent-" + std::to_string(static_cast<int>(std::lround(s.model.paramsBillions))) + "b";
        const auto &tb = Histogram::ttftBuckets(), &ib = Histogram::itlBuckets(), &eb = Histogram::e2eBuckets();
        std::vector<double> delta;
        for (std::size_t i = 0; i < s.inv.pods.size(); ++i) {
            const PodRt &p = s.podRt[i];
            if (s.depRt[p.dep].service != kModelServer || p.stage != PodStage::Ready || !s.regions[p.region].healthy)
                continue;
            const RegionRt &r = s.regions[p.region];
            const Pod &pod = s.inv.pods[i];
            delta.resize(r.inference.perPodAcc.size());
            if (p.vllmLabels.empty())
                p.vllmLabels = Labels{{"instance", p.ip + ":8000"}, {"job", "model-server"}, {"model_name", modelName},
                                      {"namespace", pod.ns}, {"pod", pod.name}, {"region", pod.region}};
            const Labels &l = p.vllmLabels;
            add(out[k], l, std::round(r.inference.running));
            add(out[k + 1], l, std::round(r.inference.waiting));
            add(out[k + 2], l, r.inference.kvUsage);
            for (std::size_t j = 0; j < delta.size(); ++j)
                delta[j] = r.inference.perPodAcc[j] - (j < p.vllmBase.size() ? p.vllmBase[j] : 0.0);
            const double *acc = delta.data();
            auto base = [&] { return l; };
            addHistogram(out[k + 3], p.vllmBucketLabels[0], base, tb, acc, acc[tb.size() + 1]);
            acc += tb.size() + 3;
            addHistogram(out[k + 4], p.vllmBucketLabels[1], base, ib, acc, acc[ib.size() + 1]);
            acc += ib.size() + 3;
            addHistogram(out[k + 5], p.vllmBucketLabels[2], base, eb, acc, acc[eb.size() + 1]);
            acc += eb.size() + 3;
            add(out[k + 6], l, std::floor(acc[0]));
            add(out[k + 7], l, std::floor(acc[1]));
            add(out[k + 8], l, std::floor(acc[2]));
        }
    }

    // DCGM, per GPU on every GPU node of a reachable region
    {
        const std::size_t k = out.size();
        fb.begin("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", MetricType::Gauge);
        fb.begin("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).", MetricType::Gauge);
        fb.begin("DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).", MetricType::Gauge);
        fb.begin("DCGM_FI_DEV_XID_ERRORS", "Value of the last XID error encountered.", MetricType::Gauge);
        fb.begin("DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", MetricType::Gauge);
        fb.begin("DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", MetricType::Gauge);
        for (std::size_t j = k; j < out.size(); ++j)
            out[j].samples.reserve(s.inv.nodes.size() * 8);
        const double totalMiB = s.hw.gpu.hbmBytes / 1048576.0;
        const double usedByVllm = totalMiB * s.hw.memoryUtilization; // vLLM preallocates
        for (std::size_t n = 0; n < s.inv.nodes.size(); ++n) {
            const Node &node = s.inv.nodes[n];
            const NodeRt &nr = s.nodeRt[n];
            if (node.gpuCount == 0 || !s.regions[nr.region].healthy)
                continue;
            const RegionRt &r = s.regions[nr.region];
            const bool serving = nr.gpuBusy && !nr.failed;
            if (nr.gpuLabels.size() != static_cast<std::size_t>(node.gpuCount)) {
                nr.gpuLabels.clear();
                for (int g = 0; g < node.gpuCount; ++g) {
                    char uuid[64];
                    std::snprintf(uuid, sizeof uuid, "GPU-%08llx-%04x-4%03x-8%03x-%012llx",
                                  static_cast<unsigned long long>(n * 2654435761ULL & 0xffffffffULL), g,
                                  static_cast<unsigned>(n & 0xfff), static_cast<unsigned>(g * 7 & 0xfff),
                                  static_cast<unsigned long long>((n * 8 + g) * 0x9e3779b1ULL & 0xffffffffffffULL));
                    nr.gpuLabels.push_back(Labels{{"Hostname", node.name}, {"UUID", uuid},
                                                  {"device", "nvidia" + std::to_string(g)}, {"gpu", std::to_string(g)},
                                                  {"modelName", "NVIDIA H200"}, {"region", node.region}});
                }
            }
            for (int g = 0; g < node.gpuCount; ++g) {
                const Labels &l = nr.gpuLabels[g];
                const double util = serving ? r.inference.gpuUtil * 100 : 0;
                const double used = serving ? usedByVllm : (nr.failed ? 0 : 1.0);
                add(out[k], l, std::round(util));
                add(out[k + 1], l, std::round(used));
                add(out[k + 2], l, std::round(totalMiB - used));
                add(out[k + 3], l, nr.failed ? nr.xid : 0);
                add(out[k + 4], l, std::round(34 + 40 * util / 100 + (g % 3)));
                add(out[k + 5], l, nr.failed ? 0 : (serving ? r.inference.powerWatts : 75.0));
            }
        }
    }
    return out;
}

} // namespace opsdeck::sim
