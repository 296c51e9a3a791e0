// The Deployment and ReplicaSet controllers: template changes create (or reuse) a
// ReplicaSet with the next revision, and a RollingUpdate moves pods over with maxSurge 25 %
// (rounded up) and maxUnavailable 25 % (rounded down), as Kubernetes does. Reconciling is
// event driven: only deployments marked dirty by a pod change or an action are visited.
#include "sim_impl.h"

#include <algorithm>
#include <cmath>

namespace opsdeck::sim {

namespace {
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

} // namespace opsdeck::sim
