#pragma once
// Alerts as Prometheus posts them to Alertmanager (POST /api/v2/alerts) and as the
// queue keeps them. All times are Unix epoch milliseconds of simulated time; 0 means
// "not set" exactly where Alertmanager uses Go's zero time.
#include "backends/telemetry/labels.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace opsdeck::telemetry::alerting {

using Fingerprint = std::uint64_t;
using Annotations = std::map<std::string, std::string>;

// Prometheus' model.LabelSet.Fingerprint: FNV-1a 64 over the sorted labels, each name
// and value followed by 0xff. Equal to the "fingerprint" Alertmanager's API reports.
Fingerprint fingerprintOf(const Labels &labels);
// 16 lowercase hex digits, as the API prints it ("6cc2cef8d6c427c2").
std::string fingerprintToString(Fingerprint fp);

// One element of the array Prometheus POSTs. A resolved alert is one whose endsAt is
// at or before now; Prometheus sends endsAt = resolution time. `resolved = true` with
// endsAt unset is a shorthand for "resolved now".
struct PostableAlert {
    Labels labels;
    Annotations annotations;
    std::int64_t startsAtMs = 0; // 0: now (or endsAt if only that is set)
    std::int64_t endsAtMs = 0;   // 0: now + resolve_timeout, refreshed by each push
    std::string generatorURL;
    bool resolved = false;
    std::string value; // the rule's current value, if the sender knows it (not on the AM wire)
};

// The alert as stored after validation and merging (Alertmanager types.Alert).
struct Alert {
    Fingerprint fingerprint = 0;
    Labels labels;
    Annotations annotations;
    std::int64_t startsAtMs = 0;
    std::int64_t endsAtMs = 0;
    std::int64_t updatedAtMs = 0;
    std::string generatorURL;
    std::string value;
    bool timeout = false; // endsAt came from resolve_timeout, not from the sender

    bool resolvedAt(std::int64_t nowMs) const { return endsAtMs != 0 && endsAtMs <= nowMs; }
};

// Alertmanager's Alert.Merge for two versions of the same alert whose activity
// ranges overlap: the younger (later updatedAt) wins, keeping the earliest startsAt
// and the latest explicit endsAt.
Alert mergeAlerts(const Alert &older, const Alert &newer);

} // namespace opsdeck::telemetry::alerting
