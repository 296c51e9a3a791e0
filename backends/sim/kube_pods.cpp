// Single-pod deletion for the simulated Kubernetes API server (`opsdeck-sim serve`):
// kubectl deletes pods one by one (`delete pods --field-selector status.phase=Failed`
// lists them, then sends one DELETE each), so the server needs more than the
// all-failed-pods action.
#include "sim_impl.h"

namespace opsdeck::sim {

ActionResult Simulation::deletePod(const std::string &region, const std::string &ns, const std::string &name,
                                   const std::string &actor)
{
    ActionResult res;
    res.kubectl = "kubectl delete pod " + name + " -n " + ns;
    const int regionIdx = d->regionIndex(region);
    for (std::size_t i = 0; i < d->inv.pods.size(); ++i) {
        const Pod &pod = d->inv.pods[i];
        if (pod.name != name || pod.ns != ns || d->podRt[i].region != regionIdx ||
            d->podRt[i].stage == PodStage::Gone)
            continue;
        d->deletePod(i, "deleted by " + actor);
        // Compact now so that the pod is gone from inventory() when the API answers the
        // delete (kubectl's wait phase expects 404 on the next GET).
        d->compact();
        res.ok = true;
        res.message = "pod \"" + name + "\" deleted";
        d->recordEvent(SimEvent::Kind::Action, "Action delete-pod on " + name + " by " + actor,
                       res.message + "\n$ " + res.kubectl);
        return res;
    }
    res.message = "pods \"" + name + "\" not found in namespace " + ns + " (" + region + ")";
    return res;
}

} // namespace opsdeck::sim
