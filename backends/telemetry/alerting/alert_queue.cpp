#include "alert_queue.h"

#include <algorithm>
#include <tuple>

namespace opsdeck::telemetry::alerting {

std::string alertStateName(AlertStatus::State s)
{
    switch (s) {
    case AlertStatus::State::Unprocessed: return "unprocessed";
    case AlertStatus::State::Active: return "active";
    case AlertStatus::State::Suppressed: return "suppressed";
    }
    return "unprocessed";
}

AlertQueue::AlertQueue(AlertQueueConfig config)
    : m_config(std::move(config)), m_dispatcher(m_config.route), m_inhibitor(m_config.inhibitRules)
{
}

Result<Alert> AlertQueue::validate(const PostableAlert &in, std::size_t index,
                                   std::int64_t nowMs) const
{
    const std::string where = "alert " + std::to_string(index) + " " + in.labels.toString();
    if (in.labels.empty())
        return Error{where + ": at least one label pair required"};
    for (const auto &[name, value] : in.labels.items())
        if (!isValidLabelName(name))
            return Error{where + ": invalid label name '" + name + "'"};

    Alert a;
    a.labels = in.labels;
    a.fingerprint = fingerprintOf(in.labels);
    a.annotations = in.annotations;
    a.generatorURL = in.generatorURL;
    a.value = in.value;
    a.updatedAtMs = nowMs;
    a.endsAtMs = in.endsAtMs;
    if (in.resolved && a.endsAtMs == 0)
        a.endsAtMs = nowMs;
    a.startsAtMs = in.startsAtMs != 0 ? in.startsAtMs : (a.endsAtMs != 0 ? a.endsAtMs : nowMs);
    if (a.endsAtMs == 0) {
        // No end given: resolve by itself unless the sender keeps refreshing it.
        a.timeout = true;
        a.endsAtMs = nowMs + m_config.resolveTimeoutMs;
    }
    if (a.endsAtMs < a.startsAtMs)
        return Error{where + ": start time must be before end time"};
    return a;
}

PutReport AlertQueue::put(const std::vector<PostableAlert> &alerts, std::int64_t nowMs)
{
    runDispatcher(nowMs); // flushes due before this push happen before it
    PutReport report;
    for (std::size_t i = 0; i < alerts.size(); ++i) {
        auto validated = validate(alerts[i], i, nowMs);
        if (!validated) {
            report.rejected.push_back(Error{validated.error()});
            continue;
        }
        Alert alert = std::move(validated.value());
        const Fingerprint fp = alert.fingerprint;
        auto old = m_alerts.find(fp);
        if (old != m_alerts.end()) {
            const Alert &o = old->second;
            // Merge only when the activity ranges overlap; otherwise it is a new episode.
            const bool overlaps = (alert.endsAtMs > o.startsAtMs && alert.endsAtMs < o.endsAtMs)
                || (alert.startsAtMs > o.startsAtMs && alert.startsAtMs < o.endsAtMs);
            const bool wasResolved = o.resolvedAt(nowMs);
            if (overlaps)
                alert = mergeAlerts(o, alert);
            Record &record = m_records[fp];
            settleResolution(o, record, nowMs);
            if (wasResolved && !alert.resolvedAt(nowMs))
                record = Record{}; // a re-fire is a new, unacknowledged alert
        } else {
            m_records[fp] = Record{};
        }
        m_alerts[fp] = alert;
        m_dispatcher.insert(alert, nowMs);
        ++report.accepted;
    }
    return report;
}

std::vector<Notification> AlertQueue::advance(std::int64_t nowMs)
{
    runDispatcher(nowMs);
    for (auto &[fp, record] : m_records) {
        settleResolution(m_alerts.at(fp), record, nowMs);
        record.processed = true;
    }
    collectGarbage(nowMs);
    return std::exchange(m_outbox, {});
}

void AlertQueue::runDispatcher(std::int64_t nowMs)
{
    // Flushes at one instant share one inhibition index; the alerts do not change
    // inside advance(), only the time does.
    std::optional<std::int64_t> indexedAt;
    Inhibitor::Index index;
    auto sent = m_dispatcher.advance(nowMs, [&](const Alert &a, std::int64_t at) {
        if (indexedAt != at) {
            index = m_inhibitor.buildIndex(m_alerts, at);
            indexedAt = at;
        }
        return muted(a, at, index);
    });
    for (auto &n : sent)
        m_outbox.push_back(std::move(n));
}

void AlertQueue::collectGarbage(std::int64_t nowMs)
{
    for (auto it = m_alerts.begin(); it != m_alerts.end();) {
        if (it->second.resolvedAt(nowMs)
            && it->second.endsAtMs + m_config.resolvedRetentionMs <= nowMs) {
            m_records.erase(it->first);
            it = m_alerts.erase(it);
        } else {
            ++it;
        }
    }
    m_silences.gc(nowMs, m_config.silenceRetentionMs);
}

bool AlertQueue::muted(const Alert &alert, std::int64_t nowMs,
                       const Inhibitor::Index &inhibition) const
{
    if (!m_silences.silencedBy(alert.labels, nowMs).empty())
        return true;
    return m_inhibitor.inhibitedBy(alert.labels, inhibition).has_value();
}

void AlertQueue::settleResolution(const Alert &alert, Record &record, std::int64_t nowMs) const
{
    if (!alert.resolvedAt(nowMs))
        return;
    record.ack.reset(); // an acknowledgement lasts as long as the alert fires
    if (record.outcome != ResponseOutcome::Pending)
        return;
    const auto deadline = responseDeadlineMs(severityFromLabel(alert.labels.get("severity")),
                                             alert.startsAtMs, m_config.calendar);
    record.respondedAtMs = alert.endsAtMs;
    if (!deadline)
        record.outcome = ResponseOutcome::NoDeadline;
    else
        record.outcome = alert.endsAtMs <= *deadline ? ResponseOutcome::Met : ResponseOutcome::Breached;
}

Result<std::string> AlertQueue::setSilence(const SilenceSpec &spec, std::int64_t nowMs)
{
    return m_silences.set(spec, nowMs);
}

Result<bool> AlertQueue::expireSilence(const std::string &id, std::int64_t nowMs)
{
    return m_silences.expire(id, nowMs);
}

Result<bool> AlertQueue::acknowledge(Fingerprint fp, const std::string &who,
                                     const std::string &comment, std::int64_t nowMs)
{
    const std::string where = "acknowledge " + fingerprintToString(fp);
    auto it = m_alerts.find(fp);
    if (it == m_alerts.end())
        return Error{where + ": no such alert in the queue"};
    if (who.empty())
        return Error{where + ": who is acknowledging must be given"};
    Record &record = m_records[fp];
    settleResolution(it->second, record, nowMs);
    if (it->second.resolvedAt(nowMs))
        return Error{where + ": the alert has already resolved"};
    if (record.ack)
        return Error{where + ": already acknowledged by " + record.ack->by};
    record.ack = Acknowledgement{who, comment, nowMs};
    if (record.outcome == ResponseOutcome::Pending) {
        const auto deadline = responseDeadlineMs(
            severityFromLabel(it->second.labels.get("severity")), it->second.startsAtMs,
            m_config.calendar);
        record.respondedAtMs = nowMs;
        record.outcome = !deadline ? ResponseOutcome::NoDeadline
            : nowMs <= *deadline   ? ResponseOutcome::Met
                                   : ResponseOutcome::Breached;
    }
    return true;
}

Result<bool> AlertQueue::unacknowledge(Fingerprint fp, std::int64_t nowMs)
{
    const std::string where = "unacknowledge " + fingerprintToString(fp);
    auto it = m_alerts.find(fp);
    if (it == m_alerts.end())
        return Error{where + ": no such alert in the queue"};
    Record &record = m_records[fp];
    settleResolution(it->second, record, nowMs);
    if (!record.ack)
        return Error{where + ": not acknowledged"};
    // Taking an ack back restarts the clock as if nobody had responded.
    record = Record{std::nullopt, std::nullopt, ResponseOutcome::Pending, record.processed};
    return true;
}

QueuedAlert AlertQueue::view(const Alert &alert, const Record &stored, std::int64_t nowMs,
                             const Inhibitor::Index &inhibition) const
{
    Record record = stored;
    settleResolution(alert, record, nowMs);
    QueuedAlert q;
    q.alert = alert;
    q.resolved = alert.resolvedAt(nowMs);
    q.severity = severityFromLabel(alert.labels.get("severity"));
    q.deadlineMs = responseDeadlineMs(q.severity, alert.startsAtMs, m_config.calendar);
    q.ack = record.ack;
    q.respondedAtMs = record.respondedAtMs;
    q.outcome = q.deadlineMs ? record.outcome : ResponseOutcome::NoDeadline;
    if (q.deadlineMs)
        q.countdownMs = *q.deadlineMs - record.respondedAtMs.value_or(nowMs);

    q.status.silencedBy = m_silences.silencedBy(alert.labels, nowMs);
    if (auto by = m_inhibitor.inhibitedBy(alert.labels, inhibition))
        q.status.inhibitedBy.push_back(fingerprintToString(*by));
    if (!record.processed)
        q.status.state = AlertStatus::State::Unprocessed;
    else if (!q.status.silencedBy.empty() || !q.status.inhibitedBy.empty())
        q.status.state = AlertStatus::State::Suppressed;
    else
        q.status.state = AlertStatus::State::Active;
    return q;
}

std::vector<QueuedAlert> AlertQueue::snapshot(std::int64_t nowMs) const
{
    std::vector<QueuedAlert> out;
    out.reserve(m_alerts.size());
    const Inhibitor::Index inhibition = m_inhibitor.buildIndex(m_alerts, nowMs);
    for (const auto &[fp, alert] : m_alerts)
        out.push_back(view(alert, m_records.at(fp), nowMs, inhibition));
    std::stable_sort(out.begin(), out.end(), [](const QueuedAlert &a, const QueuedAlert &b) {
        return std::tuple(a.severity, a.alert.startsAtMs, a.alert.fingerprint)
            < std::tuple(b.severity, b.alert.startsAtMs, b.alert.fingerprint);
    });
    return out;
}

std::optional<QueuedAlert> AlertQueue::find(Fingerprint fp, std::int64_t nowMs) const
{
    auto it = m_alerts.find(fp);
    if (it == m_alerts.end())
        return std::nullopt;
    return view(it->second, m_records.at(fp), nowMs, m_inhibitor.buildIndex(m_alerts, nowMs));
}

} // namespace opsdeck::telemetry::alerting
