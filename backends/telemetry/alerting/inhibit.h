#pragma once
// Inhibition as in Alertmanager 0.25: an alert matching a rule's target matchers is
// muted while some *firing* alert matches the source matchers and carries the same
// values for every `equal` label (a label absent on both sides counts as equal).
// An alert that matches both sides never inhibits itself or another such alert.
#include "alert.h"
#include "matcher.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace opsdeck::telemetry::alerting {

struct InhibitRule {
    Matchers sourceMatchers;
    Matchers targetMatchers;
    std::vector<std::string> equal;
};

// The runbook's default: a firing P1 on a service mutes that service's P2s.
//   source_matchers: [severity="P1"], target_matchers: [severity="P2"], equal: [service]
InhibitRule p1MutesP2OnSameService();

class Inhibitor {
public:
    Inhibitor() = default;
    explicit Inhibitor(std::vector<InhibitRule> rules) : m_rules(std::move(rules)) {}

    const std::vector<InhibitRule> &rules() const { return m_rules; }
    void setRules(std::vector<InhibitRule> rules) { m_rules = std::move(rules); }

    // The firing source alerts of every rule at one instant, keyed by their `equal`
    // label values, so that checking N targets costs N lookups rather than N x N scans.
    // Valid while the alert set and the time stay as they were when it was built.
    struct Index {
        struct Source {
            Fingerprint fingerprint;
            bool alsoMatchesTarget; // excluded when the target also matches the source side
        };
        std::vector<std::map<std::vector<std::string>, std::vector<Source>>> perRule;
    };
    Index buildIndex(const std::map<Fingerprint, Alert> &alerts, std::int64_t nowMs) const;

    // The fingerprint of the alert that mutes `target`, if any (the lowest, for determinism).
    std::optional<Fingerprint> inhibitedBy(const Labels &target, const Index &index) const;
    // One-off convenience: builds the index for this single question.
    std::optional<Fingerprint> inhibitedBy(const Labels &target,
                                           const std::map<Fingerprint, Alert> &alerts,
                                           std::int64_t nowMs) const
    {
        return inhibitedBy(target, buildIndex(alerts, nowMs));
    }

private:
    std::vector<InhibitRule> m_rules;
};

} // namespace opsdeck::telemetry::alerting
