#pragma once
// The console's alert queue: Alertmanager 0.25 semantics (dedup by fingerprint,
// grouping and notification timing, silences, inhibition, resolve_timeout) plus what
// an on-call console needs on top: acknowledgements and response deadlines from the
// runbook's severity classes.
//
// Never reads a clock: every call takes the (simulated) time, Unix epoch ms. Feed it
// what Prometheus would POST each evaluation with put(), call advance() to run the
// dispatcher up to now, read snapshot() for the console. Same calls, same results.
#include "alert.h"
#include "dispatcher.h"
#include "inhibit.h"
#include "severity.h"
#include "silence.h"

#include "backends/telemetry/result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace opsdeck::telemetry::alerting {

struct AlertQueueConfig {
    RouteConfig route;
    std::int64_t resolveTimeoutMs = 5 * 60'000; // endsAt for alerts sent without one
    std::vector<InhibitRule> inhibitRules = {p1MutesP2OnSameService()};
    BusinessCalendar calendar;
    // Resolved alerts stay visible this long after endsAt (Alertmanager GCs them on a
    // 30 min cycle; here it is exact so that results do not depend on call cadence).
    std::int64_t resolvedRetentionMs = 30 * 60'000;
    std::int64_t silenceRetentionMs = 120 * 3'600'000; // --data.retention
};

// GET /api/v2/alerts "status". Unprocessed: received since the last advance().
struct AlertStatus {
    enum class State { Unprocessed, Active, Suppressed };
    State state = State::Unprocessed;
    std::vector<std::string> silencedBy;  // silence ids
    std::vector<std::string> inhibitedBy; // fingerprints (16 hex digits)
};
std::string alertStateName(AlertStatus::State s); // "unprocessed", "active", "suppressed"

struct Acknowledgement {
    std::string by;
    std::string comment;
    std::int64_t atMs = 0;
};

// Did someone respond before the runbook's deadline? Decided by the first of
// acknowledgement or resolution (an alert that clears itself in time is not a breach).
enum class ResponseOutcome { Pending, Met, Breached, NoDeadline };

// One row of the queue, as of the snapshot time.
struct QueuedAlert {
    Alert alert;
    bool resolved = false;
    AlertStatus status;
    Severity severity = Severity::Unknown;
    std::optional<std::int64_t> deadlineMs;
    std::optional<Acknowledgement> ack; // cleared once the alert resolves
    ResponseOutcome outcome = ResponseOutcome::Pending;
    std::optional<std::int64_t> respondedAtMs; // when the countdown stopped
    // deadline - now while pending (negative: overdue), frozen at deadline - respondedAt
    // once acknowledged or resolved; nullopt without a deadline.
    std::optional<std::int64_t> countdownMs;
};

struct PutReport {
    std::size_t accepted = 0;
    std::vector<Error> rejected; // each says which alert (index, labels) and why
};

class AlertQueue {
public:
    explicit AlertQueue(AlertQueueConfig config = {});

    const AlertQueueConfig &config() const { return m_config; }
    void setInhibitRules(std::vector<InhibitRule> rules) { m_inhibitor.setRules(std::move(rules)); }

    // POST /api/v2/alerts: validates, fills startsAt/endsAt, merges with the stored
    // alert of the same fingerprint, hands it to its group. Valid alerts are taken
    // even when others in the batch are rejected, as Alertmanager does.
    PutReport put(const std::vector<PostableAlert> &alerts, std::int64_t nowMs);
    // Runs due group flushes up to nowMs; returns every notification produced since
    // the last call (including those due before a put() at a later time).
    std::vector<Notification> advance(std::int64_t nowMs);

    // Silences (POST / DELETE /api/v2/silence[s]).
    Result<std::string> setSilence(const SilenceSpec &spec, std::int64_t nowMs);
    Result<bool> expireSilence(const std::string &id, std::int64_t nowMs);
    const SilenceStore &silences() const { return m_silences; }

    // Acknowledge a firing alert. Errors: unknown fingerprint, resolved, already
    // acknowledged, no name given.
    Result<bool> acknowledge(Fingerprint fp, const std::string &who, const std::string &comment,
                             std::int64_t nowMs);
    Result<bool> unacknowledge(Fingerprint fp, std::int64_t nowMs);

    // Every alert the queue holds (firing, and resolved within retention), with fresh
    // silence/inhibition status as GET /api/v2/alerts computes it. Ordered by
    // severity, then startsAt, then fingerprint.
    std::vector<QueuedAlert> snapshot(std::int64_t nowMs) const;
    std::optional<QueuedAlert> find(Fingerprint fp, std::int64_t nowMs) const;
    const Dispatcher &dispatcher() const { return m_dispatcher; }

private:
    struct Record {
        std::optional<Acknowledgement> ack;
        std::optional<std::int64_t> respondedAtMs;
        ResponseOutcome outcome = ResponseOutcome::Pending;
        bool processed = false;
    };

    Result<Alert> validate(const PostableAlert &in, std::size_t index, std::int64_t nowMs) const;
    void settleResolution(const Alert &alert, Record &record, std::int64_t nowMs) const;
    bool muted(const Alert &alert, std::int64_t nowMs, const Inhibitor::Index &inhibition) const;
    QueuedAlert view(const Alert &alert, const Record &record, std::int64_t nowMs,
                     const Inhibitor::Index &inhibition) const;
    void runDispatcher(std::int64_t nowMs);
    void collectGarbage(std::int64_t nowMs);

    AlertQueueConfig m_config;
    Dispatcher m_dispatcher;
    Inhibitor m_inhibitor;
    SilenceStore m_silences;
    std::map<Fingerprint, Alert> m_alerts;
    std::map<Fingerprint, Record> m_records;
    std::vector<Notification> m_outbox;
};

} // namespace opsdeck::telemetry::alerting
