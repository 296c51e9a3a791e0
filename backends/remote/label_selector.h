#pragma once
// Kubernetes label selectors as `kubectl get -l` takes them (k8s.io/apimachinery
// labels.Parse), checked on the client so a mistyped component map is caught when it is
// loaded, not silently matching nothing:
//   app=orchestrator        app==orchestrator      app!=orchestrator
//   tier in (control, edge) tier notin (batch)     canary        !canary
//   generation>3            generation<10          (integer comparisons)
// Requirements are ANDed. Keys are [prefix/]name (prefix a DNS subdomain, name at most
// 63 characters of [A-Za-z0-9_.-] starting and ending alphanumeric); values are empty or
// follow the name rule. Errors say at which column and why:
//   "app in (a": column 10: expected ',' or ')' after a value
// Plain C++ (no Qt).
#include "../sim/inventory.h"
#include "../telemetry/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace opsdeck::remote {

class LabelSelector {
public:
    enum class Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist, GreaterThan, LessThan };
    struct Requirement {
        std::string key;
        Op op = Op::Exists;
        std::vector<std::string> values; // Equals/NotEquals/Gt/Lt: one; In/NotIn: one or more
    };

    // Empty text selects everything (as kubectl without -l).
    static Result<LabelSelector> parse(std::string_view text);

    bool matches(const sim::StringMap &labels) const;
    bool empty() const { return m_requirements.empty(); }
    const std::vector<Requirement> &requirements() const { return m_requirements; }
    // Canonical text, e.g. "app=orchestrator,tier in (control,edge)".
    std::string toString() const;

private:
    std::vector<Requirement> m_requirements;
};

// Why `key` is not a valid label key / `value` not a valid label value; empty when valid.
std::string labelKeyProblem(std::string_view key);
std::string labelValueProblem(std::string_view value);

} // namespace opsdeck::remote
