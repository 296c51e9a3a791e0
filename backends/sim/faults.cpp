// Fault injection: each fault changes the cluster the way the real failure would, so
// the runbook's symptoms (alerts, pod states, metrics) follow from the model rather
// than being painted on. Also the periodic operations: backups, restores, progressive
// rollout stages.
#include "sim_impl.h"

#include <algorithm>
#include <cmath>

namespace opsdeck::sim {

namespace {
std::string param(const FaultSpec &f, const std::string &key, const std::string &fallback)
{
    auto it = f.params.find(key);
    return it == f.params.end() ? fallback : it->second;
}

std::string bumpVersion(const std::string &image)
{
    // openai/chatgpt-agent:v2.14.0 -> openai/chatgpt-agent:v2.15.0
    const auto colon = image.rfind(':');
    const std::string repo = image.substr(0, colon);
    std::string tag = colon == std::string::npos ? "v1.0.0" : image.substr(colon + 1);
    const auto dot1 = tag.find('.');
    if (dot1 == std::string::npos)
        return repo + ":" + tag + "-next";
    const auto dot2 = tag.find('.', dot1 + 1);
    const int minor = std::atoi(tag.substr(dot1 + 1, dot2 - dot1 - 1).c_str());
    return repo + ":" + tag.substr(0, dot1 + 1) + std::to_string(minor + 1) + ".0";
}
} // namespace

void Simulation::Impl::inject(const FaultSpec &spec)
{
    FaultState &f = fault(spec.kind);
    int region = 0;
    if (auto it = spec.params.find("region"); it != spec.params.end()) {
        const int r = regionIndex(it->second);
        if (r < 0) {
            recordEvent(SimEvent::Kind::Fault, std::string("Fault ") + faultName(spec.kind) + " rejected",
                        "unknown region '" + it->second + "'", false);
            return;
        }
        region = r;
    } else {
        region = activeRegion();
    }
    f.active = true;
    f.sinceMs = now;
    f.spec = spec;
    f.region = region;
    RegionRt &R = regions[region];
    std::string target = spec.target;
    std::string detail;

    switch (spec.kind) {
    case FaultKind::BadDeploy: {
        if (target.empty())
            target = "agent-orchestrator";
        const int dep = findDeployment(region, kNamespace, target);
        if (dep < 0) {
            f.active = false;
            recordEvent(SimEvent::Kind::Fault, "Fault bad-deploy rejected", "no deployment '" + target + "'", false);
            return;
        }
        PodTemplate tpl = inv.deployments[dep].podTemplate;
        const std::string image = param(spec, "image", bumpVersion(tpl.containers.front().image));
        const double rate = std::clamp(std::atof(param(spec, "error_rate", "0.3").c_str()), 0.0, 1.0);
        badImages[image] = rate;
        for (std::size_t rs = 0; rs < inv.replicaSets.size(); ++rs)
            if (inv.replicaSets[rs].podTemplate.containers.front().image == image)
                rsRt[rs].failRate = rate;
        tpl.containers.front().image = image;
        setTemplate(dep, tpl, "kubectl set image deployment/" + target + " " + tpl.containers.front().name + "=" + image);
        detail = "deployed " + image + " (fails " + std::to_string(static_cast<int>(rate * 100)) + "% of requests)";
        break;
    }
    case FaultKind::ModelServerCrash: {
        const int dep = R.svc[kModelServer].dep;
        for (std::size_t i = 0; i < podRt.size(); ++i) {
            if (podRt[i].dep != dep || podRt[i].stage == PodStage::Failed || podRt[i].stage == PodStage::Gone)
                continue;
            podRt[i].poisoned = true;
            if (podRt[i].stage == PodStage::Ready || podRt[i].stage == PodStage::Starting)
                crashPod(i, "Error");
        }
        detail = "vLLM engine dies with CUDA error on every model-server pod in " + R.name +
                 "; pods crash-loop until replaced (rollout restart)";
        break;
    }
    case FaultKind::VcPoolExhaustion:
        detail = "sandboxes are held 3.5× longer (slow teardown); the pool runs out";
        break;
    case FaultKind::DbPoolExhaustion:
        detail = "lock contention makes state-db queries 6× slower; connections stay checked out";
        break;
    case FaultKind::MemoryLeak: {
        if (target.empty())
            target = "agent-orchestrator";
        const int dep = findDeployment(region, kNamespace, target);
        if (dep < 0) {
            f.active = false;
            recordEvent(SimEvent::Kind::Fault, "Fault memory-leak rejected", "no deployment '" + target + "'", false);
            return;
        }
        const double perMin = std::atof(param(spec, "rate", "0.025").c_str());
        if (perMin > 0)
            leakFractionPerMin = perMin;
        const std::string image = inv.deployments[dep].podTemplate.containers.front().image;
        leakyImages.insert(image);
        for (std::size_t rs = 0; rs < inv.replicaSets.size(); ++rs)
            if (inv.replicaSets[rs].podTemplate.containers.front().image == image && depRt[rsRt[rs].dep].region == region)
                rsRt[rs].leaky = true;
        for (std::size_t i = 0; i < podRt.size(); ++i)
            if (rsRt[podRt[i].rs].leaky && podRt[i].stage == PodStage::Ready)
                schedule(i, std::max(oomTimeMs(i), now + 1));
        detail = image + " leaks " + std::to_string(leakFractionPerMin * 100).substr(0, 4) +
                 "% of its memory limit per minute";
        target = inv.deployments[dep].name;
        break;
    }
    case FaultKind::GpuFailure: {
        const int count = std::max(1, std::atoi(param(spec, "count", "1").c_str()));
        int failed = 0;
        for (int n : R.gpuNodes) {
            if (failed >= count)
                break;
            if (!target.empty() && inv.nodes[n].name != target)
                continue;
            if (nodeRt[n].failed || (!nodeRt[n].gpuBusy && target.empty()))
                continue;
            failNode(n);
            detail += (detail.empty() ? "" : ", ") + inv.nodes[n].name;
            ++failed;
        }
        if (failed == 0) {
            f.active = false;
            recordEvent(SimEvent::Kind::Fault, "Fault gpu-failure rejected",
                        target.empty() ? "no busy GPU node" : "no GPU node '" + target + "'", false);
            return;
        }
        detail = "XID 79 (GPU fell off the bus), node NotReady: " + detail;
        break;
    }
    case FaultKind::RegionFailure: {
        if (!target.empty()) {
            const int r = regionIndex(target);
            if (r < 0) {
                f.active = false;
                recordEvent(SimEvent::Kind::Fault, "Fault region-failure rejected", "unknown region '" + target + "'", false);
                return;
            }
            f.region = region = r;
        }
        regions[region].healthy = false;
        inv.regions[region].healthy = false;
        target = regions[region].name;
        detail = target + " is unreachable; its DNS share fails until traffic fails over";
        break;
    }
    case FaultKind::PromptInjection:
        detail = "wave of prompt-injection attempts (" + param(spec, "rate", "3") + "/s)" +
                 (spec.params.count("breach") ? "; attackers hold leaked credentials" : "");
        break;
    case FaultKind::DataCorruption:
        detail = "state-db rows corrupted: requests touching them fail until a restore";
        break;
    case FaultKind::TrafficSurge:
        detail = "demand × " + param(spec, "factor", "3");
        break;
    }
    recordEvent(SimEvent::Kind::Fault,
                std::string("Fault ") + faultName(spec.kind) + (target.empty() ? "" : " on " + target), detail);
}

void Simulation::Impl::clear(FaultKind kind)
{
    FaultState &f = fault(kind);
    if (!f.active)
        return;
    f.active = false;
    switch (kind) {
    case FaultKind::BadDeploy:
        for (auto &[image, rate] : badImages)
            rate = 0;
        for (auto &rs : rsRt)
            rs.failRate = 0;
        break;
    case FaultKind::ModelServerCrash:
        for (auto &p : podRt)
            p.poisoned = false;
        break;
    case FaultKind::MemoryLeak:
        leakyImages.clear();
        for (auto &rs : rsRt)
            rs.leaky = false;
        break;
    case FaultKind::GpuFailure:
        for (std::size_t n = 0; n < inv.nodes.size(); ++n)
            if (nodeRt[n].failed) {
                nodeRt[n].failed = false;
                nodeRt[n].xid = 0;
                inv.nodes[n].ready = true;
            }
        break;
    case FaultKind::RegionFailure:
        regions[f.region].healthy = true;
        inv.regions[f.region].healthy = true;
        break;
    default:
        break;
    }
    recordEvent(SimEvent::Kind::Fault, std::string("Fault ") + faultName(kind) + " healed", "cleared by the instructor");
}

void Simulation::Impl::takeBackup(bool manual)
{
    Backup b;
    const std::int64_t epochSec = (config.startEpochMs + now) / 1000;
    const std::int64_t days = epochSec / 86400, secs = epochSec % 86400;
    // civil date from days since 1970-01-01 (Howard Hinnant's algorithm)
    std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = yoe + era * 400 + (month <= 2);
    char buf[64];
    std::snprintf(buf, sizeof buf, "state-db-%04lld%02lld%02lld-%02lld%02lld%02lld", static_cast<long long>(year),
                  static_cast<long long>(month), static_cast<long long>(day), static_cast<long long>(secs / 3600),
                  static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
    b.id = buf;
    b.timeMs = now;
    b.clean = !faultActive(FaultKind::DataCorruption);
    b.manual = manual;
    backups.push_back(b);
}

void Simulation::Impl::stepOperations()
{
    if (now >= nextBackupMs) {
        nextBackupMs += 15 * 60000;
        takeBackup(false);
    }
    if (restoreUntilMs >= 0 && now >= restoreUntilMs) {
        restoreUntilMs = -1;
        if (faultActive(FaultKind::DataCorruption) && restoreClean)
            fault(FaultKind::DataCorruption).active = false;
        recordEvent(SimEvent::Kind::Action, "Restore of state-db complete", "state-db back online");
    }
    stepProgressiveRollout();
}

} // namespace opsdeck::sim
