#include "alert.h"

#include <cstdio>

namespace opsdeck::telemetry::alerting {

Fingerprint fingerprintOf(const Labels &labels)
{
    std::uint64_t h = 14695981039346656037ull; // FNV-1a 64 offset basis
    auto add = [&h](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ull;
        }
        h ^= 0xff; // Prometheus' SeparatorByte
        h *= 1099511628211ull;
    };
    for (const auto &[name, value] : labels.items()) {
        add(name);
        add(value);
    }
    return h;
}

std::string fingerprintToString(Fingerprint fp)
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fp));
    return buf;
}

Alert mergeAlerts(const Alert &a, const Alert &o)
{
    if (o.updatedAtMs < a.updatedAtMs)
        return mergeAlerts(o, a);
    Alert res = o;
    if (a.startsAtMs < o.startsAtMs)
        res.startsAtMs = a.startsAtMs;
    const std::int64_t now = o.updatedAtMs; // "resolved" as seen when the younger one arrived
    if (o.resolvedAt(now)) {
        // The latest explicit resolution wins when both are resolved.
        if (a.resolvedAt(now) && a.endsAtMs > o.endsAtMs)
            res.endsAtMs = a.endsAtMs;
    } else if (a.endsAtMs > o.endsAtMs && !a.timeout) {
        // A non-timeout end time rules if it is the latest.
        res.endsAtMs = a.endsAtMs;
    }
    return res;
}

} // namespace opsdeck::telemetry::alerting
