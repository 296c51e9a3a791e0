#pragma once
// The console's view of a real Alertmanager's alerts: what GET /api/v2/alerts says, plus
// what only OpsDeck knows — acknowledgements (OpsDeck's own, never sent to Alertmanager),
// response deadlines from the runbook's severity classes, and alerts that have just left
// Alertmanager's list (shown as resolved for a while, as the simulated queue does).
// Plain C++20, no Qt; time is passed in (epoch ms) so tests drive it.
#include "backends/telemetry/alerting/alert_queue.h"
#include "backends/telemetry/result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace opsdeck::remote {

class RemoteAlertBook {
public:
    explicit RemoteAlertBook(telemetry::alerting::BusinessCalendar calendar = {},
                             std::int64_t resolvedRetentionMs = 30 * 60'000)
        : m_calendar(calendar), m_retentionMs(resolvedRetentionMs) {}

    // A fresh list from Alertmanager at nowMs. Alerts missing from it that were firing
    // before are kept as resolved (endsAt = nowMs unless they ended earlier).
    void update(std::vector<telemetry::alerting::QueuedAlert> fromAlertmanager, std::int64_t nowMs);

    // Errors as the simulated queue's: no name, unknown fingerprint, resolved, already acknowledged.
    Result<bool> acknowledge(telemetry::alerting::Fingerprint fp, const std::string &who,
                             const std::string &comment, std::int64_t nowMs);

    // Severity first, then startsAt, then fingerprint, with deadlines, acks and countdowns as of nowMs.
    std::vector<telemetry::alerting::QueuedAlert> snapshot(std::int64_t nowMs) const;
    bool hasData() const { return m_updated; }

private:
    struct Entry {
        telemetry::alerting::QueuedAlert alert;
        std::optional<telemetry::alerting::Acknowledgement> ack;
    };
    telemetry::alerting::BusinessCalendar m_calendar;
    std::int64_t m_retentionMs;
    std::map<telemetry::alerting::Fingerprint, Entry> m_entries;
    bool m_updated = false;
};

} // namespace opsdeck::remote
