#include "remote_alert_book.h"

#include <algorithm>

namespace opsdeck::remote {

using namespace telemetry::alerting;

void RemoteAlertBook::update(std::vector<QueuedAlert> fromAlertmanager, std::int64_t nowMs)
{
    m_updated = true;
    std::map<Fingerprint, Entry> next;
    for (QueuedAlert &q : fromAlertmanager) {
        const Fingerprint fp = q.alert.fingerprint;
        Entry entry{std::move(q), std::nullopt};
        auto old = m_entries.find(fp);
        // The same firing episode keeps its acknowledgement; a new startsAt is a new one.
        if (old != m_entries.end() && old->second.ack && !old->second.alert.resolved
            && old->second.alert.alert.startsAtMs == entry.alert.alert.startsAtMs)
            entry.ack = old->second.ack;
        next.emplace(fp, std::move(entry));
    }
    for (auto &[fp, entry] : m_entries) {
        if (next.count(fp))
            continue;
        Entry gone = std::move(entry);
        if (!gone.alert.resolved) {
            gone.alert.resolved = true;
            if (gone.alert.alert.endsAtMs == 0 || gone.alert.alert.endsAtMs > nowMs)
                gone.alert.alert.endsAtMs = nowMs;
        }
        if (nowMs - gone.alert.alert.endsAtMs <= m_retentionMs)
            next.emplace(fp, std::move(gone));
    }
    m_entries = std::move(next);
}

Result<bool> RemoteAlertBook::acknowledge(Fingerprint fp, const std::string &who, const std::string &comment,
                                          std::int64_t nowMs)
{
    if (who.empty())
        return Error{"acknowledge: say who acknowledges (no name given)"};
    auto it = m_entries.find(fp);
    if (it == m_entries.end())
        return Error{"acknowledge: no alert with fingerprint " + fingerprintToString(fp)};
    Entry &entry = it->second;
    if (entry.alert.resolved || entry.alert.alert.resolvedAt(nowMs))
        return Error{"acknowledge: alert " + entry.alert.alert.labels.get("alertname") + " is already resolved"};
    if (entry.ack)
        return Error{"acknowledge: alert " + entry.alert.alert.labels.get("alertname") + " was already acknowledged by "
                     + entry.ack->by};
    entry.ack = Acknowledgement{who, comment, nowMs};
    return true;
}

std::vector<QueuedAlert> RemoteAlertBook::snapshot(std::int64_t nowMs) const
{
    std::vector<QueuedAlert> out;
    out.reserve(m_entries.size());
    for (const auto &[fp, entry] : m_entries) {
        QueuedAlert q = entry.alert;
        const bool resolved = q.resolved || q.alert.resolvedAt(nowMs);
        q.resolved = resolved;
        q.deadlineMs = responseDeadlineMs(q.severity, q.alert.startsAtMs, m_calendar);
        q.ack = resolved ? std::nullopt : entry.ack; // as the simulated queue: cleared once resolved
        // The countdown stops at the first of acknowledgement and resolution.
        std::optional<std::int64_t> responded;
        if (entry.ack)
            responded = entry.ack->atMs;
        if (resolved && (!responded || q.alert.endsAtMs < *responded))
            responded = q.alert.endsAtMs;
        q.respondedAtMs = responded;
        if (!q.deadlineMs) {
            q.outcome = ResponseOutcome::NoDeadline;
            q.countdownMs.reset();
        } else {
            q.outcome = !responded ? ResponseOutcome::Pending
                : *responded <= *q.deadlineMs ? ResponseOutcome::Met
                                              : ResponseOutcome::Breached;
            q.countdownMs = *q.deadlineMs - responded.value_or(nowMs);
        }
        out.push_back(std::move(q));
    }
    std::sort(out.begin(), out.end(), [](const QueuedAlert &a, const QueuedAlert &b) {
        if (a.severity != b.severity)
            return a.severity < b.severity;
        if (a.alert.startsAtMs != b.alert.startsAtMs)
            return a.alert.startsAtMs < b.alert.startsAtMs;
        return a.alert.fingerprint < b.alert.fingerprint;
    });
    return out;
}

} // namespace opsdeck::remote
