// Demand and what it does to each service. Requests per second follow a daily cycle
// with noise and bursts, split by user tier; each agent request visits the services of
// the dependency graph. A service's latency comes from queueing on its capacity
// (ready replicas × per-replica rate, M/M/c); offered load above capacity is shed as
// timeouts, so under-scaling shows as rising latency, then errors.
//
// agent_errors_total counts server-side failures only (5xx, timeouts, unavailable), not
// client errors: a healthy cluster fails ~0.01 % of requests, about 0.01/s at the daily
// peak spread over the tier series, so `rate(agent_errors_total[5m]) > 0.05` stays
// quiet; a bad deploy failing ≥5 % of ~117 req/s produces several errors/s per series.
#include "queueing.h"
#include "sim_impl.h"

#include <algorithm>
#include <cmath>

namespace opsdeck::sim {

namespace {
constexpr double kTwoPi = 6.283185307179586;
constexpr double kZ99 = 2.3263478740408408;
constexpr double kBaseErrorProb = 5e-6;      // per service visit, healthy
constexpr double kVcSessionsPerPod = 40;
constexpr double kVcHoldSec = 10;            // sandbox kept per task that needs one
constexpr double kVcWorkSec = 3;             // time a task spends computing in its sandbox
constexpr double kSessionSecondsPerTask = 180; // Little: sessions = task rate × this
constexpr double kDbQuerySec = 0.02;
constexpr double kDbTimeoutSec = 5;
constexpr double kQueueTimeoutFallback = 30; // p99 reported when no model server answers

enum Reason { kInternal = 0, kTimeout = 1, kUnavailable = 2 };
} // namespace

double Simulation::Impl::demandPerSec()
{
    const double hour = std::fmod(static_cast<double>(config.startEpochMs + now) / 3.6e6, 24.0);
    // Peak at 16:00 UTC (US working day), trough at 04:00 at 35 % of peak.
    const double cycle = 0.5 * (1 + std::cos(kTwoPi * (hour - 16) / 24));
    const double base = peakRps * (0.35 + 0.65 * cycle);
    // AR(1) log-noise with ~4 % spread and one-minute memory
    const double a = 0.9834714538216174; // exp(-1/60)
    noise = a * noise + std::sqrt(1 - a * a) * 0.04 * trafficRng.normal();
    if (now >= nextBurstMs) {
        burstUntilMs = now + 120000 + static_cast<std::int64_t>(trafficRng.below(480000));
        burstFactor = 1.1 + 0.2 * trafficRng.uniform(); // stays under the 10,000/min P2 line
        nextBurstMs = burstUntilMs + static_cast<std::int64_t>(-std::log(1 - trafficRng.uniform()) * 3 * 3.6e6);
    }
    double factor = now < burstUntilMs ? burstFactor : 1.0;
    const FaultState &surge = faults[static_cast<int>(FaultKind::TrafficSurge)];
    if (surge.active) {
        double mult = 3;
        if (auto it = surge.spec.params.find("factor"); it != surge.spec.params.end())
            mult = std::max(0.0, std::atof(it->second.c_str()));
        const double ramp = std::min(1.0, (now - surge.sinceMs) / 60000.0); // one-minute ramp
        factor *= 1 + (mult - 1) * ramp;
    }
    return base * std::exp(noise) * factor;
}

void Simulation::Impl::updateDns()
{
    // Clients follow DNS as their cached records expire: the share moves linearly over
    // TTL (60 s) plus propagation (60 s).
    for (auto &r : regions) {
        if (r.weightChangeMs < 0)
            continue;
        const double f = std::min(1.0, (now - r.weightChangeMs) / 120000.0);
        r.weight = r.weightFrom + (r.weightTo - r.weightFrom) * f;
        if (f >= 1)
            r.weightChangeMs = -1;
    }
    for (std::size_t i = 0; i < regions.size(); ++i)
        inv.regions[i].trafficWeight = regions[i].weight;
}

void Simulation::Impl::stepRegion(RegionRt &r, int regionIdx, double tasksPerSec, double dt)
{
    const double alpha = 1 - std::exp(-dt / 60.0);
    auto smooth = [alpha](double &v, double x) { v += alpha * (x - v); };

    // arrivals per tier; safety mode sheds 30 % of free-tier load at the gateway (429s)
    std::int64_t arrivals[4];
    std::int64_t total = 0;
    for (int t = 0; t < 4; ++t) {
        double rate = tasksPerSec * kTierShare[t];
        if (safetyMode && t == 0)
            rate *= 0.7;
        arrivals[t] = trafficRng.poisson(rate * dt);
        total += arrivals[t];
    }
    const double lambda = total / dt;

    if (!r.healthy) {
        // The region is dark: the global edge answers 503 for whatever DNS still sends.
        for (int t = 0; t < 4; ++t) {
            r.requests[0][t] += arrivals[t];
            r.errors[0][t][kUnavailable] += arrivals[t];
        }
        for (auto &s : r.svc) {
            s.arrivalsPerSec = s.capacityPerSec = s.utilization = 0;
            s.errorProb = lambda > 0 ? 1 : 0;
        }
        smooth(r.rpsSmooth, lambda);
        smooth(r.errorSmooth, lambda > 0 ? 1.0 : 0.0);
        for (auto &v : r.sessions)
            v *= 1 - alpha;
        smooth(r.safetyViolationsSmooth, 0.0);
        smooth(r.taskLatencySmooth, 0.0);
        r.vcSessions = r.dbInUse = r.mqDepth = 0;
        stepInference(r, 0, dt);
        return;
    }

    // canary share of orchestrator traffic, only once the canary has ready pods
    double canaryShare = 0;
    if (r.canaryDep >= 0 && inv.deployments[r.canaryDep].readyReplicas > 0)
        canaryShare = r.canaryShare;

    const double breakerThreshold = 0.3;
    double pOkRequired = 1;      // all required services succeed
    double pInternal = 0, pUnavailable = 0;
    double internalShare = 0;    // failures already in pOkRequired that are internal errors
    double latency = 0;          // mean task latency
    double orchestratorFail[2] = {0, 0};
    double orchestratorLatency[2] = {0, 0};

    for (const auto &spec : serviceCatalogue()) {
        ServiceRt &s = r.svc[spec.id];
        const Deployment &D = inv.deployments[s.dep];
        const int ready = D.readyReplicas;
        double visits = spec.visitsPerTask;
        double offered = lambda * visits;
        if (spec.id == kOrchestrator)
            offered *= 1 - canaryShare;
        double err = kBaseErrorProb, lat = spec.serviceSeconds, util = 0, capacity = 0;
        double p99 = 0;

        if (spec.id == kModelServer) {
            stepInference(r, offered, dt);
            const InferenceRt &inf = r.inference;
            capacity = offered; // reported as utilisation via GPU util below
            util = inf.gpuUtil;
            err += inf.rejectedFrac;
            lat = inf.e2eSec;
            p99 = Histogram::lognormalQuantile(std::max(lat, 1e-6), 0.35, kZ99);
            r.inferenceLatency.addLognormal(offered * dt * (1 - inf.rejectedFrac), lat, 0.35);
            smooth(r.inferP99Smooth, ready > 0 ? p99 : kQueueTimeoutFallback);
            if (inf.rejectedFrac > 0.999)
                pUnavailable += visits * err;
        } else if (spec.id == kVirtualComputer) {
            const bool exhausted = faultActive(FaultKind::VcPoolExhaustion);
            double hold = kVcHoldSec * (exhausted ? 3.5 : 1.0);
            const double demand = offered * hold;        // sessions wanted (Little)
            capacity = ready * kVcSessionsPerPod;
            r.vcCapacity = capacity;
            util = capacity > 0 ? demand / capacity : (demand > 0 ? 10 : 0);
            r.vcSessions = std::min(demand, capacity);
            // sandbox allocation waits as the pool fills, and times out when it is full
            const double wait = mmcWaitSeconds(util, hold, std::max(1.0, capacity));
            lat = kVcWorkSec + std::min(wait, spec.timeoutSeconds);
            if (util > 1)
                err += 1 - 1 / util;
            err += (util < 1 ? std::exp(-spec.timeoutSeconds / std::max(wait, 1e-9)) : 0);
            p99 = Histogram::lognormalQuantile(lat, 0.5, kZ99);
        } else if (spec.id == kStateDb) {
            const double queryTime = kDbQuerySec * (faultActive(FaultKind::DbPoolExhaustion) ? 6.0 : 1.0);
            const double demand = offered * queryTime;   // connections busy (Little)
            capacity = r.dbPoolMax / queryTime;
            util = demand / r.dbPoolMax;
            r.dbInUse = std::min(demand, r.dbPoolMax);
            const double wait = util < 1 ? mmcWaitSeconds(util, queryTime, r.dbPoolMax) : kDbTimeoutSec;
            r.dbWaitSec = std::min(wait, kDbTimeoutSec);
            r.dbWaitTotal += r.dbWaitSec * offered * dt;
            lat = queryTime + r.dbWaitSec;
            if (util > 1)
                err += 1 - 1 / util;
            else
                err += std::exp(-kDbTimeoutSec / std::max(wait, 1e-9));
            if (restoreUntilMs > now) {
                err = 1; // restore in progress: the database is offline
                pUnavailable += 1;
            } else if (faultActive(FaultKind::DataCorruption)) {
                pInternal += 0.12; // requests touching corrupt rows fail
            }
            p99 = Histogram::lognormalQuantile(lat, 0.5, kZ99);
        } else {
            capacity = ready * spec.perReplicaRps;
            util = capacity > 0 ? offered / capacity : (offered > 0 ? 10 : 0);
            const double wait = mmcWaitSeconds(util, spec.serviceSeconds, ready * spec.workersPerReplica);
            if (util >= 1) {
                err += 1 - 1 / util;
                lat = spec.serviceSeconds + 0.5 * spec.timeoutSeconds;
            } else {
                lat = spec.serviceSeconds + wait;
                err += std::exp(-spec.timeoutSeconds / std::max(wait, 1e-9));
            }
            if (spec.id == kMessageQueue) {
                const double backlog = std::max(0.0, r.mqDepth - offered * spec.serviceSeconds);
                const double drained = std::max(0.0, backlog + (offered - capacity) * dt);
                r.mqDepth = drained + std::min(offered, capacity) * lat;
            }
            p99 = Histogram::lognormalQuantile(std::max(lat, 1e-6), 0.5, kZ99);
        }
        // pods of a bad revision fail their share of requests (any service; the
        // orchestrator's share is split by namespace below)
        if (spec.id != kOrchestrator) {
            double bad = 0;
            int readyPods = 0;
            for (int rs : depRt[s.dep].rs) {
                bad += rsRt[rs].ready * rsRt[rs].failRate;
                readyPods += rsRt[rs].ready;
            }
            if (readyPods > 0 && bad > 0) {
                err += bad / readyPods;
                internalShare += visits * bad / readyPods; // for the reason label only
            }
        }
        err = std::min(1.0, err);
        if (capacity <= 0 && offered > 0)
            pUnavailable += 1;

        // orchestrator: pods of a bad revision fail their share of requests
        if (spec.id == kOrchestrator) {
            double bad = 0;
            int readyPods = 0;
            for (int rs : depRt[s.dep].rs) {
                bad += rsRt[rs].ready * rsRt[rs].failRate;
                readyPods += rsRt[rs].ready;
            }
            orchestratorFail[0] = err + (readyPods > 0 ? bad / readyPods : 0);
            orchestratorLatency[0] = lat;
            // A bad revision's failures are the orchestrator's own HTTP 5xx: its
            // http_requests_total and the service map's error ratio must show them.
            err = std::min(1.0, orchestratorFail[0]);
            if (r.canaryDep >= 0) {
                const int c = r.canaryDep;
                double cbad = 0;
                int cready = 0;
                for (int rs : depRt[c].rs) {
                    cbad += rsRt[rs].ready * rsRt[rs].failRate;
                    cready += rsRt[rs].ready;
                }
                const double ccap = cready * spec.perReplicaRps;
                const double coffered = lambda * canaryShare;
                const double cutil = ccap > 0 ? coffered / ccap : 0;
                double cerr = kBaseErrorProb + (cready > 0 ? cbad / cready : 0);
                double clat = spec.serviceSeconds;
                if (cutil >= 1) {
                    cerr += 1 - 1 / cutil;
                    clat += 0.5 * spec.timeoutSeconds;
                } else {
                    clat += mmcWaitSeconds(cutil, spec.serviceSeconds, cready * spec.workersPerReplica);
                }
                orchestratorFail[1] = std::min(1.0, cerr);
                orchestratorLatency[1] = clat;
                smooth(r.canaryErrorSmooth, canaryShare > 0 ? orchestratorFail[1] : 0);
                smooth(r.canaryP99Smooth, canaryShare > 0 ? Histogram::lognormalQuantile(clat, 0.5, kZ99) : 0);
            }
        }

        s.arrivalsPerSec = offered;
        s.capacityPerSec = capacity;
        s.utilization = util;
        s.latencySec = lat;
        s.p99Sec = p99;
        s.errorProb = err;
        s.requestsTotal += offered * dt;
        s.errorsTotal += offered * dt * err;
        s.latency.addLognormal(offered * dt, std::max(lat, 1e-6), 0.5);
        s.cpuCoresUsed = std::min(util, 1.05) * std::max(ready, 0) * spec.cpuRequestCores * 0.95;

        if (spec.id == kOrchestrator)
            continue; // handled per namespace below
        // tools: with circuit breakers open a failing tool degrades the task instead
        const bool shortCircuit = circuitBreakers && err > breakerThreshold;
        if (spec.optional) {
            const int tool = spec.id == kBrowserTool ? 0 : spec.id == kCodeExecutor ? 1 : 2;
            r.externalLatency[tool].addLognormal(offered * dt, std::max(lat, 1e-6), 0.6);
            if (shortCircuit) {
                latency += visits * 0.01;
                continue;
            }
        } else if (shortCircuit && spec.id != kStateDb) {
            latency += visits * 0.01; // fail fast instead of waiting for timeouts
            pOkRequired *= std::pow(1 - err, visits);
            continue;
        }
        pOkRequired *= std::pow(1 - err, visits);
        latency += visits * lat;
    }

    // prompt injections and other safety findings
    const FaultState &inj = fault(FaultKind::PromptInjection);
    double injections = 0, exfil = 0;
    if (inj.active && (inj.region == regionIdx || regions.size() == 1 || r.weight > 0)) {
        double rate = 3.0;
        if (auto it = inj.spec.params.find("rate"); it != inj.spec.params.end())
            rate = std::max(0.0, std::atof(it->second.c_str()));
        injections = rate * r.weight;
        if (inj.spec.params.count("breach") && inj.spec.params.at("breach") != "false")
            exfil = 0.5 * r.weight * (isolated ? 0.2 : 1.0);
    }
    double passRate = 1;
    if (filtersUpdated && now >= filtersEffectiveMs)
        passRate *= 0.03;
    if (safetyMode)
        passRate *= 0.1;
    const double policy = lambda * 2e-4;
    r.safetyViolations[0] += trafficRng.poisson(injections * passRate * dt);
    r.safetyViolations[1] += trafficRng.poisson(policy * dt);
    r.safetyViolations[2] += trafficRng.poisson(exfil * dt);
    r.safetyBlocked += injections * (1 - passRate) * dt + lambda * 1e-3 * dt;
    smooth(r.safetyViolationsSmooth, injections * passRate + policy + exfil);
    // successful injections make the agent misbehave: those tasks are aborted
    const double injectedFail = lambda > 0 ? std::min(1.0, injections * passRate * 0.5 / lambda) : 0;

    // tasks per namespace
    double errorSum = 0;
    double latencySum = 0;
    const double share[2] = {1 - canaryShare, canaryShare};
    for (int ns = 0; ns < 2; ++ns) {
        if (share[ns] <= 0)
            continue;
        const double pOk = pOkRequired * (1 - orchestratorFail[ns]) * (1 - injectedFail) *
                           (1 - std::min(1.0, pInternal));
        const double pFail = std::clamp(1 - pOk, 0.0, 1.0);
        const double taskLatency = latency + orchestratorLatency[ns];
        for (int t = 0; t < 4; ++t) {
            const std::int64_t n = ns == 0 ? arrivals[t] - trafficRng.binomial(arrivals[t], canaryShare)
                                           : trafficRng.binomial(arrivals[t], canaryShare);
            const std::int64_t failed = trafficRng.binomial(n, pFail);
            r.requests[ns][t] += n;
            // attribute failures by their dominant cause
            const double unavailable = std::min(1.0, pUnavailable);
            const double internal = std::min(1.0, pInternal + internalShare + orchestratorFail[ns] + injectedFail);
            const int reason = unavailable >= 0.5 ? kUnavailable : internal >= (pFail - internal) ? kInternal : kTimeout;
            r.errors[ns][t][reason] += failed;
        }
        r.taskDuration[ns].addLognormal(lambda * share[ns] * dt, std::max(taskLatency, 1e-3), 0.7);
        errorSum += share[ns] * pFail;
        latencySum += share[ns] * taskLatency;
    }
    smooth(r.rpsSmooth, lambda);
    smooth(r.errorSmooth, errorSum);
    smooth(r.taskLatencySmooth, latencySum);
    for (int t = 0; t < 4; ++t)
        smooth(r.sessions[t], tasksPerSec * kTierShare[t] * kSessionSecondsPerTask);
}

void Simulation::Impl::runHpa(RegionRt &r, int regionIdx)
{
    (void)regionIdx;
    if (!r.healthy)
        return;
    const ServiceRt &s = r.svc[kOrchestrator];
    Deployment &D = inv.deployments[s.dep];
    const int ready = std::max(1, D.readyReplicas);
    const double perPodRps = s.arrivalsPerSec / ready;
    const ServiceSpec &spec = serviceSpec(kOrchestrator);
    const double cpuPercent = std::min(perPodRps / spec.perReplicaRps, 1.05) * 100 * 0.95;
    const std::vector<HpaMetricSample> metrics{{cpuPercent, 70}, {perPodRps * 60, 1000}};
    const int desired = r.hpa.evaluate(now, D.replicas, metrics);
    if (desired != D.replicas) {
        recordEvent(SimEvent::Kind::Scaling,
                    "HPA agent-orchestrator-hpa scaled " + D.name + " from " + std::to_string(D.replicas) +
                        " to " + std::to_string(desired),
                    r.name + ": cpu " + std::to_string(static_cast<int>(cpuPercent)) + "% (target 70%), agent_request_rate " +
                        std::to_string(static_cast<int>(perPodRps * 60)) + "/min per pod (target 1000)");
        kubeEvent(D.ns, false, "SuccessfulRescale", "HorizontalPodAutoscaler", "agent-orchestrator-hpa",
                  "New size: " + std::to_string(desired) + "; reason: metric above/below target");
        setReplicas(s.dep, desired);
    }
}

} // namespace opsdeck::sim
