#pragma once
// The Kubernetes half of RemoteBackend: kubeconfig and component map -> credentials ->
// one KubeClient that lists and then watches the cluster; and the console's ActionSpecs
// turned into KubeClient calls (scale, rollout undo, set image, rollout restart, delete
// failed pods) with the message and kubectl equivalent the UI shows. The target may be a
// deployment name or a runbook component; its namespace comes from the inventory.
// Internal to RemoteBackend.
#include "backends/sim/simulation.h"
#include "backends/telemetry/result.h"
#include "kube_client.h"
#include "remote_config.h"

#include <QCoro/QCoroTask>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace opsdeck::remote {

struct KubeSide {
    // watchLiveness unset: KubeClient's default (two bookmark intervals).
    explicit KubeSide(RemoteConfig config, std::optional<std::chrono::milliseconds> watchLiveness = {});
    ~KubeSide();

    // Reads the kubeconfig and the component map (again on every call until both load)
    // and starts the client's list + watch. The error names the file and why.
    Result<KubeClient *> ensureStarted();
    KubeClient *client() const { return m_client.get(); }

    QCoro::Task<Result<sim::ActionResult>> apply(sim::ActionSpec action);
    // SelfSubjectAccessReview for what apply() would send: "" allowed, else the reason.
    QCoro::Task<Result<std::string>> whyNotAllowed(sim::ActionSpec action);

    std::string contextName() const;
    bool insecureSkipTlsVerify() const;
    std::string componentMapSummary() const { return m_componentMapSummary; }
    void shutdown(); // stops the client; later calls fail fast

private:
    struct Target {
        std::string ns, deployment;
    };
    Target resolve(const sim::ActionSpec &action) const;

    RemoteConfig m_config;
    std::optional<std::chrono::milliseconds> m_watchLiveness;
    std::unique_ptr<KubeClient> m_client;
    std::string m_contextName;
    bool m_insecure = false;
    std::string m_componentMapSummary;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

// What kubectl would have typed, for the audit log ("kubectl scale deployment/x -n ns --replicas=3").
std::string kubectlEquivalent(const sim::ActionSpec &action, const std::string &ns);

} // namespace opsdeck::remote
