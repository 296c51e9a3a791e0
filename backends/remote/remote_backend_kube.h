#pragma once
// The Kubernetes half of RemoteBackend: kubeconfig -> credentials -> API server; the
// inventory (Deployments, ReplicaSets, Pods, Nodes, Events of all namespaces) listed on
// each refresh, and the actions kubectl performs (scale subresource, rollout undo,
// set image, rollout restart, delete failed pods), with the server's own error messages.
// Internal to RemoteBackend; list-per-refresh keeps it simple and stateless.
#include "backends/sim/inventory.h"
#include "backends/sim/simulation.h"
#include "backends/telemetry/result.h"
#include "http_client.h"
#include "kubeconfig.h"
#include "remote_config.h"

#include <QCoro/QCoroTask>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace opsdeck::remote {

struct KubeRefresh {
    std::shared_ptr<const sim::Inventory> inventory;
    std::vector<sim::KubeEvent> events;
    std::string summary; // "12 deployments, 140 pods, 16 nodes"
};

struct KubeSide {
    explicit KubeSide(RemoteConfig config);
    ~KubeSide();

    QCoro::Task<Result<KubeRefresh>> refresh();
    QCoro::Task<Result<sim::ActionResult>> apply(sim::ActionSpec action);
    // SelfSubjectAccessReview for what apply() would send: "" allowed, else the reason.
    QCoro::Task<Result<std::string>> whyNotAllowed(sim::ActionSpec action);

    std::string contextName() const;
    bool insecureSkipTlsVerify() const;
    void shutdown(); // cancels what is in flight; later calls fail fast

private:
    Result<bool> ensureResolved();
    QCoro::Task<Result<HttpResponse>> request(std::string method, std::string path, std::string body = {},
                                              std::string contentType = {});
    std::string namespaceFor(const std::string &deployment) const;

    RemoteConfig m_config;
    std::optional<ResolvedContext> m_context;
    std::unique_ptr<KubeCredentials> m_credentials;
    std::unique_ptr<HttpClient> m_http;
    std::shared_ptr<const sim::Inventory> m_lastInventory;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

// A short "what kubectl would have typed" for the audit log.
std::string kubectlEquivalent(const sim::ActionSpec &action, const std::string &ns);

} // namespace opsdeck::remote
