// The public face of the simulator: construction, the tick loop, scheduling and the
// aggregated health numbers.
#include "sim_impl.h"

#include <algorithm>
#include <utility>
#include <cmath>

namespace opsdeck::sim {

namespace {
constexpr std::int64_t kTickMs = 1000;
constexpr std::size_t kMaxKubeEvents = 5000;
} // namespace

Simulation::Impl::Impl(const SimConfig &cfg)
    : config(cfg), rng(cfg.seed), trafficRng(cfg.seed ^ 0x7261666669637321ULL)
{
    model = modelShapeFor(cfg.modelParamsBillions > 0 ? cfg.modelParamsBillions : 70);
    peakRps = cfg.preset == Preset::Large ? 7000 : 117; // 7,000 requests/min at peak (default)
    buildCluster();
    nextBurstMs = static_cast<std::int64_t>(-std::log(1 - trafficRng.uniform()) * 3 * 3600 * 1000);
    takeBackup(false);
    // settle smoothed figures and queues at the start-of-day load
    for (auto &r : regions)
        r.rpsSmooth = 0;
}

void Simulation::Impl::recordEvent(SimEvent::Kind kind, std::string title, std::string detail, bool ok)
{
    SimEvent e;
    e.kind = kind;
    e.timeMs = now;
    e.title = std::move(title);
    e.detail = std::move(detail);
    e.ok = ok;
    events.push_back(std::move(e));
}

void Simulation::Impl::kubeEvent(const std::string &ns, bool warning, const std::string &reason,
                                 const std::string &kind, const std::string &name, const std::string &message)
{
    if (kubeEvents.size() >= kMaxKubeEvents)
        kubeEvents.erase(kubeEvents.begin(), kubeEvents.begin() + kMaxKubeEvents / 5);
    kubeEvents.push_back({now, ns, warning ? "Warning" : "Normal", reason, kind, name, message});
    if (reason == "ScalingReplicaSet")
        recordEvent(SimEvent::Kind::Scaling, kind + "/" + name + ": " + message, ns);
    else if (warning && reason != "BackOff")
        recordEvent(SimEvent::Kind::Kube, reason + " " + kind + "/" + name, message, false);
}

int Simulation::Impl::regionIndex(const std::string &name) const
{
    for (std::size_t i = 0; i < regions.size(); ++i)
        if (regions[i].name == name)
            return static_cast<int>(i);
    return -1;
}

int Simulation::Impl::activeRegion() const
{
    int best = 0;
    for (std::size_t i = 0; i < regions.size(); ++i)
        if (regions[i].weight > regions[best].weight)
            best = static_cast<int>(i);
    return best;
}

void Simulation::Impl::tick()
{
    now += kTickMs;
    while (!scheduledFaults.empty() && scheduledFaults.begin()->first <= now) {
        const FaultSpec spec = scheduledFaults.begin()->second;
        scheduledFaults.erase(scheduledFaults.begin());
        inject(spec);
    }
    while (!scheduledActions.empty() && scheduledActions.begin()->first <= now) {
        const ActionSpec spec = scheduledActions.begin()->second;
        scheduledActions.erase(scheduledActions.begin());
        ActionResult result = apply(spec);
        scheduledResults.emplace_back(spec, std::move(result));
    }
    processTimers();
    updateDns();
    stepOperations();
    const double demand = demandPerSec();
    for (std::size_t i = 0; i < regions.size(); ++i)
        stepRegion(regions[i], static_cast<int>(i), demand * regions[i].weight, kTickMs / 1000.0);
    for (std::size_t i = 0; i < regions.size(); ++i)
        if (now >= regions[i].nextHpaMs) {
            regions[i].nextHpaMs = now + 15000;
            runHpa(regions[i], static_cast<int>(i));
        }
    for (int round = 0; round < 4 && !dirtyDeployments.empty(); ++round) {
        const std::set<int> dirty = std::move(dirtyDeployments);
        dirtyDeployments.clear();
        for (int dep : dirty)
            reconcile(dep);
    }
    compact();
}

Simulation::Simulation(const SimConfig &config) : d(std::make_unique<Impl>(config)) {}
Simulation::~Simulation() = default;

const SimConfig &Simulation::config() const { return d->config; }
std::int64_t Simulation::nowMs() const { return d->now; }

void Simulation::advance(std::int64_t ms)
{
    if (ms <= 0)
        return;
    const std::int64_t target = d->now + ms;
    while (d->now + kTickMs <= target)
        d->tick();
}

void Simulation::injectFault(const FaultSpec &fault) { d->inject(fault); }
void Simulation::clearFault(FaultKind kind) { d->clear(kind); }
ActionResult Simulation::apply(const ActionSpec &action) { return d->apply(action); }

void Simulation::scheduleFault(std::int64_t atMs, const FaultSpec &fault)
{
    if (atMs <= d->now)
        d->inject(fault);
    else
        d->scheduledFaults.emplace(atMs, fault);
}

void Simulation::scheduleAction(std::int64_t atMs, const ActionSpec &action)
{
    if (atMs <= d->now)
        d->apply(action);
    else
        d->scheduledActions.emplace(atMs, action);
}

std::vector<std::pair<ActionSpec, ActionResult>> Simulation::takeScheduledActionResults()
{
    return std::exchange(d->scheduledResults, {});
}

const Inventory &Simulation::inventory() const
{
    // Usage figures are derived on demand (advance() never walks the pods).
    for (std::size_t i = 0; i < d->inv.pods.size(); ++i) {
        Pod &pod = d->inv.pods[i];
        const PodRt &p = d->podRt[i];
        pod.memoryUsageBytes = d->podMemoryBytes(i);
        const ServiceRt &svc = d->regions[p.region].svc[d->depRt[p.dep].service];
        const int ready = std::max(1, d->inv.deployments[svc.dep].readyReplicas);
        pod.cpuUsageCores = p.stage == PodStage::Ready && !d->depRt[p.dep].canary ? svc.cpuCoresUsed / ready : 0.0;
    }
    return d->inv;
}
const std::vector<SimEvent> &Simulation::events() const { return d->events; }
const std::vector<KubeEvent> &Simulation::kubeEvents() const { return d->kubeEvents; }

std::vector<Simulation::BackupInfo> Simulation::backups() const
{
    std::vector<BackupInfo> out;
    for (const auto &b : d->backups)
        out.push_back({b.id, b.timeMs, b.clean});
    return out;
}

HealthSnapshot Simulation::health() const
{
    HealthSnapshot h;
    h.timeMs = d->now;
    double rps = 0, errors = 0, latencyWeighted = 0, violations = 0, sessions = 0;
    for (const auto &r : d->regions) {
        rps += r.rpsSmooth;
        errors += r.rpsSmooth * r.errorSmooth;
        latencyWeighted += r.rpsSmooth * r.taskLatencySmooth;
        if (r.rpsSmooth > 0.01 || r.weight > 0) {
            h.virtualComputerUtilization =
                std::max(h.virtualComputerUtilization, r.vcCapacity > 0 ? r.vcSessions / r.vcCapacity : 0.0);
            h.modelInferenceP99Sec = std::max(h.modelInferenceP99Sec, r.inferP99Smooth);
        }
        for (double v : r.sessions)
            sessions += v;
    }
    for (const auto &r : d->regions)
        violations += r.safetyViolationsSmooth;
    h.requestRatePerMin = rps * 60;
    h.errorRatio = rps > 0 ? errors / rps : 0;
    h.successRate = 1 - h.errorRatio;
    h.avgTaskLatencySec = rps > 0 ? latencyWeighted / rps : 0;
    h.safetyViolationsPerSec = violations;
    h.activeSessions = static_cast<int>(std::lround(sessions));
    h.activeRegion = d->regions[d->activeRegion()].name;
    for (std::size_t i = 0; i < d->inv.pods.size(); ++i) {
        const double mem = d->podMemoryBytes(i);
        const double limit = d->inv.pods[i].containers.empty() ? 0 : d->inv.pods[i].containers.front().memoryLimitBytes;
        if (limit > 0)
            h.memoryUsageRatio = std::max(h.memoryUsageRatio, mem / limit);
    }
    for (std::size_t ri = 0; ri < d->regions.size(); ++ri) {
        const auto &r = d->regions[ri];
        for (const auto &spec : serviceCatalogue()) {
            const ServiceRt &s = r.svc[spec.id];
            const Deployment &dep = d->inv.deployments[s.dep];
            ServiceStatus st;
            st.component = spec.deployment;
            st.region = r.name;
            st.desired = dep.replicas;
            st.ready = r.healthy ? dep.readyReplicas : 0;
            st.requestsPerSec = s.arrivalsPerSec;
            st.errorRatio = s.errorProb;
            st.latencyP99Sec = s.p99Sec;
            st.utilization = s.utilization;
            h.services.push_back(std::move(st));
        }
    }
    return h;
}

} // namespace opsdeck::sim
