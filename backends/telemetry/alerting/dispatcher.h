#pragma once
// Alertmanager's dispatcher and aggregation groups, driven by explicit time.
//
// Alerts are grouped by the route's group_by labels. A new group waits group_wait
// (flushing at once if its first alert already started more than group_wait ago),
// then flushes every group_interval. Each flush drops muted alerts and asks the
// notification log whether anything changed since the last notification for the
// group: new firing alerts, newly resolved ones (send_resolved), all resolved, or
// repeat_interval elapsed. Resolved alerts leave the group after a flush.
// This is notify.DedupStage + dispatch.aggrGroup of Alertmanager 0.25.
#include "alert.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace opsdeck::telemetry::alerting {

struct RouteConfig {
    std::string receiver = "console";
    std::vector<std::string> groupBy = {"alertname", "service"};
    bool groupByAll = false; // group_by: ['...']: every label set is its own group
    std::int64_t groupWaitMs = 30'000;
    std::int64_t groupIntervalMs = 5 * 60'000;
    std::int64_t repeatIntervalMs = 4 * 3'600'000;
    bool sendResolved = true;
    // How long the notification log remembers a group that went quiet
    // (Alertmanager's --data.retention, 120 h).
    std::int64_t notificationLogRetentionMs = 120 * 3'600'000;
};

// What a receiver gets (the webhook payload's content). status is "resolved" when
// no alert in it is firing.
struct Notification {
    std::int64_t atMs = 0;
    std::string receiver;
    std::string groupKey; // `{}:{alertname="X", service="Y"}`, as Alertmanager prints it
    Labels groupLabels;
    std::vector<Alert> firing;   // endsAt cleared, as Alertmanager sends firing alerts
    std::vector<Alert> resolved;
    bool isResolved() const { return firing.empty(); }
};

struct GroupInfo {
    std::string groupKey;
    Labels groupLabels;
    std::vector<Fingerprint> alerts;
    std::int64_t nextFlushMs = 0;
    bool hasFlushed = false;
};

class Dispatcher {
public:
    // true if the alert must not be notified at that time (silenced or inhibited).
    using MuteFn = std::function<bool(const Alert &, std::int64_t nowMs)>;

    explicit Dispatcher(RouteConfig route = {});

    const RouteConfig &route() const { return m_route; }
    Labels groupLabelsFor(const Labels &alertLabels) const;
    static std::string groupKeyFor(const Labels &groupLabels);

    // Hands the (merged) alert to its group, as the dispatcher does on every push.
    // Call advance(nowMs) first so that flushes due earlier happen before it.
    void insert(const Alert &alert, std::int64_t nowMs);
    // Runs every flush due at or before nowMs, in time order (ties by group key).
    std::vector<Notification> advance(std::int64_t nowMs, const MuteFn &muted);

    std::optional<std::int64_t> nextFlushMs() const;
    std::vector<GroupInfo> groups() const;

private:
    struct Group {
        Labels labels;
        std::map<Fingerprint, Alert> alerts;
        std::int64_t nextFlushMs = 0;
        bool hasFlushed = false;
    };
    // Notification log entry (nflog): what the receiver was last told.
    struct LogEntry {
        std::set<Fingerprint> firing;
        std::set<Fingerprint> resolved;
        std::int64_t atMs = 0;
    };

    std::optional<Notification> flush(const std::string &key, Group &group, std::int64_t atMs,
                                      const MuteFn &muted);
    bool needsUpdate(const LogEntry *entry, const std::set<Fingerprint> &firing,
                     const std::set<Fingerprint> &resolved, std::int64_t nowMs) const;

    RouteConfig m_route;
    std::map<std::string, Group> m_groups;
    std::map<std::string, LogEntry> m_log;
};

} // namespace opsdeck::telemetry::alerting
