#include "dispatcher.h"

#include <algorithm>

namespace opsdeck::telemetry::alerting {

namespace {
std::string quoted(const std::string &v)
{
    std::string out = "\"";
    for (char c : v) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

bool isSubset(const std::set<Fingerprint> &subset, const std::set<Fingerprint> &of)
{
    return std::includes(of.begin(), of.end(), subset.begin(), subset.end());
}
} // namespace

Dispatcher::Dispatcher(RouteConfig route) : m_route(std::move(route)) {}

Labels Dispatcher::groupLabelsFor(const Labels &alertLabels) const
{
    if (m_route.groupByAll)
        return alertLabels;
    std::vector<Label> picked;
    for (const auto &name : m_route.groupBy)
        if (alertLabels.has(name))
            picked.emplace_back(name, alertLabels.get(name));
    return Labels(std::move(picked));
}

std::string Dispatcher::groupKeyFor(const Labels &groupLabels)
{
    // Root route's key "{}" + ":" + the group labels like Go's LabelSet.String().
    std::string out = "{}:{";
    bool first = true;
    for (const auto &[name, value] : groupLabels.items()) {
        if (!first)
            out += ", ";
        first = false;
        out += name + "=" + quoted(value);
    }
    return out + "}";
}

void Dispatcher::insert(const Alert &alert, std::int64_t nowMs)
{
    const Labels groupLabels = groupLabelsFor(alert.labels);
    const std::string key = groupKeyFor(groupLabels);
    auto [it, created] = m_groups.try_emplace(key);
    Group &group = it->second;
    if (created) {
        group.labels = groupLabels;
        group.nextFlushMs = nowMs + m_route.groupWaitMs;
    }
    group.alerts[alert.fingerprint] = alert;
    // An alert that started more than group_wait ago need not wait again.
    if (!group.hasFlushed && alert.startsAtMs + m_route.groupWaitMs < nowMs)
        group.nextFlushMs = nowMs;
}

std::vector<Notification> Dispatcher::advance(std::int64_t nowMs, const MuteFn &muted)
{
    std::vector<Notification> out;
    for (;;) {
        auto due = m_groups.end();
        for (auto it = m_groups.begin(); it != m_groups.end(); ++it)
            if (it->second.nextFlushMs <= nowMs
                && (due == m_groups.end() || it->second.nextFlushMs < due->second.nextFlushMs))
                due = it;
        if (due == m_groups.end())
            break;
        const std::int64_t at = due->second.nextFlushMs;
        due->second.nextFlushMs = at + m_route.groupIntervalMs;
        due->second.hasFlushed = true;
        if (auto n = flush(due->first, due->second, at, muted))
            out.push_back(std::move(*n));
        if (due->second.alerts.empty())
            m_groups.erase(due);
    }
    std::erase_if(m_log, [&](const auto &kv) {
        return kv.second.atMs + m_route.notificationLogRetentionMs < nowMs;
    });
    return out;
}

std::optional<Notification> Dispatcher::flush(const std::string &key, Group &group,
                                              std::int64_t atMs, const MuteFn &muted)
{
    Notification n;
    n.atMs = atMs;
    n.receiver = m_route.receiver;
    n.groupKey = key;
    n.groupLabels = group.labels;
    std::set<Fingerprint> firing;
    std::set<Fingerprint> resolved;
    for (const auto &[fp, alert] : group.alerts) {
        if (muted && muted(alert, atMs))
            continue;
        Alert copy = alert;
        if (copy.resolvedAt(atMs)) {
            resolved.insert(fp);
            n.resolved.push_back(std::move(copy));
        } else {
            copy.endsAtMs = 0; // "don't resolve as time moves on" (aggrGroup.flush)
            firing.insert(fp);
            n.firing.push_back(std::move(copy));
        }
    }

    std::optional<Notification> sent;
    if (!firing.empty() || !resolved.empty()) {
        auto logIt = m_log.find(key);
        if (needsUpdate(logIt == m_log.end() ? nullptr : &logIt->second, firing, resolved, atMs)) {
            m_log[key] = LogEntry{firing, resolved, atMs};
            if (!m_route.sendResolved)
                n.resolved.clear();
            if (!n.firing.empty() || !n.resolved.empty())
                sent = std::move(n);
        }
    }
    // Resolved alerts have been dealt with; they leave the group (re-pushes since the
    // flush started would have a newer updatedAt, but time does not move inside a flush).
    std::erase_if(group.alerts, [atMs](const auto &kv) { return kv.second.resolvedAt(atMs); });
    return sent;
}

bool Dispatcher::needsUpdate(const LogEntry *entry, const std::set<Fingerprint> &firing,
                             const std::set<Fingerprint> &resolved, std::int64_t nowMs) const
{
    if (!entry)
        return !firing.empty(); // never tell a receiver only about resolutions
    if (!isSubset(firing, entry->firing))
        return true;
    if (firing.empty())
        return !entry->firing.empty(); // everything it knew about has resolved
    if (m_route.sendResolved && !isSubset(resolved, entry->resolved))
        return true;
    return entry->atMs < nowMs - m_route.repeatIntervalMs;
}

std::optional<std::int64_t> Dispatcher::nextFlushMs() const
{
    std::optional<std::int64_t> next;
    for (const auto &[key, group] : m_groups)
        if (!next || group.nextFlushMs < *next)
            next = group.nextFlushMs;
    return next;
}

std::vector<GroupInfo> Dispatcher::groups() const
{
    std::vector<GroupInfo> out;
    for (const auto &[key, group] : m_groups) {
        GroupInfo info{key, group.labels, {}, group.nextFlushMs, group.hasFlushed};
        for (const auto &[fp, alert] : group.alerts)
            info.alerts.push_back(fp);
        out.push_back(std::move(info));
    }
    return out;
}

} // namespace opsdeck::telemetry::alerting
