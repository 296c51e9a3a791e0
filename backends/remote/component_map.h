#pragma once
// Which runbook component (the ids of sim::serviceCatalogue(): agent-orchestrator,
// model-server, ...) a workload of a real cluster is, when its names differ from the
// runbook's. A YAML file maps component ids to label selectors, as `kubectl get -l`:
//
//   components:
//     agent-orchestrator: "app.kubernetes.io/name=orchestrator,tier in (control)"
//     model-server: app=vllm
//     state-db: ["app=postgres", "app=pgbouncer"]   # a list: any of them
//
// Deployments are matched on their metadata labels and Pods on theirs (what
// `kubectl get deployments,pods -l SELECTOR` would select); the first entry in file order
// wins. What no entry claims keeps today's default: a deployment whose name, or whose
// `app` label, is a component id not given in the file is that component; anything else
// keeps its own name (qualified "namespace/name" when that name is an id the file gives
// to other workloads, so the two never merge). Errors name the file, line and field:
//   component map /x/map.yaml:3:19: components.model-server: label selector "app in (a": ...
#include "../sim/inventory.h"
#include "../telemetry/result.h"
#include "label_selector.h"

#include <set>
#include <string>
#include <vector>

namespace opsdeck::remote {

struct ComponentRule {
    std::string component;               // runbook id
    std::vector<LabelSelector> selectors; // any of them
    int line = 0;                         // where the file gave it (1-based)
};

class ComponentMap {
public:
    // The runbook's component ids, in catalogue order.
    static const std::vector<std::string> &knownComponents();

    static Result<ComponentMap> parse(const std::string &yaml, const std::string &file);
    static Result<ComponentMap> load(const std::string &path);

    // Always a non-empty name for a deployment.
    std::string componentOf(const sim::Deployment &deployment) const;
    // "" when neither an entry nor the app-label default claims the pod: the caller then
    // takes its deployment's component.
    std::string componentOfPod(const sim::Pod &pod) const;

    bool empty() const { return m_rules.empty(); }
    const std::vector<ComponentRule> &rules() const { return m_rules; }
    // "agent-orchestrator <- app=orchestrator; model-server <- app=vllm", for status lines.
    std::string summary() const;

private:
    bool claimed(const std::string &id) const { return m_claimed.count(id) > 0; }
    std::string defaultFor(const sim::StringMap &labels, const std::string &name) const;

    std::vector<ComponentRule> m_rules;
    std::set<std::string> m_claimed;
};

} // namespace opsdeck::remote
