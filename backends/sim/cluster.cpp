// The cluster's shape: regions, nodes (CPU and 8x H200 GPU), the runbook's Deployments
// with their initial ReplicaSet history and running pods, and node failures.
// Rollouts live in rollout.cpp, pod lifecycles in pods.cpp.
#include "sim_impl.h"

#include <algorithm>
#include <cmath>

namespace opsdeck::sim {

namespace {
constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;

std::uint32_t fnv1a(const std::string &s)
{
    std::uint32_t h = 2166136261u;
    for (unsigned char c : s) {
        h ^= c;
        h *= 16777619u;
    }
    return h;
}

} // namespace

std::string Simulation::Impl::templateHash(const PodTemplate &tpl, int dep)
{
    std::string text;
    for (const auto &[k, v] : tpl.labels)
        text += k + "=" + v + ";";
    for (const auto &c : tpl.containers)
        text += c.name + ":" + c.image + ";";
    text += depRt[dep].restartedAt;
    // Kubernetes: SafeEncodeString(fmt.Sprint(fnv32a(template)))
    static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    const std::string digits = std::to_string(fnv1a(text));
    std::string out;
    for (unsigned char c : digits)
        out += kAlphabet[c % 27];
    return out;
}

void Simulation::Impl::buildCluster()
{
    const bool large = config.preset == Preset::Large;
    inv.namespaces = {kNamespace, kCanaryNamespace, "kube-system", "monitoring"};
    const auto regionSpecs = regionsFor(config.preset);
    for (std::size_t ri = 0; ri < regionSpecs.size(); ++ri) {
        const auto &spec = regionSpecs[ri];
        inv.regions.push_back({spec.name, spec.primary, true, spec.trafficWeight});
        RegionRt r;
        r.name = spec.name;
        r.primary = spec.primary;
        r.weight = r.weightFrom = r.weightTo = spec.trafficWeight;
        r.dbPoolMax = large ? 1500 : 50;
        const int orchestrators = large ? serviceSpec(kOrchestrator).largeReplicas
                                        : serviceSpec(kOrchestrator).replicas;
        r.hpa = HpaController(orchestrators, orchestrators * 10);
        r.inference.perPodAcc.assign(Histogram::ttftBuckets().size() + Histogram::itlBuckets().size() +
                                         Histogram::e2eBuckets().size() + 3 * 3 + 3, 0.0);
        regions.push_back(std::move(r));

        auto addNode = [&](bool gpu, int i) {
            Node n;
            char buf[64];
            std::snprintf(buf, sizeof buf, "%s-%s-%03d", spec.name.c_str(), gpu ? "gpu-h200" : "cpu", i);
            n.name = buf;
            n.region = spec.name;
            n.zone = spec.name + static_cast<char>('a' + i % 3);
            n.labels = {{"kubernetes.io/hostname", n.name},
                        {"topology.kubernetes.io/region", n.region},
                        {"topology.kubernetes.io/zone", n.zone},
                        {"node.kubernetes.io/instance-type", gpu ? "p5en.48xlarge" : "m7i.16xlarge"}};
            if (gpu) {
                n.labels["nvidia.com/gpu.product"] = "NVIDIA-H200";
                n.gpuCount = 8;
                n.gpuModel = "NVIDIA-H200";
                n.cpuCores = 192;
                n.memoryBytes = 2048e9;
            } else {
                n.cpuCores = 64;
                n.memoryBytes = 256e9;
            }
            n.uid = rng.uuid();
            const int index = static_cast<int>(inv.nodes.size());
            inv.nodes.push_back(std::move(n));
            NodeRt rt;
            rt.region = static_cast<int>(ri);
            nodeRt.push_back(rt);
            (gpu ? regions.back().gpuNodes : regions.back().cpuNodes).push_back(index);
        };
        for (int i = 0; i < spec.cpuNodes; ++i)
            addNode(false, i);
        for (int i = 0; i < spec.gpuNodes; ++i)
            addNode(true, i);
    }
    for (std::size_t ri = 0; ri < regions.size(); ++ri) {
        for (const auto &s : serviceCatalogue()) {
            const int dep = createDeployment(static_cast<int>(ri), s.id, false,
                                             large ? s.largeReplicas : s.replicas);
            regions[ri].svc[s.id].dep = dep;
        }
    }
}

int Simulation::Impl::createDeployment(int region, ServiceId service, bool canary, int replicas,
                                        const std::string &canaryImage)
{
    const ServiceSpec &s = serviceSpec(service);
    Deployment d;
    d.name = s.deployment;
    d.ns = canary ? kCanaryNamespace : kNamespace;
    d.component = s.deployment;
    d.region = regions[region].name;
    d.labels = {{"app", s.appLabel}, {"app.kubernetes.io/part-of", "chatgpt-agent"}};
    if (canary)
        d.labels["track"] = "canary";
    d.replicas = replicas;
    d.createdMs = canary ? now : -30LL * 24 * 3600 * 1000;
    d.uid = rng.uuid();
    const int dep = static_cast<int>(inv.deployments.size());
    inv.deployments.push_back(d);
    DepRt rt;
    rt.service = service;
    rt.region = region;
    rt.canary = canary;
    depRt.push_back(rt);

    auto templateFor = [&](const std::string &image) {
        PodTemplate tpl;
        tpl.labels = {{"app", s.appLabel}};
        if (canary)
            tpl.labels["track"] = "canary";
        Container c;
        c.name = s.container;
        c.image = image;
        c.cpuRequestCores = s.cpuRequestCores;
        c.memoryLimitBytes = s.memoryLimitBytes;
        tpl.containers.push_back(c);
        return tpl;
    };
    if (canary) {
        setTemplate(dep, templateFor(canaryImage.empty() ? s.image : canaryImage),
                    "kubectl set image deployment/" + s.deployment + " " + s.container + "=" + canaryImage);
        return dep;
    }
    // Pre-existing history: the previous image was revision 1, the current one revision 2.
    if (!s.previousImage.empty()) {
        const int old = createReplicaSet(dep, templateFor(s.previousImage),
                                         "kubectl set image deployment/" + s.deployment + " " +
                                             s.container + "=" + s.previousImage);
        inv.replicaSets[old].createdMs = -14LL * 24 * 3600 * 1000;
    }
    const int rs = createReplicaSet(dep, templateFor(s.image),
                                    "kubectl set image deployment/" + s.deployment + " " + s.container +
                                        "=" + s.image);
    auto &D = inv.deployments[dep];
    D.podTemplate = inv.replicaSets[rs].podTemplate;
    D.revision = inv.replicaSets[rs].revision;
    depRt[dep].currentRs = rs;
    // Pods that were already running when the simulation starts: Ready, no events.
    inv.replicaSets[rs].replicas = replicas;
    for (int i = 0; i < replicas; ++i) {
        createPod(rs);
        const std::size_t idx = inv.pods.size() - 1;
        PodRt &p = podRt[idx];
        // schedule synchronously, then mark ready in the past
        p.stage = PodStage::Scheduling;
        onTimer(idx);
        if (podRt[idx].stage != PodStage::Creating)
            continue; // no room (GPU nodes): stays Pending
        Pod &pod = inv.pods[idx];
        const std::int64_t age = -static_cast<std::int64_t>(kMinute * (60 + rng.below(72 * 60)));
        pod.createdMs = age;
        pod.startedMs = age + 30 * kSecond;
        pod.phase = PodPhase::Running;
        pod.reason.clear();
        podRt[idx].containerStartMs = pod.startedMs;
        ++podRt[idx].gen;
        podRt[idx].stage = PodStage::Starting;
        setStage(idx, PodStage::Ready);
    }
    refreshDeploymentStatus(dep);
    return dep;
}

int Simulation::Impl::createReplicaSet(int dep, const PodTemplate &tpl, const std::string &changeCause)
{
    auto &D = inv.deployments[dep];
    ReplicaSet rs;
    rs.podTemplateHash = templateHash(tpl, dep);
    rs.name = D.name + "-" + rs.podTemplateHash;
    rs.ns = D.ns;
    rs.deployment = D.name;
    rs.region = D.region;
    int maxRevision = 0;
    for (int other : depRt[dep].rs)
        maxRevision = std::max(maxRevision, inv.replicaSets[other].revision);
    rs.revision = maxRevision + 1;
    rs.changeCause = changeCause;
    rs.podTemplate = tpl;
    rs.podTemplate.labels["pod-template-hash"] = rs.podTemplateHash;
    rs.createdMs = now;
    rs.uid = rng.uuid();
    const int index = static_cast<int>(inv.replicaSets.size());
    inv.replicaSets.push_back(std::move(rs));
    RsRt rt;
    rt.dep = dep;
    const std::string &image = tpl.containers.empty() ? std::string() : tpl.containers.front().image;
    if (auto it = badImages.find(image); it != badImages.end())
        rt.failRate = it->second;
    rt.leaky = leakyImages.count(image) > 0 && depRt[dep].region == faults[static_cast<int>(FaultKind::MemoryLeak)].region;
    rsRt.push_back(rt);
    depRt[dep].rs.push_back(index);
    return index;
}

int Simulation::Impl::findDeployment(int region, const std::string &ns, const std::string &name) const
{
    for (std::size_t i = 0; i < inv.deployments.size(); ++i) {
        const auto &d = inv.deployments[i];
        if (depRt[i].region == region && d.ns == ns && (d.name == name || (d.labels.count("app") && d.labels.at("app") == name)))
            return static_cast<int>(i);
    }
    return -1;
}

void Simulation::Impl::failNode(int node)
{
    auto &n = inv.nodes[node];
    nodeRt[node].failed = true;
    nodeRt[node].xid = 79; // "GPU has fallen off the bus"
    n.ready = false;
    kubeEvent("", true, "NodeNotReady", "Node", n.name, "Node " + n.name + " status is now: NodeNotReady");
    for (std::size_t i = 0; i < podRt.size(); ++i)
        if (podRt[i].node == node)
            failPod(i, "UnexpectedAdmissionError");
}

} // namespace opsdeck::sim
