// Operator actions: each changes the cluster as the real command would, over simulated
// time, and answers with what happened plus the equivalent kubectl / API command.
#include "sim_impl.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace opsdeck::sim {

namespace {
constexpr std::int64_t kMinute = 60000;
constexpr double kRpoMinutes = 5;       // runbook: State Database RPO
constexpr double kStages[4] = {5, 25, 50, 100};

std::string param(const ActionSpec &a, const std::string &key, const std::string &fallback = {})
{
    auto it = a.params.find(key);
    return it == a.params.end() ? fallback : it->second;
}

// Whole number within [lo, hi], or an error naming the parameter.
Result<int> intParam(const std::string &name, const std::string &text, int lo, int hi)
{
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        return Error{name + "='" + text + "' is not a whole number"};
    if (value < lo || value > hi)
        return Error{name + "=" + text + " is out of range (" + std::to_string(lo) + ".." + std::to_string(hi) + ")"};
    return value;
}

std::string imageFor(const std::string &current, const std::string &value)
{
    if (value.find(':') != std::string::npos || value.find('/') != std::string::npos)
        return value;
    return current.substr(0, current.rfind(':')) + ":" + value; // a bare tag
}

std::string minutes(double ms)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f min", ms / 60000.0);
    return buf;
}

std::string isoTime(std::int64_t epochMs)
{
    const std::int64_t s = epochMs / 1000;
    const std::int64_t days = s / 86400, secs = s % 86400;
    std::int64_t z = days + 719468;
    const std::int64_t era = z / 146097, doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)y, (long long)m, (long long)d,
                  (long long)(secs / 3600), (long long)(secs / 60 % 60), (long long)(secs % 60));
    return buf;
}
} // namespace

void Simulation::Impl::setCanary(int region, const std::string &image, double percent)
{
    RegionRt &R = regions[region];
    const int mainReplicas = inv.deployments[R.svc[kOrchestrator].dep].replicas;
    const int replicas = std::max(1, static_cast<int>(std::ceil(mainReplicas * percent / 100.0)));
    if (R.canaryDep < 0) {
        R.canaryDep = createDeployment(region, kOrchestrator, true, replicas, image);
    } else {
        PodTemplate tpl = inv.deployments[R.canaryDep].podTemplate;
        tpl.containers.front().image = image;
        setTemplate(R.canaryDep, tpl, "kubectl set image deployment/agent-orchestrator orchestrator=" + image);
        setReplicas(R.canaryDep, replicas);
    }
    R.canaryShare = percent / 100.0;
}

void Simulation::Impl::endCanary(int region)
{
    RegionRt &R = regions[region];
    R.canaryShare = 0;
    if (R.canaryDep >= 0)
        setReplicas(R.canaryDep, 0);
}

void Simulation::Impl::stepProgressiveRollout()
{
    ProgressiveRollout &p = progressive;
    if (!p.active || now < p.nextCheckMs)
        return;
    p.nextCheckMs = now + 30000;
    RegionRt &R = regions[p.region];
    const bool canaryServing = R.canaryDep >= 0 && inv.deployments[R.canaryDep].readyReplicas > 0;
    if (canaryServing && now - p.stageStartMs >= 60000) {
        const double err = R.canaryErrorSmooth, p99 = R.canaryP99Smooth;
        if (err > 0.05 || p99 > 2.0) {
            char why[128];
            std::snprintf(why, sizeof why, "canary error ratio %.1f%% (limit 5%%), p99 %.2f s (limit 2 s)", err * 100, p99);
            endCanary(p.region);
            p.active = false;
            recordEvent(SimEvent::Kind::Rollout,
                        "Progressive rollout of " + p.image + " rolled back at " +
                            std::to_string(static_cast<int>(kStages[p.stage])) + "%",
                        why, false);
            return;
        }
    }
    const std::int64_t stageLength = kStages[p.stage] < 100 ? 5 * kMinute : 10 * kMinute;
    if (now - p.stageStartMs < stageLength)
        return;
    if (p.stage == 3) {
        const int dep = R.svc[kOrchestrator].dep;
        PodTemplate tpl = inv.deployments[dep].podTemplate;
        tpl.containers.front().image = p.image;
        setTemplate(dep, tpl, "progressive rollout of " + p.image);
        endCanary(p.region);
        p.active = false;
        recordEvent(SimEvent::Kind::Rollout, "Progressive rollout of " + p.image + " completed",
                    "all stages healthy; deployment/agent-orchestrator now runs " + p.image);
        return;
    }
    ++p.stage;
    p.stageStartMs = now;
    setCanary(p.region, p.image, kStages[p.stage]);
    recordEvent(SimEvent::Kind::Rollout,
                "Progressive rollout of " + p.image + " at " + std::to_string(static_cast<int>(kStages[p.stage])) + "%",
                "health checks every 30 s");
}

ActionResult Simulation::Impl::apply(const ActionSpec &spec)
{
    ActionResult res;
    const std::string name = actionName(spec.kind);
    auto finish = [&](bool ok, std::string message, std::string kubectl, const std::string &target) {
        res.ok = ok;
        res.message = std::move(message);
        res.kubectl = std::move(kubectl);
        recordEvent(SimEvent::Kind::Action,
                    "Action " + name + (target.empty() ? "" : " on " + target) + " by " + spec.actor,
                    res.message + (res.kubectl.empty() ? "" : "\n$ " + res.kubectl), ok);
        return res;
    };
    auto fail = [&](const std::string &why) { return finish(false, name + ": " + why, {}, spec.target); };

    int region = activeRegion();
    if (const std::string r = param(spec, "region"); !r.empty() && spec.kind != ActionKind::Failover) {
        region = regionIndex(r);
        if (region < 0)
            return fail("unknown region '" + r + "'");
    }
    RegionRt &R = regions[region];
    const std::string ns = param(spec, "namespace", kNamespace);
    if (ns != kNamespace && ns != kCanaryNamespace)
        return fail("unknown namespace '" + ns + "' (known: chatgpt-agent, chatgpt-agent-canary)");
    // Deployment-targeted actions resolve their target here.
    auto resolve = [&](const std::string &fallback) -> int {
        const std::string t = spec.target.empty() ? fallback : spec.target;
        return findDeployment(region, ns, t);
    };
    auto noSuch = [&](const std::string &fallback) {
        return fail("no deployment '" + (spec.target.empty() ? fallback : spec.target) + "' in namespace " + ns +
                    " (" + R.name + ")");
    };

    switch (spec.kind) {
    case ActionKind::Rollback: {
        const int dep = resolve("agent-orchestrator");
        if (dep < 0)
            return noSuch("agent-orchestrator");
        const Deployment &D = inv.deployments[dep];
        int previous = -1;
        const std::string to = param(spec, "to-revision");
        for (int rs : depRt[dep].rs) {
            if (rs == depRt[dep].currentRs)
                continue;
            if (!to.empty()) {
                if (std::to_string(inv.replicaSets[rs].revision) == to)
                    previous = rs;
            } else if (previous < 0 || inv.replicaSets[rs].revision > inv.replicaSets[previous].revision) {
                previous = rs;
            }
        }
        if (previous < 0)
            return fail(to.empty() ? "deployment/" + D.name + " has no previous revision"
                                   : "deployment/" + D.name + " has no revision " + to);
        const std::string image = inv.replicaSets[previous].podTemplate.containers.front().image;
        const int fromRevision = D.revision;
        setTemplate(dep, inv.replicaSets[previous].podTemplate, inv.replicaSets[previous].changeCause);
        return finish(true,
                      "deployment.apps/" + D.name + " rolled back (revision " + std::to_string(fromRevision) + " -> " +
                          std::to_string(inv.deployments[dep].revision) + ", image " + image + ")",
                      "kubectl rollout undo deployment/" + D.name + " -n " + ns +
                          (to.empty() ? "" : " --to-revision=" + to),
                      D.name);
    }
    case ActionKind::Scale: {
        const int dep = resolve("agent-orchestrator");
        if (dep < 0)
            return noSuch("agent-orchestrator");
        const std::string text = param(spec, "replicas");
        if (text.empty())
            return fail("missing replicas (e.g. scale:virtual-computer=100)");
        const Result<int> n = intParam("replicas", text, 0, 20000);
        if (!n)
            return fail(n.error());
        Deployment &D = inv.deployments[dep];
        const int before = D.replicas;
        setReplicas(dep, *n);
        std::string msg = "deployment.apps/" + D.name + " scaled from " + std::to_string(before) + " to " + std::to_string(*n);
        if (depRt[dep].service == kOrchestrator && !depRt[dep].canary)
            msg += " (HPA agent-orchestrator-hpa keeps it within " + std::to_string(R.hpa.minReplicas()) + ".." +
                   std::to_string(R.hpa.maxReplicas()) + " and re-evaluates every 15 s)";
        if (serviceSpec(static_cast<ServiceId>(depRt[dep].service)).gpu) {
            int free = 0;
            for (int node : R.gpuNodes)
                free += (!nodeRt[node].gpuBusy && !nodeRt[node].failed) ? 1 : 0;
            if (*n - D.readyReplicas > free)
                msg += "; only " + std::to_string(free) + " free GPU nodes: some pods will stay Pending";
        }
        return finish(true, msg, "kubectl scale deployment/" + D.name + " --replicas=" + text + " -n " + ns, D.name);
    }
    case ActionKind::SetImage: {
        const int dep = resolve("agent-orchestrator");
        if (dep < 0)
            return noSuch("agent-orchestrator");
        const std::string value = param(spec, "image");
        if (value.empty())
            return fail("missing image (e.g. set-image:agent-orchestrator=v2.15.0)");
        PodTemplate tpl = inv.deployments[dep].podTemplate;
        const std::string image = imageFor(tpl.containers.front().image, value);
        tpl.containers.front().image = image;
        const std::string container = tpl.containers.front().name;
        const std::string cmd = "kubectl set image deployment/" + inv.deployments[dep].name + " " + container + "=" + image + " -n " + ns;
        setTemplate(dep, tpl, cmd);
        return finish(true, "deployment.apps/" + inv.deployments[dep].name + " image updated to " + image + " (revision " +
                                std::to_string(inv.deployments[dep].revision) + ")",
                      cmd, inv.deployments[dep].name);
    }
    case ActionKind::Canary:
    case ActionKind::ProgressiveRollout: {
        if (!spec.target.empty() && findService(spec.target) != kOrchestrator)
            return fail("canaries are run for agent-orchestrator only, not '" + spec.target + "'");
        const std::string value = param(spec, "image");
        if (value.empty())
            return fail("missing image (e.g. canary:agent-orchestrator=v2.15.0,percent=5)");
        const std::string image = imageFor(inv.deployments[R.svc[kOrchestrator].dep].podTemplate.containers.front().image, value);
        const std::string cmd = "kubectl set image deployment/agent-orchestrator orchestrator=" + image + " -n " + kCanaryNamespace;
        if (spec.kind == ActionKind::Canary) {
            const Result<int> pct = intParam("percent", param(spec, "percent", "5"), 0, 100);
            if (!pct)
                return fail(pct.error());
            if (*pct == 0) {
                endCanary(region);
                return finish(true, "canary removed from traffic", "kubectl scale deployment/agent-orchestrator --replicas=0 -n chatgpt-agent-canary", "agent-orchestrator");
            }
            setCanary(region, image, *pct);
            return finish(true, "canary " + image + " deployed in " + kCanaryNamespace + ", taking " + std::to_string(*pct) + "% of traffic once ready",
                          cmd + " && kubectl patch virtualservice agent-routing -n istio-system --type merge (weight " + std::to_string(*pct) + ")",
                          "agent-orchestrator");
        }
        if (progressive.active)
            return fail("a progressive rollout of " + progressive.image + " is already running");
        progressive = {true, region, image, 0, now, now + 30000};
        setCanary(region, image, kStages[0]);
        return finish(true, "progressive rollout of " + image + " started: 5/25/50/100 %, 300 s per stage (600 s at 100 %), health checks every 30 s, automatic rollback on error ratio > 5 % or p99 > 2 s",
                      cmd + " && ./progressive_rollout.sh " + image, "agent-orchestrator");
    }
    case ActionKind::Failover: {
        const std::string wanted = param(spec, "region", spec.target);
        int to = -1;
        if (!wanted.empty()) {
            to = regionIndex(wanted);
            if (to < 0)
                return fail("unknown region '" + wanted + "'");
        } else {
            for (std::size_t i = 0; i < regions.size(); ++i)
                if (static_cast<int>(i) != activeRegion() && regions[i].healthy) {
                    to = static_cast<int>(i);
                    break;
                }
            if (to < 0)
                return fail("no healthy region to fail over to");
        }
        if (!regions[to].healthy)
            return fail("region " + regions[to].name + " is down; cannot route traffic there");
        for (std::size_t i = 0; i < regions.size(); ++i) {
            regions[i].weightFrom = regions[i].weight;
            regions[i].weightTo = static_cast<int>(i) == to ? 1.0 : 0.0;
            regions[i].weightChangeMs = now;
        }
        return finish(true, "DNS now points at " + regions[to].name + "; clients follow as records expire (TTL 60 s, about 2 min)",
                      "aws route53 change-resource-record-sets --hosted-zone-id Z0AGENTAPI --change-batch file://failover-" + regions[to].name + ".json",
                      regions[to].name);
    }
    case ActionKind::SafetyMode:
    case ActionKind::CircuitBreaker: {
        const std::string enabled = param(spec, "enabled", "true");
        if (enabled != "true" && enabled != "false")
            return fail("enabled='" + enabled + "' must be true or false");
        const bool on = enabled == "true";
        std::string pod = "orchestrator-pod";
        for (std::size_t i = 0; i < inv.pods.size(); ++i)
            if (podRt[i].dep == R.svc[kOrchestrator].dep && podRt[i].stage == PodStage::Ready) {
                pod = inv.pods[i].name;
                break;
            }
        if (spec.kind == ActionKind::SafetyMode) {
            safetyMode = on;
            return finish(true, on ? "safety mode on: stricter filters block injections; 30% of free-tier load is shed" : "safety mode off",
                          "kubectl exec -it " + pod + " -n chatgpt-agent -- ./" + (on ? "enable" : "disable") + "_safety_mode.sh", "agent-orchestrator");
        }
        circuitBreakers = on;
        return finish(true, on ? "circuit breakers armed: calls to dependencies failing > 30% fail fast; failing tools degrade tasks instead of failing them" : "circuit breakers disarmed",
                      "kubectl exec -it " + pod + " -n chatgpt-agent -- ./" + (on ? "enable" : "disable") + "_circuit_breakers.sh", "agent-orchestrator");
    }
    case ActionKind::DeleteFailedPods: {
        int filter = -1;
        if (!spec.target.empty()) {
            filter = resolve(spec.target);
            if (filter < 0)
                return noSuch(spec.target);
        }
        int deleted = 0;
        for (std::size_t i = 0; i < inv.pods.size(); ++i) {
            if (podRt[i].region != region || inv.pods[i].ns != ns || podRt[i].stage != PodStage::Failed)
                continue;
            if (filter >= 0 && podRt[i].dep != filter)
                continue;
            deletePod(i, "deleted by operator");
            ++deleted;
        }
        return finish(true, deleted ? "deleted " + std::to_string(deleted) + " Failed pods" : "no pods in phase Failed",
                      "kubectl delete pods -n " + ns + " --field-selector status.phase=Failed" +
                          (filter >= 0 ? " -l app=" + inv.deployments[filter].labels.at("app") : ""),
                      spec.target);
    }
    case ActionKind::Restart: {
        const int dep = resolve("agent-orchestrator");
        if (dep < 0)
            return noSuch("agent-orchestrator");
        depRt[dep].restartedAt = isoTime(config.startEpochMs + now);
        PodTemplate tpl = inv.deployments[dep].podTemplate;
        const std::string cmd = "kubectl rollout restart deployment/" + inv.deployments[dep].name + " -n " + ns;
        setTemplate(dep, tpl, cmd);
        return finish(true, "deployment.apps/" + inv.deployments[dep].name + " restarted (rolling, revision " + std::to_string(inv.deployments[dep].revision) + ")",
                      cmd, inv.deployments[dep].name);
    }
    case ActionKind::RotateCredentials: {
        FaultState &inj = fault(FaultKind::PromptInjection);
        const bool breach = inj.active && inj.spec.params.count("breach");
        inj.spec.params.erase("breach");
        for (ServiceId s : {kOrchestrator, kToolApiGateway}) {
            const int dep = R.svc[s].dep;
            depRt[dep].restartedAt = isoTime(config.startEpochMs + now);
            setTemplate(dep, inv.deployments[dep].podTemplate, "credential rotation");
        }
        return finish(true, std::string("credentials rotated; agent-orchestrator and tool-api-gateway restart rolling") + (breach ? "; leaked credentials are now useless" : ""),
                      "kubectl create secret generic agent-credentials -n chatgpt-agent --from-env-file=rotated.env --dry-run=client -o yaml | kubectl apply -f - && kubectl rollout restart deployment/agent-orchestrator deployment/tool-api-gateway -n chatgpt-agent",
                      "credentials");
    }
    case ActionKind::Backup: {
        takeBackup(true);
        const Backup &b = backups.back();
        return finish(true, "backup " + b.id + " taken" + (b.clean ? "" : " (WARNING: data is corrupt at this time)"),
                      "kubectl exec -n chatgpt-agent deploy/state-db -- pg_dump -d agent_state -Fc -f /backups/" + b.id + ".dump", "state-db");
    }
    case ActionKind::Restore: {
        if (restoreUntilMs > now)
            return fail("a restore is already in progress");
        const std::string id = param(spec, "backup");
        const Backup *chosen = nullptr;
        for (const auto &b : backups) {
            if (!id.empty() ? b.id == id : b.clean)
                chosen = &b; // latest match
        }
        if (!chosen)
            return fail(id.empty() ? "no clean backup available" : "no backup '" + id + "'");
        const double lossMs = static_cast<double>(now - chosen->timeMs);
        restoreUntilMs = now + 8 * kMinute;
        restoreClean = chosen->clean;
        std::string msg = "restoring state-db from " + chosen->id + " (about 8 min, database offline); data loss " + minutes(lossMs) +
                          (lossMs > kRpoMinutes * kMinute ? " exceeds" : " within") + " the RPO of 5 min";
        if (!chosen->clean)
            msg += "; WARNING: this backup was taken after the corruption began";
        return finish(true, msg, "kubectl exec -n chatgpt-agent deploy/state-db -- pg_restore --clean -d agent_state /backups/" + chosen->id + ".dump", "state-db");
    }
    case ActionKind::IsolateResources: {
        const int dep = resolve("virtual-computer");
        if (dep < 0)
            return noSuch("virtual-computer");
        isolated = true;
        const std::string app = inv.deployments[dep].labels.at("app");
        return finish(true, "pods with app=" + app + " quarantined: egress denied except to the orchestrator",
                      "kubectl label pods -n " + ns + " -l app=" + app + " quarantine=true && kubectl apply -n " + ns + " -f deny-egress-quarantine.yaml",
                      inv.deployments[dep].name);
    }
    case ActionKind::UpdatePromptFilters: {
        filtersUpdated = true;
        filtersEffectiveMs = now + kMinute;
        const int dep = R.svc[kSafetyFilter].dep;
        depRt[dep].restartedAt = isoTime(config.startEpochMs + now);
        setTemplate(dep, inv.deployments[dep].podTemplate, "prompt filter update");
        return finish(true, "prompt filters updated; safety-filter pods reload them (effective in about 1 min)",
                      "kubectl create configmap prompt-filters -n chatgpt-agent --from-file=filters.yaml --dry-run=client -o yaml | kubectl apply -f - && kubectl rollout restart deployment/safety-filter -n chatgpt-agent",
                      "safety-filter");
    }
    case ActionKind::IncreaseDbPool: {
        const int fallback = static_cast<int>(std::ceil(R.dbPoolMax * 2.5));
        const Result<int> size = intParam("size", param(spec, "size", std::to_string(fallback)), 1, 100000);
        if (!size)
            return fail(size.error());
        const double before = R.dbPoolMax;
        R.dbPoolMax = *size;
        return finish(true, "state-db connection pool " + std::to_string(static_cast<int>(before)) + " -> " + std::to_string(*size) + " connections in " + R.name,
                      "kubectl patch configmap pgbouncer-config -n chatgpt-agent --type merge -p '{\"data\":{\"max_db_connections\":\"" + std::to_string(*size) + "\"}}'",
                      "state-db");
    }
    }
    return fail("unsupported action");
}

} // namespace opsdeck::sim
