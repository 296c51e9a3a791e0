#pragma once
// Silences as in Alertmanager 0.25: matchers plus a time window, who and why.
// State is a function of time: pending before startsAt, active in [startsAt, endsAt),
// expired from endsAt on. Expiring early sets endsAt = now (and startsAt = now for a
// pending one), so expired silences stay listed, as GET /api/v2/silences shows them.
#include "alert.h"
#include "matcher.h"

#include "backends/telemetry/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace opsdeck::telemetry::alerting {

enum class SilenceState { Pending, Active, Expired };
std::string silenceStateName(SilenceState s); // "pending", "active", "expired"

struct Silence {
    std::string id;
    Matchers matchers;
    std::int64_t startsAtMs = 0;
    std::int64_t endsAtMs = 0;
    std::int64_t updatedAtMs = 0;
    std::string createdBy;
    std::string comment;

    SilenceState stateAt(std::int64_t nowMs) const;
    bool mutes(const Labels &labels, std::int64_t nowMs) const
    {
        return stateAt(nowMs) == SilenceState::Active && matchesAll(matchers, labels);
    }
};

// What POST /api/v2/silences carries. With an id it updates that silence: in place
// when Alertmanager would (same matchers; pending, or active with the same startsAt),
// otherwise the old one is expired and a new id is returned.
struct SilenceSpec {
    std::string id;
    Matchers matchers;
    std::int64_t startsAtMs = 0; // in the past or 0: now
    std::int64_t endsAtMs = 0;
    std::string createdBy;
    std::string comment;
};

class SilenceStore {
public:
    // Returns the silence id; errors say which field is wrong and why.
    Result<std::string> set(const SilenceSpec &spec, std::int64_t nowMs);
    // Expire now. Unknown ids and already expired silences are errors, as in the API.
    Result<bool> expire(const std::string &id, std::int64_t nowMs);

    const Silence *find(const std::string &id) const;
    const std::vector<Silence> &all() const { return m_silences; } // creation order
    // Ids of the active silences that match, in creation order.
    std::vector<std::string> silencedBy(const Labels &labels, std::int64_t nowMs) const;
    // Drops silences expired for longer than retentionMs (Alertmanager: 120 h).
    void gc(std::int64_t nowMs, std::int64_t retentionMs);

private:
    std::string nextId();
    Silence *findMutable(const std::string &id);

    std::vector<Silence> m_silences;
    std::uint64_t m_idCounter = 0;
};

} // namespace opsdeck::telemetry::alerting
