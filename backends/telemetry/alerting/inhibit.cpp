#include "inhibit.h"

namespace opsdeck::telemetry::alerting {

InhibitRule p1MutesP2OnSameService()
{
    InhibitRule rule;
    rule.sourceMatchers.push_back(*Matcher::create("severity", Matcher::Op::Equal, "P1"));
    rule.targetMatchers.push_back(*Matcher::create("severity", Matcher::Op::Equal, "P2"));
    rule.equal = {"service"};
    return rule;
}

std::optional<Fingerprint> Inhibitor::inhibitedBy(const Labels &target,
                                                  const std::map<Fingerprint, Alert> &alerts,
                                                  std::int64_t nowMs) const
{
    for (const auto &rule : m_rules) {
        if (!matchesAll(rule.targetMatchers, target))
            continue;
        // If the target also matches the source side, alerts that match both sides
        // are excluded as sources (Alertmanager's excludeTwoSidedMatch).
        const bool targetIsAlsoSource = matchesAll(rule.sourceMatchers, target);
        for (const auto &[fp, source] : alerts) {
            if (source.resolvedAt(nowMs) || !matchesAll(rule.sourceMatchers, source.labels))
                continue;
            bool equal = true;
            for (const auto &name : rule.equal)
                if (source.labels.get(name) != target.get(name)) {
                    equal = false;
                    break;
                }
            if (!equal)
                continue;
            if (targetIsAlsoSource && matchesAll(rule.targetMatchers, source.labels))
                continue;
            return fp;
        }
    }
    return std::nullopt;
}

} // namespace opsdeck::telemetry::alerting
