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

namespace {
std::vector<std::string> equalKey(const InhibitRule &rule, const Labels &labels)
{
    std::vector<std::string> key;
    key.reserve(rule.equal.size());
    for (const auto &name : rule.equal)
        key.push_back(labels.get(name)); // absent on both sides counts as equal ("")
    return key;
}
} // namespace

Inhibitor::Index Inhibitor::buildIndex(const std::map<Fingerprint, Alert> &alerts,
                                       std::int64_t nowMs) const
{
    Index index;
    index.perRule.resize(m_rules.size());
    for (std::size_t r = 0; r < m_rules.size(); ++r) {
        const InhibitRule &rule = m_rules[r];
        for (const auto &[fp, source] : alerts) { // fingerprint order: lowest first
            if (source.resolvedAt(nowMs) || !matchesAll(rule.sourceMatchers, source.labels))
                continue;
            index.perRule[r][equalKey(rule, source.labels)].push_back(
                {fp, matchesAll(rule.targetMatchers, source.labels)});
        }
    }
    return index;
}

std::optional<Fingerprint> Inhibitor::inhibitedBy(const Labels &target, const Index &index) const
{
    for (std::size_t r = 0; r < m_rules.size() && r < index.perRule.size(); ++r) {
        const InhibitRule &rule = m_rules[r];
        if (!matchesAll(rule.targetMatchers, target))
            continue;
        auto it = index.perRule[r].find(equalKey(rule, target));
        if (it == index.perRule[r].end())
            continue;
        // If the target also matches the source side, alerts that match both sides are
        // excluded as sources (Alertmanager's excludeTwoSidedMatch): no self-inhibition.
        const bool targetIsAlsoSource = matchesAll(rule.sourceMatchers, target);
        for (const auto &source : it->second)
            if (!(targetIsAlsoSource && source.alsoMatchesTarget))
                return source.fingerprint;
    }
    return std::nullopt;
}

} // namespace opsdeck::telemetry::alerting
