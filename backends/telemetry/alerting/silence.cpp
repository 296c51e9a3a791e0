#include "silence.h"

#include <algorithm>
#include <cstdio>

namespace opsdeck::telemetry::alerting {

namespace {

// splitmix64: ids look like Alertmanager's UUIDs but are deterministic per store.
std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

Result<bool> validate(const SilenceSpec &spec, std::int64_t startsAtMs)
{
    if (spec.matchers.empty())
        return Error{"silence: matchers must have at least one item"};
    const Labels empty;
    if (std::all_of(spec.matchers.begin(), spec.matchers.end(),
                    [&](const Matcher &m) { return m.matches(empty); }))
        return Error{"silence: at least one matcher must not match the empty string "
                     "(otherwise it would silence every alert)"};
    if (spec.endsAtMs <= startsAtMs)
        return Error{"silence: endsAt must be after startsAt"};
    return true;
}

} // namespace

std::string silenceStateName(SilenceState s)
{
    switch (s) {
    case SilenceState::Pending: return "pending";
    case SilenceState::Active: return "active";
    case SilenceState::Expired: return "expired";
    }
    return "expired";
}

SilenceState Silence::stateAt(std::int64_t nowMs) const
{
    if (nowMs < startsAtMs)
        return SilenceState::Pending;
    if (nowMs < endsAtMs)
        return SilenceState::Active;
    return SilenceState::Expired;
}

std::string SilenceStore::nextId()
{
    const std::uint64_t a = mix(++m_idCounter);
    const std::uint64_t b = mix(a ^ 0x5851f42d4c957f2dull);
    char buf[37];
    std::snprintf(buf, sizeof buf, "%08llx-%04llx-4%03llx-%04llx-%012llx",
                  static_cast<unsigned long long>(a >> 32),
                  static_cast<unsigned long long>((a >> 16) & 0xffff),
                  static_cast<unsigned long long>(a & 0xfff),
                  static_cast<unsigned long long>(0x8000 | ((b >> 48) & 0x3fff)),
                  static_cast<unsigned long long>(b & 0xffffffffffffull));
    return buf;
}

Silence *SilenceStore::findMutable(const std::string &id)
{
    auto it = std::find_if(m_silences.begin(), m_silences.end(),
                           [&](const Silence &s) { return s.id == id; });
    return it == m_silences.end() ? nullptr : &*it;
}

const Silence *SilenceStore::find(const std::string &id) const
{
    return const_cast<SilenceStore *>(this)->findMutable(id);
}

Result<std::string> SilenceStore::set(const SilenceSpec &spec, std::int64_t nowMs)
{
    if (spec.endsAtMs != 0 && spec.endsAtMs < nowMs)
        return Error{"silence: endsAt can't be in the past"};
    Silence *previous = spec.id.empty() ? nullptr : findMutable(spec.id);
    if (!spec.id.empty() && !previous)
        return Error{"silence " + spec.id + ": not found"};

    if (previous) {
        // Alertmanager's canUpdate: same matchers, and the change must not rewrite history.
        const SilenceState state = previous->stateAt(nowMs);
        const bool sameMatchers = previous->matchers == spec.matchers;
        bool inPlace = false;
        if (sameMatchers && state == SilenceState::Pending)
            inPlace = spec.startsAtMs >= nowMs || spec.startsAtMs == 0;
        else if (sameMatchers && state == SilenceState::Active)
            inPlace = spec.startsAtMs == previous->startsAtMs;
        if (inPlace) {
            const std::int64_t startsAt = state == SilenceState::Active
                ? previous->startsAtMs
                : std::max(spec.startsAtMs, nowMs);
            auto ok = validate(spec, startsAt);
            if (!ok)
                return Error{ok.error()};
            previous->startsAtMs = startsAt;
            previous->endsAtMs = spec.endsAtMs;
            previous->comment = spec.comment;
            previous->createdBy = spec.createdBy;
            previous->updatedAtMs = nowMs;
            return previous->id;
        }
    }

    Silence s;
    s.matchers = spec.matchers;
    s.startsAtMs = std::max(spec.startsAtMs, nowMs); // a start in the past becomes now
    s.endsAtMs = spec.endsAtMs;
    s.createdBy = spec.createdBy;
    s.comment = spec.comment;
    s.updatedAtMs = nowMs;
    auto ok = validate(spec, s.startsAtMs);
    if (!ok)
        return Error{ok.error()};
    if (previous && previous->stateAt(nowMs) != SilenceState::Expired)
        expire(previous->id, nowMs);
    s.id = nextId();
    m_silences.push_back(std::move(s));
    return m_silences.back().id;
}

Result<bool> SilenceStore::expire(const std::string &id, std::int64_t nowMs)
{
    Silence *s = findMutable(id);
    if (!s)
        return Error{"silence " + id + ": not found"};
    const SilenceState state = s->stateAt(nowMs);
    if (state == SilenceState::Expired)
        return Error{"silence " + id + ": already expired"};
    if (state == SilenceState::Pending)
        s->startsAtMs = nowMs;
    s->endsAtMs = nowMs;
    s->updatedAtMs = nowMs;
    return true;
}

std::vector<std::string> SilenceStore::silencedBy(const Labels &labels, std::int64_t nowMs) const
{
    std::vector<std::string> ids;
    for (const auto &s : m_silences)
        if (s.mutes(labels, nowMs))
            ids.push_back(s.id);
    return ids;
}

void SilenceStore::gc(std::int64_t nowMs, std::int64_t retentionMs)
{
    std::erase_if(m_silences, [&](const Silence &s) {
        return s.stateAt(nowMs) == SilenceState::Expired && s.endsAtMs + retentionMs <= nowMs;
    });
}

} // namespace opsdeck::telemetry::alerting
