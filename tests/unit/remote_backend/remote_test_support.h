#pragma once
// Shared by the RemoteBackend tests against `opsdeck-sim serve`: credentials for a
// kubeconfig, finding a deployment in a snapshot, moving the paused simulator's clock.
#include "../remote/kube_credentials_for.h"
#include "../remote/sim_server.h"
#include "await_task.h"
#include "backends/remote/http_client.h"
#include "backends/remote/kubeconfig.h"
#include "backends/remote/remote_backend.h"

#include <memory>

namespace opsdeck::testing {

// The simulator's primary-region namespace and the runbook's usual target.
inline const std::string kNs = "chatgpt-agent";
inline const std::string kOrchestrator = "agent-orchestrator";

inline const sim::Deployment *findDeployment(const backends::SnapshotPtr &snap, const std::string &ns,
                                             const std::string &name)
{
    if (snap && snap->inventory)
        for (const auto &d : snap->inventory->deployments)
            if (d.ns == ns && d.name == name)
                return &d;
    return nullptr;
}

inline int replicasIn(const backends::SnapshotPtr &snap, const std::string &ns, const std::string &name)
{
    const sim::Deployment *d = findDeployment(snap, ns, name);
    return d ? d->replicas : -1;
}

inline bool kubernetesIs(const remote::RemoteBackend &backend, backends::ConnectionState state)
{
    return backend.componentStatus(remote::RemoteComponent::Kubernetes).state == state;
}

// Steps the paused simulator (--speed 0) by `seconds` of simulated time.
inline bool advance(const QString &url, int seconds)
{
    remote::HttpClient http;
    remote::HttpRequest request;
    request.method = "POST";
    request.url = (url + "/opsdeck/v1/advance").toStdString();
    request.body = "{\"seconds\":" + std::to_string(seconds) + "}";
    request.headers = {{"Content-Type", "application/json"}};
    auto response = awaitTask(http.send(request));
    return response && response->ok();
}

} // namespace opsdeck::testing
