#include "rule_alert_sender.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

namespace opsdeck::telemetry::alerting {

namespace {

// Go's url.QueryEscape: unreserved bytes stay, space becomes '+', the rest %XX.
std::string queryEscape(std::string_view s)
{
    static const char *hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else if (c == ' ') {
            out += '+';
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string shortestDouble(double v)
{
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::string();
}

} // namespace

std::string generatorUrl(std::string_view externalUrl, std::string_view expr)
{
    std::string base(externalUrl);
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base + "/graph?g0.expr=" + queryEscape(expr) + "&g0.tab=1";
}

std::vector<PostableAlert> RuleAlertSender::collect(const std::vector<rules::Alert> &alerts,
                                                    std::string_view expr, std::int64_t tMs)
{
    const std::int64_t lease = 4 * std::max(m_options.resendDelayMs, m_options.evaluationIntervalMs);
    std::vector<PostableAlert> out;
    std::set<Labels> listed;
    for (const auto &a : alerts) {
        listed.insert(a.labels);
        if (a.state == rules::AlertState::Pending)
            continue;
        auto last = m_lastSentAtMs.find(a.labels);
        const bool neverSent = last == m_lastSentAtMs.end();
        const bool resolvedSinceLastSend = a.resolvedAtMs && (neverSent || *a.resolvedAtMs > last->second);
        const bool resendDue = neverSent || last->second + m_options.resendDelayMs < tMs;
        if (!resolvedSinceLastSend && !resendDue)
            continue;
        if (a.state == rules::AlertState::Inactive && !a.resolvedAtMs)
            continue; // never fired: nothing the queue needs to hear about

        PostableAlert p;
        p.labels = a.labels;
        for (const auto &[name, value] : a.annotations)
            p.annotations[name] = value;
        p.startsAtMs = a.firedAtMs.value_or(a.activeAtMs);
        p.endsAtMs = a.resolvedAtMs ? *a.resolvedAtMs : tMs + lease;
        p.generatorURL = generatorUrl(m_options.externalUrl, expr);
        p.value = shortestDouble(a.value);
        out.push_back(std::move(p));
        m_lastSentAtMs[a.labels] = tMs;
    }
    // Forget alerts the rule no longer lists, so a later return starts afresh.
    std::erase_if(m_lastSentAtMs, [&](const auto &kv) { return !listed.count(kv.first); });
    return out;
}

} // namespace opsdeck::telemetry::alerting
