// Kubernetes controllers in miniature: Deployment -> ReplicaSets (revisions, template
// hashes, maxSurge/maxUnavailable rollouts) -> Pods (scheduling, container creation,
// readiness, crash back-off, OOM kills) on Nodes. Work happens on events (timers and
// dirty deployments), never by sweeping every pod each tick.
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

// Stable per-pod variation in [0, 1) from its id, so scrape() needs no random numbers.
double podJitter(std::uint64_t id)
{
    std::uint64_t s = id * 0x9e3779b97f4a7c15ULL;
    return static_cast<double>(splitmix64(s) >> 11) * 0x1.0p-53;
}

int stageRank(PodStage s)
{
    switch (s) {
    case PodStage::Scheduling: return 0;
    case PodStage::Creating: return 1;
    case PodStage::Starting: return 2;
    case PodStage::CrashBackoff: return 3;
    case PodStage::Ready: return 4;
    default: return 5;
    }
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

void Simulation::Impl::setTemplate(int dep, PodTemplate tpl, const std::string &changeCause)
{
    tpl.labels.erase("pod-template-hash");
    const std::string hash = templateHash(tpl, dep);
    int target = -1;
    int maxRevision = 0;
    for (int rs : depRt[dep].rs) {
        maxRevision = std::max(maxRevision, inv.replicaSets[rs].revision);
        if (inv.replicaSets[rs].podTemplateHash == hash)
            target = rs;
    }
    auto &D = inv.deployments[dep];
    if (target >= 0 && target == depRt[dep].currentRs)
        return; // same template: nothing to roll out
    if (target >= 0) {
        // As Kubernetes does on rollback: the old ReplicaSet gets the next revision number.
        inv.replicaSets[target].revision = maxRevision + 1;
        inv.replicaSets[target].changeCause = changeCause;
    } else {
        target = createReplicaSet(dep, tpl, changeCause);
    }
    depRt[dep].currentRs = target;
    D.podTemplate = inv.replicaSets[target].podTemplate;
    D.podTemplate.labels.erase("pod-template-hash");
    D.revision = inv.replicaSets[target].revision;
    ++D.generation;
    D.rolloutInProgress = true;
    dirtyDeployments.insert(dep);
}

void Simulation::Impl::setReplicas(int dep, int replicas)
{
    auto &D = inv.deployments[dep];
    if (D.replicas == replicas)
        return;
    D.replicas = replicas;
    ++D.generation;
    dirtyDeployments.insert(dep);
}

void Simulation::Impl::reconcile(int dep)
{
    auto &D = inv.deployments[dep];
    const int cur = depRt[dep].currentRs;
    const int desired = D.replicas;
    std::vector<int> olds;
    for (int rs : depRt[dep].rs)
        if (rs != cur && inv.replicaSets[rs].replicas > 0)
            olds.push_back(rs);
    auto &C = inv.replicaSets[cur];
    // Failed pods are not active: the ReplicaSet replaces them (scaleReplicaSet tops up).
    for (int rs : olds)
        if (rsRt[rs].active < inv.replicaSets[rs].replicas)
            scaleReplicaSet(rs, inv.replicaSets[rs].replicas);
    if (olds.empty()) {
        if (C.replicas != desired || rsRt[cur].active != C.replicas)
            scaleReplicaSet(cur, desired);
    } else {
        // RollingUpdate with maxSurge 25 % (rounded up) and maxUnavailable 25 % (down).
        const int maxSurge = static_cast<int>(std::ceil(desired * 0.25));
        int maxUnavailable = static_cast<int>(std::floor(desired * 0.25));
        if (maxSurge == 0 && maxUnavailable == 0)
            maxUnavailable = 1;
        int total = 0;
        for (int rs : depRt[dep].rs)
            total += inv.replicaSets[rs].replicas;
        if (rsRt[cur].active < C.replicas)
            scaleReplicaSet(cur, C.replicas);
        if (C.replicas < desired) {
            const int room = desired + maxSurge - total;
            if (room > 0)
                scaleReplicaSet(cur, C.replicas + std::min(room, desired - C.replicas));
        } else if (C.replicas > desired) {
            scaleReplicaSet(cur, desired);
        }
        // Old pods that are not ready serve nothing: remove them first.
        for (int rs : olds) {
            const int unhealthy = inv.replicaSets[rs].replicas - rsRt[rs].ready;
            if (unhealthy > 0)
                scaleReplicaSet(rs, inv.replicaSets[rs].replicas - unhealthy);
        }
        int available = 0;
        for (int rs : depRt[dep].rs)
            available += rsRt[rs].ready;
        const int minAvailable = desired - maxUnavailable;
        const int newUnavailable = std::max(0, inv.replicaSets[cur].replicas - rsRt[cur].ready);
        int canRemove = available - minAvailable - newUnavailable;
        for (int rs : olds) {
            if (canRemove <= 0)
                break;
            const int n = std::min(canRemove, inv.replicaSets[rs].replicas);
            if (n > 0) {
                scaleReplicaSet(rs, inv.replicaSets[rs].replicas - n);
                canRemove -= n;
            }
        }
    }
    refreshDeploymentStatus(dep);
}

void Simulation::Impl::refreshDeploymentStatus(int dep)
{
    auto &D = inv.deployments[dep];
    int ready = 0;
    bool oldsLeft = false;
    for (int rs : depRt[dep].rs) {
        ready += rsRt[rs].ready;
        inv.replicaSets[rs].readyReplicas = rsRt[rs].ready;
        if (rs != depRt[dep].currentRs && (inv.replicaSets[rs].replicas > 0 || rsRt[rs].active > 0))
            oldsLeft = true;
    }
    const int cur = depRt[dep].currentRs;
    D.updatedReplicas = rsRt[cur].active;
    D.readyReplicas = ready;
    D.availableReplicas = ready;
    const bool done = !oldsLeft && rsRt[cur].ready == D.replicas && rsRt[cur].active == D.replicas;
    if (D.rolloutInProgress && done) {
        recordEvent(SimEvent::Kind::Rollout,
                    "Rollout of deployment/" + D.name + " complete (revision " + std::to_string(D.revision) + ")",
                    D.ns + " in " + D.region + ": " + std::to_string(D.replicas) + " replicas ready");
    }
    D.rolloutInProgress = !done;
    D.observedGeneration = D.generation;
}

void Simulation::Impl::scaleReplicaSet(int rs, int replicas)
{
    replicas = std::max(0, replicas);
    auto &R = inv.replicaSets[rs];
    const int before = R.replicas;
    R.replicas = replicas;
    if (before != replicas) {
        const auto &D = inv.deployments[rsRt[rs].dep];
        kubeEvent(D.ns, false, "ScalingReplicaSet", "Deployment", D.name,
                  std::string("Scaled ") + (replicas > before ? "up" : "down") + " replica set " + R.name +
                      " from " + std::to_string(before) + " to " + std::to_string(replicas));
    }
    while (rsRt[rs].active < replicas)
        createPod(rs);
    if (rsRt[rs].active > replicas) {
        // Victims as the ReplicaSet controller picks them: not-yet-scheduled, then not
        // ready, then the youngest.
        std::vector<std::size_t> candidates;
        for (std::size_t i = 0; i < podRt.size(); ++i)
            if (podRt[i].rs == rs && podRt[i].stage != PodStage::Failed && podRt[i].stage != PodStage::Gone)
                candidates.push_back(i);
        std::sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
            const int ra = stageRank(podRt[a].stage), rb = stageRank(podRt[b].stage);
            return ra != rb ? ra < rb : podRt[a].id > podRt[b].id;
        });
        for (std::size_t k = 0; k < candidates.size() && rsRt[rs].active > replicas; ++k)
            deletePod(candidates[k], "scale down");
    }
}

void Simulation::Impl::createPod(int rs)
{
    const auto &R = inv.replicaSets[rs];
    const int dep = rsRt[rs].dep;
    Pod pod;
    pod.name = R.name + "-" + rng.kubeSuffix(5);
    pod.ns = R.ns;
    pod.deployment = R.deployment;
    pod.replicaSet = R.name;
    pod.region = inv.deployments[dep].region;
    pod.labels = R.podTemplate.labels;
    pod.containers = R.podTemplate.containers;
    pod.phase = PodPhase::Pending;
    pod.createdMs = now;
    pod.uid = rng.uuid();
    PodRt rt;
    rt.id = nextPodId++;
    rt.rs = rs;
    rt.dep = dep;
    rt.region = depRt[dep].region;
    rt.stage = PodStage::Scheduling;
    const std::size_t idx = inv.pods.size();
    inv.pods.push_back(std::move(pod));
    podRt.push_back(std::move(rt));
    podIndex[podRt[idx].id] = idx;
    ++rsRt[rs].active;
    schedule(idx, now + 500 + static_cast<std::int64_t>(rng.below(1000)));
}

void Simulation::Impl::schedule(std::size_t index, std::int64_t atMs)
{
    timers.push({atMs, timerSeq++, podRt[index].id, podRt[index].gen});
}

void Simulation::Impl::processTimers()
{
    while (!timers.empty() && timers.top().atMs <= now) {
        const TimerEntry t = timers.top();
        timers.pop();
        auto it = podIndex.find(t.podId);
        if (it == podIndex.end())
            continue;
        if (podRt[it->second].gen != t.gen)
            continue; // superseded
        onTimer(it->second);
    }
}

bool Simulation::Impl::podServing(std::size_t index) const
{
    return podRt[index].stage == PodStage::Ready && regions[podRt[index].region].healthy;
}

void Simulation::Impl::setStage(std::size_t index, PodStage stage)
{
    PodRt &p = podRt[index];
    Pod &pod = inv.pods[index];
    const bool wasReady = p.stage == PodStage::Ready;
    const bool wasActive = p.stage != PodStage::Failed && p.stage != PodStage::Gone;
    p.stage = stage;
    ++p.gen;
    const bool isReady = stage == PodStage::Ready;
    const bool isActive = stage != PodStage::Failed && stage != PodStage::Gone;
    pod.ready = isReady;
    if (wasReady != isReady)
        rsRt[p.rs].ready += isReady ? 1 : -1;
    if (wasActive && !isActive) {
        --rsRt[p.rs].active;
        if (p.node >= 0) {
            --nodeRt[p.node].pods;
            if (serviceSpec(static_cast<ServiceId>(depRt[p.dep].service)).gpu)
                nodeRt[p.node].gpuBusy = false;
        }
    }
    if (isReady && serviceSpec(static_cast<ServiceId>(depRt[p.dep].service)).gpu)
        p.vllmBase = regions[p.region].inference.perPodAcc; // counters restart with the process
    dirtyDeployments.insert(p.dep);
}

void Simulation::Impl::onTimer(std::size_t index)
{
    PodRt &p = podRt[index];
    Pod &pod = inv.pods[index];
    const ServiceSpec &spec = serviceSpec(static_cast<ServiceId>(depRt[p.dep].service));
    RegionRt &region = regions[p.region];
    switch (p.stage) {
    case PodStage::Scheduling: {
        int node = -1;
        if (spec.gpu) {
            for (int n : region.gpuNodes)
                if (!nodeRt[n].gpuBusy && !nodeRt[n].failed) {
                    node = n;
                    break;
                }
        } else {
            for (std::size_t k = 0; k < region.cpuNodes.size(); ++k) {
                const int n = region.cpuNodes[(region.cpuCursor + k) % region.cpuNodes.size()];
                if (!nodeRt[n].failed) {
                    node = n;
                    region.cpuCursor = (region.cpuCursor + k + 1) % region.cpuNodes.size();
                    break;
                }
            }
        }
        if (node < 0) {
            pod.reason = "Unschedulable";
            if (!p.warnedUnschedulable) {
                p.warnedUnschedulable = true;
                kubeEvent(pod.ns, true, "FailedScheduling", "Pod", pod.name,
                          spec.gpu ? "0/" + std::to_string(region.gpuNodes.size()) +
                                         " GPU nodes are available: Insufficient nvidia.com/gpu."
                                   : "0 nodes are available.");
            }
            ++p.gen;
            schedule(index, now + 10 * kSecond);
            return;
        }
        p.node = node;
        ++nodeRt[node].pods;
        if (spec.gpu)
            nodeRt[node].gpuBusy = true;
        pod.nodeName = inv.nodes[node].name;
        char ip[32];
        std::snprintf(ip, sizeof ip, "10.%d.%d.%d", 16 * p.region + static_cast<int>((p.id >> 16) & 15),
                      static_cast<int>((p.id >> 8) & 255), static_cast<int>(p.id & 255));
        p.ip = ip;
        pod.reason = "ContainerCreating";
        p.stage = PodStage::Creating;
        ++p.gen;
        // image pull and container creation; vLLM images are large
        const std::int64_t create = spec.gpu ? 15 * kSecond + static_cast<std::int64_t>(rng.below(10000))
                                             : 2 * kSecond + static_cast<std::int64_t>(rng.below(4000));
        schedule(index, now + create);
        return;
    }
    case PodStage::Creating:
    case PodStage::CrashBackoff: {
        pod.phase = PodPhase::Running;
        if (p.stage == PodStage::Creating)
            pod.startedMs = now;
        pod.reason.clear();
        p.containerStartMs = now;
        setStage(index, PodStage::Starting);
        std::int64_t readyIn;
        if (spec.gpu) {
            // vLLM start-up: load BF16 weights at ~2 GB/s, then CUDA graph capture.
            readyIn = static_cast<std::int64_t>(model.weightBytes() / 2e9 * 1000) + 25 * kSecond +
                      static_cast<std::int64_t>(rng.below(10000));
        } else {
            readyIn = static_cast<std::int64_t>(spec.readySeconds * 1000 * (0.8 + 0.5 * rng.uniform()));
        }
        if (p.poisoned)
            readyIn = std::min<std::int64_t>(readyIn, 20 * kSecond + static_cast<std::int64_t>(rng.below(20000)));
        schedule(index, now + readyIn);
        return;
    }
    case PodStage::Starting:
        if (p.poisoned) {
            crashPod(index, "Error");
            return;
        }
        setStage(index, PodStage::Ready);
        if (const std::int64_t oom = oomTimeMs(index); oom >= 0)
            schedule(index, std::max(oom, now + 1));
        return;
    case PodStage::Ready:
        if (p.poisoned) {
            crashPod(index, "Error");
        } else if (const std::int64_t oom = oomTimeMs(index); oom >= 0) {
            if (oom <= now)
                crashPod(index, "OOMKilled");
            else
                schedule(index, oom);
        }
        return;
    default:
        return;
    }
}

void Simulation::Impl::crashPod(std::size_t index, const std::string &reason)
{
    PodRt &p = podRt[index];
    Pod &pod = inv.pods[index];
    if (p.lastCrashMs >= 0 && now - p.lastCrashMs > 10 * kMinute)
        p.backoffLevel = 0; // the kubelet resets back-off after 10 min of running
    const std::int64_t delay = std::min<std::int64_t>(10 * kSecond << std::min(p.backoffLevel, 5), 300 * kSecond);
    ++p.backoffLevel;
    p.lastCrashMs = now;
    ++pod.restarts;
    pod.reason = p.backoffLevel > 1 ? "CrashLoopBackOff" : reason;
    setStage(index, PodStage::CrashBackoff);
    const std::string container = pod.containers.empty() ? std::string() : pod.containers.front().name;
    if (reason == "OOMKilled")
        kubeEvent(pod.ns, true, "OOMKilled", "Pod", pod.name,
                  "Container " + container + " was OOMKilled (memory limit reached)");
    kubeEvent(pod.ns, true, "BackOff", "Pod", pod.name,
              "Back-off restarting failed container " + container + " in pod " + pod.name);
    schedule(index, now + delay);
}

void Simulation::Impl::failPod(std::size_t index, const std::string &reason)
{
    Pod &pod = inv.pods[index];
    if (podRt[index].stage == PodStage::Failed || podRt[index].stage == PodStage::Gone)
        return;
    pod.phase = PodPhase::Failed;
    pod.reason = reason;
    setStage(index, PodStage::Failed);
    kubeEvent(pod.ns, true, reason, "Pod", pod.name, "Pod failed: " + reason + " on node " + pod.nodeName);
}

void Simulation::Impl::deletePod(std::size_t index, const std::string &why)
{
    Pod &pod = inv.pods[index];
    if (podRt[index].stage == PodStage::Gone)
        return;
    const std::string container = pod.containers.empty() ? std::string() : pod.containers.front().name;
    kubeEvent(pod.ns, false, "Killing", "Pod", pod.name, "Stopping container " + container + " (" + why + ")");
    setStage(index, PodStage::Gone);
    needCompaction = true;
}

void Simulation::Impl::compact()
{
    if (!needCompaction)
        return;
    std::size_t out = 0;
    for (std::size_t i = 0; i < podRt.size(); ++i) {
        if (podRt[i].stage == PodStage::Gone)
            continue;
        if (out != i) {
            inv.pods[out] = std::move(inv.pods[i]);
            podRt[out] = std::move(podRt[i]);
        }
        ++out;
    }
    inv.pods.resize(out);
    podRt.resize(out);
    podIndex.clear();
    for (std::size_t i = 0; i < podRt.size(); ++i)
        podIndex[podRt[i].id] = i;
    needCompaction = false;
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

double Simulation::Impl::podMemoryBytes(std::size_t index) const
{
    const PodRt &p = podRt[index];
    if (p.stage != PodStage::Ready && p.stage != PodStage::Starting)
        return 0;
    const ServiceSpec &spec = serviceSpec(static_cast<ServiceId>(depRt[p.dep].service));
    double ratio = spec.baseMemoryRatio * (0.92 + 0.16 * podJitter(p.id));
    const FaultState &leak = faults[static_cast<int>(FaultKind::MemoryLeak)];
    if (rsRt[p.rs].leaky && leak.active) {
        const std::int64_t from = std::max(p.containerStartMs, leak.sinceMs);
        if (now > from)
            ratio += leakFractionPerMin * (0.9 + 0.2 * podJitter(p.id + 7)) * (now - from) / 60000.0;
    }
    return std::min(ratio, 1.0) * spec.memoryLimitBytes;
}

std::int64_t Simulation::Impl::oomTimeMs(std::size_t index) const
{
    const PodRt &p = podRt[index];
    const FaultState &leak = faults[static_cast<int>(FaultKind::MemoryLeak)];
    if (!rsRt[p.rs].leaky || !leak.active)
        return -1;
    const ServiceSpec &spec = serviceSpec(static_cast<ServiceId>(depRt[p.dep].service));
    const double base = spec.baseMemoryRatio * (0.92 + 0.16 * podJitter(p.id));
    const double perMin = leakFractionPerMin * (0.9 + 0.2 * podJitter(p.id + 7));
    const std::int64_t from = std::max(p.containerStartMs, leak.sinceMs);
    return from + static_cast<std::int64_t>(std::ceil((1.0 - base) / perMin * 60000.0));
}

} // namespace opsdeck::sim
