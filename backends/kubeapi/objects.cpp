#include "objects.h"

#include "kube_time.h"

namespace opsdeck::kubeapi {

using nlohmann::json;

namespace {

std::uint64_t fnv(std::uint64_t h, const std::string &s)
{
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    h ^= 0xff; // separator, so ("ab","c") != ("a","bc")
    return h * 1099511628211ULL;
}

std::uint64_t fnv(std::uint64_t h, std::int64_t v) { return fnv(h, std::to_string(v)); }

std::string ipFrom(const std::string &uid, const char *prefix, int parts)
{
    std::uint64_t h = fnv(1469598103934665603ULL, uid);
    std::string out = prefix;
    for (int i = 0; i < parts; ++i) {
        out += "." + std::to_string(1 + (h & 0xff) % 254);
        h >>= 8;
    }
    return out;
}

json labelsJson(const std::map<std::string, std::string> &labels)
{
    json j = json::object();
    for (const auto &[k, v] : labels)
        j[k] = v;
    return j;
}

json containersJson(const std::vector<sim::Container> &containers)
{
    json list = json::array();
    for (const sim::Container &c : containers) {
        json resources = json::object();
        if (c.cpuRequestCores > 0)
            resources["requests"] = {{"cpu", cpuQuantity(c.cpuRequestCores)}};
        if (c.memoryLimitBytes > 0)
            resources["limits"] = {{"memory", memoryQuantity(c.memoryLimitBytes)}};
        list.push_back({{"name", c.name},
                        {"image", c.image},
                        {"resources", resources},
                        {"terminationMessagePath", "/dev/termination-log"},
                        {"terminationMessagePolicy", "File"},
                        {"imagePullPolicy", "IfNotPresent"}});
    }
    return list;
}

std::map<std::string, std::string> withRegion(std::map<std::string, std::string> labels, const std::string &region)
{
    if (!region.empty())
        labels[kRegionLabel] = region;
    return labels;
}

std::map<std::string, std::string> selectorLabels(const sim::PodTemplate &tpl)
{
    std::map<std::string, std::string> sel = tpl.labels;
    sel.erase("pod-template-hash");
    return sel;
}

} // namespace

std::string RegionNamespaces::toKube(const std::string &ns, const std::string &region) const
{
    if (region.empty() || region == m_primary || ns.empty())
        return ns;
    return ns + "-" + region;
}

std::pair<std::string, std::string> RegionNamespaces::fromKube(const std::string &kubeNs,
                                                               const std::vector<std::string> &regions) const
{
    for (const std::string &region : regions) {
        if (region == m_primary)
            continue;
        const std::string suffix = "-" + region;
        if (kubeNs.size() > suffix.size() && kubeNs.compare(kubeNs.size() - suffix.size(), suffix.size(), suffix) == 0)
            return {region, kubeNs.substr(0, kubeNs.size() - suffix.size())};
    }
    return {m_primary, kubeNs};
}

json podTemplateJson(const sim::PodTemplate &tpl, const std::map<std::string, std::string> &annotations)
{
    json meta = {{"creationTimestamp", nullptr}, {"labels", labelsJson(tpl.labels)}};
    if (!annotations.empty())
        meta["annotations"] = labelsJson(annotations);
    return {{"metadata", meta},
            {"spec",
             {{"containers", containersJson(tpl.containers)},
              {"restartPolicy", "Always"},
              {"terminationGracePeriodSeconds", 30},
              {"dnsPolicy", "ClusterFirst"},
              {"securityContext", json::object()},
              {"schedulerName", "default-scheduler"}}}};
}

json deploymentJson(const sim::Deployment &d, const std::vector<const sim::ReplicaSet *> &replicaSets,
                    const DeploymentExtras &extras, const ObjectContext &ctx)
{
    int total = 0;
    for (const sim::ReplicaSet *rs : replicaSets)
        total += rs->replicas;
    std::map<std::string, std::string> annotations = extras.annotations;
    annotations["deployment.kubernetes.io/revision"] = std::to_string(d.revision);
    json status = {{"observedGeneration", d.observedGeneration},
                   {"replicas", total},
                   {"updatedReplicas", d.updatedReplicas},
                   {"readyReplicas", d.readyReplicas},
                   {"availableReplicas", d.availableReplicas}};
    if (total - d.availableReplicas > 0)
        status["unavailableReplicas"] = total - d.availableReplicas;
    // Condition times stay fixed: a timestamp that moved every tick would make every
    // watch see a MODIFIED deployment every simulated second.
    const std::string now = rfc3339(ctx.startEpochMs + d.createdMs);
    const bool available = d.availableReplicas >= std::max(0, d.replicas - (d.replicas + 3) / 4);
    status["conditions"] = json::array(
        {{{"type", "Available"},
          {"status", available ? "True" : "False"},
          {"lastUpdateTime", now},
          {"lastTransitionTime", now},
          {"reason", available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable"},
          {"message", available ? "Deployment has minimum availability." : "Deployment does not have minimum availability."}},
         {{"type", "Progressing"},
          {"status", "True"},
          {"lastUpdateTime", now},
          {"lastTransitionTime", now},
          {"reason", d.rolloutInProgress ? "ReplicaSetUpdated" : "NewReplicaSetAvailable"},
          {"message", "ReplicaSet \"" + d.name + "\" is progressing."}}});
    return {{"apiVersion", "apps/v1"},
            {"kind", "Deployment"},
            {"metadata",
             {{"name", d.name},
              {"namespace", ctx.naming.toKube(d.ns, d.region)},
              {"uid", d.uid},
              {"generation", d.generation},
              {"creationTimestamp", rfc3339(ctx.startEpochMs + d.createdMs)},
              {"labels", labelsJson(withRegion(d.labels, d.region))},
              {"annotations", labelsJson(annotations)}}},
            {"spec",
             {{"replicas", d.replicas},
              {"selector", {{"matchLabels", labelsJson(selectorLabels(d.podTemplate))}}},
              {"template", podTemplateJson(d.podTemplate, extras.templateAnnotations)},
              {"strategy", {{"type", "RollingUpdate"}, {"rollingUpdate", {{"maxUnavailable", "25%"}, {"maxSurge", "25%"}}}}},
              {"revisionHistoryLimit", 10},
              {"progressDeadlineSeconds", 600}}},
            {"status", status}};
}

json replicaSetJson(const sim::ReplicaSet &rs, const sim::Deployment *owner, const ObjectContext &ctx)
{
    std::map<std::string, std::string> annotations = {{"deployment.kubernetes.io/revision", std::to_string(rs.revision)}};
    if (!rs.changeCause.empty())
        annotations["kubernetes.io/change-cause"] = rs.changeCause;
    const std::string region = owner ? owner->region : std::string();
    json meta = {{"name", rs.name},
                 {"namespace", ctx.naming.toKube(rs.ns, region)},
                 {"uid", rs.uid},
                 {"generation", 1},
                 {"creationTimestamp", rfc3339(ctx.startEpochMs + rs.createdMs)},
                 {"labels", labelsJson(withRegion(rs.podTemplate.labels, region))},
                 {"annotations", labelsJson(annotations)}};
    if (owner) {
        annotations["deployment.kubernetes.io/desired-replicas"] = std::to_string(owner->replicas);
        meta["annotations"] = labelsJson(annotations);
        meta["ownerReferences"] = json::array({{{"apiVersion", "apps/v1"},
                                                {"kind", "Deployment"},
                                                {"name", owner->name},
                                                {"uid", owner->uid},
                                                {"controller", true},
                                                {"blockOwnerDeletion", true}}});
    }
    json status = {{"replicas", rs.replicas}, {"fullyLabeledReplicas", rs.replicas}, {"observedGeneration", 1}};
    if (rs.readyReplicas > 0) {
        status["readyReplicas"] = rs.readyReplicas;
        status["availableReplicas"] = rs.readyReplicas;
    }
    return {{"apiVersion", "apps/v1"},
            {"kind", "ReplicaSet"},
            {"metadata", meta},
            {"spec",
             {{"replicas", rs.replicas},
              {"selector", {{"matchLabels", labelsJson(rs.podTemplate.labels)}}},
              {"template", podTemplateJson(rs.podTemplate, {})}}},
            {"status", status}};
}

std::uint64_t podFingerprint(const sim::Pod &pod)
{
    std::uint64_t h = 1469598103934665603ULL;
    h = fnv(h, pod.name);
    h = fnv(h, pod.nodeName);
    h = fnv(h, static_cast<std::int64_t>(pod.phase));
    h = fnv(h, pod.ready ? 1 : 0);
    h = fnv(h, pod.restarts);
    h = fnv(h, pod.reason);
    h = fnv(h, pod.startedMs);
    h = fnv(h, pod.createdMs);
    for (const auto &[k, v] : pod.labels)
        h = fnv(fnv(h, k), v);
    for (const sim::Container &c : pod.containers)
        h = fnv(fnv(h, c.name), c.image);
    return h;
}

std::string podIp(const std::string &uid) { return ipFrom(uid, "10", 3); }
std::string nodeIp(const std::string &uid) { return ipFrom(uid, "172.16", 2); }

json podJson(const sim::Pod &pod, const std::string &rsUid, const ObjectContext &ctx)
{
    const char *phase = pod.phase == sim::PodPhase::Pending     ? "Pending"
                        : pod.phase == sim::PodPhase::Running   ? "Running"
                        : pod.phase == sim::PodPhase::Succeeded ? "Succeeded"
                                                                : "Failed";
    const std::string created = rfc3339(ctx.startEpochMs + pod.createdMs);
    const std::string started = pod.startedMs > 0 || pod.phase == sim::PodPhase::Running
                                    ? rfc3339(ctx.startEpochMs + pod.startedMs)
                                    : created;
    json statuses = json::array();
    for (const sim::Container &c : pod.containers) {
        json state;
        if (pod.phase == sim::PodPhase::Running && pod.reason.empty()) {
            state = {{"running", {{"startedAt", started}}}};
        } else if (pod.phase == sim::PodPhase::Failed) {
            state = {{"terminated",
                      {{"exitCode", pod.reason == "OOMKilled" ? 137 : 1},
                       {"reason", pod.reason.empty() ? "Error" : pod.reason},
                       {"startedAt", started},
                       {"finishedAt", started}}}};
        } else if (pod.phase == sim::PodPhase::Running && !pod.ready) {
            state = {{"waiting", {{"reason", pod.reason.empty() ? "ContainerCreating" : pod.reason}}}};
        } else if (pod.phase == sim::PodPhase::Running) {
            state = {{"running", {{"startedAt", started}}}};
        } else {
            state = {{"waiting", {{"reason", pod.reason.empty() ? "ContainerCreating" : pod.reason}}}};
        }
        json cs = {{"name", c.name},
                   {"image", c.image},
                   {"imageID", ""},
                   {"ready", pod.ready},
                   {"restartCount", pod.restarts},
                   {"started", pod.phase == sim::PodPhase::Running},
                   {"state", state}};
        if (pod.phase == sim::PodPhase::Pending && pod.nodeName.empty())
            continue; // not scheduled: no container statuses yet, as on a real cluster
        statuses.push_back(cs);
    }
    json conditions = json::array();
    conditions.push_back({{"type", "PodScheduled"},
                          {"status", pod.nodeName.empty() ? "False" : "True"},
                          {"lastProbeTime", nullptr},
                          {"lastTransitionTime", created}});
    if (!pod.nodeName.empty()) {
        conditions.push_back({{"type", "Initialized"}, {"status", "True"}, {"lastProbeTime", nullptr}, {"lastTransitionTime", created}});
        conditions.push_back({{"type", "ContainersReady"}, {"status", pod.ready ? "True" : "False"}, {"lastProbeTime", nullptr}, {"lastTransitionTime", started}});
        conditions.push_back({{"type", "Ready"}, {"status", pod.ready ? "True" : "False"}, {"lastProbeTime", nullptr}, {"lastTransitionTime", started}});
    } else if (pod.reason == "Unschedulable") {
        conditions[0]["reason"] = "Unschedulable";
        conditions[0]["message"] = "0/0 nodes are available: insufficient capacity.";
    }
    json status = {{"phase", phase}, {"conditions", conditions}, {"qosClass", "Burstable"}};
    if (!pod.nodeName.empty()) {
        status["podIP"] = podIp(pod.uid);
        status["podIPs"] = json::array({{{"ip", podIp(pod.uid)}}});
        status["startTime"] = created;
        status["containerStatuses"] = statuses;
    }
    if (pod.phase == sim::PodPhase::Failed && !pod.reason.empty())
        status["reason"] = pod.reason == "OOMKilled" || pod.reason == "Error" ? pod.reason : pod.reason;
    json meta = {{"name", pod.name},
                 {"generateName", pod.replicaSet + "-"},
                 {"namespace", ctx.naming.toKube(pod.ns, pod.region)},
                 {"uid", pod.uid},
                 {"creationTimestamp", created},
                 {"labels", labelsJson(withRegion(pod.labels, pod.region))}};
    if (!pod.replicaSet.empty())
        meta["ownerReferences"] = json::array({{{"apiVersion", "apps/v1"},
                                                {"kind", "ReplicaSet"},
                                                {"name", pod.replicaSet},
                                                {"uid", rsUid},
                                                {"controller", true},
                                                {"blockOwnerDeletion", true}}});
    json spec = {{"containers", containersJson(pod.containers)},
                 {"restartPolicy", "Always"},
                 {"terminationGracePeriodSeconds", 30},
                 {"dnsPolicy", "ClusterFirst"},
                 {"serviceAccountName", "default"},
                 {"schedulerName", "default-scheduler"},
                 {"enableServiceLinks", true},
                 {"preemptionPolicy", "PreemptLowerPriority"},
                 {"priority", 0}};
    if (!pod.nodeName.empty())
        spec["nodeName"] = pod.nodeName;
    if (!pod.nodeName.empty())
        status["hostIP"] = "";
    return {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", meta}, {"spec", spec}, {"status", status}};
}

json nodeJson(const sim::Node &node, int pods, const ObjectContext &ctx)
{
    std::map<std::string, std::string> labels = node.labels;
    labels.emplace("kubernetes.io/os", "linux");
    labels.emplace("kubernetes.io/arch", "amd64");
    labels.emplace(kRegionLabel, node.region);
    labels.emplace("topology.kubernetes.io/zone", node.zone);
    json capacity = {{"cpu", cpuQuantity(node.cpuCores)},
                     {"memory", memoryKi(node.memoryBytes)},
                     {"pods", "110"}};
    if (node.gpuCount > 0)
        capacity["nvidia.com/gpu"] = std::to_string(node.gpuCount);
    const std::string created = rfc3339(ctx.startEpochMs - 60LL * 24 * 3600 * 1000);
    const std::string now = created; // fixed, for the same reason as deployment conditions
    json conditions = json::array(
        {{{"type", "MemoryPressure"}, {"status", "False"}, {"reason", "KubeletHasSufficientMemory"}, {"lastHeartbeatTime", now}, {"lastTransitionTime", created}},
         {{"type", "Ready"},
          {"status", node.ready ? "True" : "Unknown"},
          {"reason", node.ready ? "KubeletReady" : "NodeStatusUnknown"},
          {"message", node.ready ? "kubelet is posting ready status" : "Kubelet stopped posting node status."},
          {"lastHeartbeatTime", now},
          {"lastTransitionTime", created}}});
    json meta = {{"name", node.name},
                 {"uid", node.uid},
                 {"creationTimestamp", created},
                 {"labels", labelsJson(labels)},
                 {"annotations", {{"opsdeck.io/pods", std::to_string(pods)}}}};
    if (!node.gpuModel.empty())
        meta["labels"]["nvidia.com/gpu.product"] = node.gpuModel;
    json spec = json::object();
    if (!node.ready)
        spec["taints"] = json::array({{{"key", "node.kubernetes.io/unreachable"}, {"effect", "NoSchedule"}}});
    return {{"apiVersion", "v1"},
            {"kind", "Node"},
            {"metadata", meta},
            {"spec", spec},
            {"status",
             {{"capacity", capacity},
              {"allocatable", capacity},
              {"conditions", conditions},
              {"addresses", json::array({{{"type", "InternalIP"}, {"address", nodeIp(node.uid)}}, {{"type", "Hostname"}, {"address", node.name}}})},
              {"nodeInfo",
               {{"kubeletVersion", "v1.32.4"},
                {"kubeProxyVersion", "v1.32.4"},
                {"osImage", "Debian GNU/Linux 12 (bookworm)"},
                {"kernelVersion", "6.1.0-28-amd64"},
                {"containerRuntimeVersion", "containerd://1.7.24"},
                {"operatingSystem", "linux"},
                {"architecture", "amd64"}}}}}};
}

json namespaceJson(const std::string &name, const std::string &region, const ObjectContext &ctx)
{
    std::map<std::string, std::string> labels = {{"kubernetes.io/metadata.name", name}};
    if (!region.empty())
        labels[kRegionLabel] = region;
    return {{"apiVersion", "v1"},
            {"kind", "Namespace"},
            {"metadata",
             {{"name", name},
              {"uid", "ns-" + name},
              {"creationTimestamp", rfc3339(ctx.startEpochMs - 60LL * 24 * 3600 * 1000)},
              {"labels", labelsJson(labels)}}},
            {"spec", {{"finalizers", json::array({"kubernetes"})}}},
            {"status", {{"phase", "Active"}}}};
}

json eventJson(const sim::KubeEvent &ev, const std::string &kubeNs, const std::string &name,
               const std::string &involvedUid, const ObjectContext &ctx)
{
    const std::string at = rfc3339(ctx.startEpochMs + ev.timeMs);
    const std::string apiVersion = ev.objectKind == "Deployment" || ev.objectKind == "ReplicaSet" ? "apps/v1"
                                   : ev.objectKind == "HorizontalPodAutoscaler"                  ? "autoscaling/v2"
                                                                                                 : "v1";
    const std::string component = ev.objectKind == "Deployment"                ? "deployment-controller"
                                  : ev.objectKind == "ReplicaSet"              ? "replicaset-controller"
                                  : ev.objectKind == "HorizontalPodAutoscaler" ? "horizontal-pod-autoscaler"
                                  : ev.objectKind == "Node"                    ? "node-controller"
                                  : ev.reason == "FailedScheduling"            ? "default-scheduler"
                                                                               : "kubelet";
    json involved = {{"kind", ev.objectKind}, {"name", ev.objectName}, {"apiVersion", apiVersion}};
    if (!kubeNs.empty() && ev.objectKind != "Node")
        involved["namespace"] = kubeNs;
    if (!involvedUid.empty())
        involved["uid"] = involvedUid;
    return {{"apiVersion", "v1"},
            {"kind", "Event"},
            {"metadata", {{"name", name}, {"namespace", kubeNs}, {"uid", "ev-" + name}, {"creationTimestamp", at}}},
            {"involvedObject", involved},
            {"reason", ev.reason},
            {"message", ev.message},
            {"type", ev.type},
            {"count", 1},
            {"firstTimestamp", at},
            {"lastTimestamp", at},
            {"source", {{"component", component}}},
            {"reportingComponent", component},
            {"reportingInstance", ""}};
}

} // namespace opsdeck::kubeapi
