// Pod lifecycles, driven by timers rather than sweeps: Pending (scheduling onto a node;
// GPU pods need a free 8-GPU node) -> ContainerCreating -> Running -> Ready (a few seconds;
// model servers load their weights for minutes), crash back-off (10 s doubling to 300 s),
// OOM kills at the memory limit, failures and deletions.
#include "sim_impl.h"

#include <algorithm>
#include <cmath>

namespace opsdeck::sim {

namespace {
constexpr std::int64_t kSecond = 1000;
constexpr std::int64_t kMinute = 60 * kSecond;

// Stable per-pod variation in [0, 1) from its id, so scrape() needs no random numbers.
double podJitter(std::uint64_t id)
{
    std::uint64_t s = id * 0x9e3779b97f4a7c15ULL;
    return static_cast<double>(splitmix64(s) >> 11) * 0x1.0p-53;
}

} // namespace

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
