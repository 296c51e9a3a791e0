#include "alert_json.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>

namespace opsdeck::telemetry::alerting {

using nlohmann::json;

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civilFromDays(std::int64_t z, std::int64_t &y, unsigned &m, unsigned &d)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

const std::int64_t kGoZeroTimeMs = daysFromCivil(1, 1, 1) * kDayMs;

Result<std::int64_t> timeField(const json &obj, const char *field, const std::string &where)
{
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null())
        return std::int64_t{0};
    if (!it->is_string())
        return Error{where + "." + field + ": expected an RFC 3339 string"};
    auto t = parseRfc3339Ms(it->get<std::string>());
    if (!t)
        return Error{where + "." + field + ": " + t.error()};
    return t;
}

Result<std::string> stringField(const json &obj, const char *field, const std::string &where)
{
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null())
        return std::string();
    if (!it->is_string())
        return Error{where + "." + field + ": expected a string"};
    return it->get<std::string>();
}

Result<std::map<std::string, std::string>> stringMap(const json &obj, const char *field,
                                                     const std::string &where)
{
    std::map<std::string, std::string> out;
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null())
        return out;
    if (!it->is_object())
        return Error{where + "." + field + ": expected an object of strings"};
    for (const auto &[k, v] : it->items()) {
        if (!v.is_string())
            return Error{where + "." + field + "." + k + ": expected a string"};
        out[k] = v.get<std::string>();
    }
    return out;
}

json labelsJson(const Labels &labels)
{
    json out = json::object();
    for (const auto &[k, v] : labels.items())
        out[k] = v;
    return out;
}

json alertCore(const Alert &a)
{
    return json{{"labels", labelsJson(a.labels)},
                {"annotations", json(a.annotations)},
                {"startsAt", formatRfc3339Ms(a.startsAtMs)},
                {"endsAt", formatRfc3339Ms(a.endsAtMs)},
                {"generatorURL", a.generatorURL},
                {"fingerprint", fingerprintToString(a.fingerprint)}};
}

json matcherJson(const Matcher &m)
{
    return json{{"name", m.name()}, {"value", m.value()}, {"isRegex", m.isRegex()},
                {"isEqual", m.isEqual()}};
}

} // namespace

Result<std::int64_t> parseRfc3339Ms(std::string_view s)
{
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)
    auto digits = [&](std::size_t pos, std::size_t n, int &out) {
        if (pos + n > s.size())
            return false;
        out = 0;
        for (std::size_t i = pos; i < pos + n; ++i) {
            if (!std::isdigit(static_cast<unsigned char>(s[i])))
                return false;
            out = out * 10 + (s[i] - '0');
        }
        return true;
    };
    const std::string bad = "'" + std::string(s) + "' is not an RFC 3339 time";
    int y, mo, d, h, mi, sec;
    if (!digits(0, 4, y) || s.size() < 20 || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-'
        || !digits(8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(11, 2, h)
        || s[13] != ':' || !digits(14, 2, mi) || s[16] != ':' || !digits(17, 2, sec))
        return Error{bad + " (expected YYYY-MM-DDTHH:MM:SS)"};
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return Error{bad + " (field out of range)"};
    std::size_t pos = 19;
    std::int64_t ms = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int scale = 100, n = 0;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
            ms += (s[pos] - '0') * scale; // digits beyond milliseconds are truncated
            scale /= 10;
            ++pos;
            ++n;
        }
        if (n == 0)
            return Error{bad + " (empty fraction)"};
    }
    std::int64_t offsetMin = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int oh, om;
        if (!digits(pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':'
            || !digits(pos + 4, 2, om))
            return Error{bad + " (bad UTC offset)"};
        offsetMin = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
        pos += 6;
    } else {
        return Error{bad + " (missing Z or UTC offset)"};
    }
    if (pos != s.size())
        return Error{bad + " (trailing text)"};
    const std::int64_t t = daysFromCivil(y, unsigned(mo), unsigned(d)) * kDayMs
        + ((std::int64_t{h} * 60 + mi - offsetMin) * 60 + sec) * 1000 + ms;
    return t == kGoZeroTimeMs ? 0 : t;
}

std::string formatRfc3339Ms(std::int64_t epochMs)
{
    if (epochMs == 0)
        return "0001-01-01T00:00:00Z";
    const std::int64_t days = epochMs >= 0 ? epochMs / kDayMs : -((-epochMs + kDayMs - 1) / kDayMs);
    const std::int64_t msOfDay = epochMs - days * kDayMs;
    std::int64_t y;
    unsigned m, d;
    civilFromDays(days, y, m, d);
    // msOfDay is in [0, 86'400'000): unsigned fields keep the printed widths fixed.
    const auto msInDay = static_cast<unsigned>(msOfDay);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", static_cast<long long>(y),
                  m, d, msInDay / 3'600'000u % 24u, msInDay / 60'000u % 60u, msInDay / 1000u % 60u,
                  msInDay % 1000u);
    return buf;
}

Result<std::vector<PostableAlert>> parsePostableAlerts(std::string_view text)
{
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded())
        return Error{"alerts: not valid JSON"};
    if (!doc.is_array())
        return Error{"alerts: expected a JSON array of alerts"};
    std::vector<PostableAlert> out;
    for (std::size_t i = 0; i < doc.size(); ++i) {
        const json &a = doc[i];
        const std::string where = "alerts[" + std::to_string(i) + "]";
        if (!a.is_object())
            return Error{where + ": expected an object"};
        PostableAlert p;
        auto labels = stringMap(a, "labels", where);
        auto annotations = stringMap(a, "annotations", where);
        auto starts = timeField(a, "startsAt", where);
        auto ends = timeField(a, "endsAt", where);
        auto url = stringField(a, "generatorURL", where);
        for (const std::string *err : {labels ? nullptr : &labels.error(),
                                       annotations ? nullptr : &annotations.error(),
                                       starts ? nullptr : &starts.error(), ends ? nullptr : &ends.error(),
                                       url ? nullptr : &url.error()})
            if (err)
                return Error{*err};
        p.labels = Labels(std::vector<Label>(labels->begin(), labels->end()));
        p.annotations = *annotations;
        p.startsAtMs = *starts;
        p.endsAtMs = *ends;
        p.generatorURL = *url;
        out.push_back(std::move(p));
    }
    return out;
}

Result<SilenceSpec> parsePostableSilence(std::string_view text)
{
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded())
        return Error{"silence: not valid JSON"};
    if (!doc.is_object())
        return Error{"silence: expected a JSON object"};
    SilenceSpec spec;
    auto id = stringField(doc, "id", "silence");
    auto createdBy = stringField(doc, "createdBy", "silence");
    auto comment = stringField(doc, "comment", "silence");
    auto starts = timeField(doc, "startsAt", "silence");
    auto ends = timeField(doc, "endsAt", "silence");
    for (const std::string *err : {id ? nullptr : &id.error(), createdBy ? nullptr : &createdBy.error(),
                                   comment ? nullptr : &comment.error(), starts ? nullptr : &starts.error(),
                                   ends ? nullptr : &ends.error()})
        if (err)
            return Error{*err};
    spec.id = *id;
    spec.createdBy = *createdBy;
    spec.comment = *comment;
    spec.startsAtMs = *starts;
    spec.endsAtMs = *ends;
    auto matchers = doc.find("matchers");
    if (matchers == doc.end() || !matchers->is_array() || matchers->empty())
        return Error{"silence.matchers: should have at least 1 items"};
    for (std::size_t i = 0; i < matchers->size(); ++i) {
        const json &m = (*matchers)[i];
        const std::string where = "silence.matchers[" + std::to_string(i) + "]";
        if (!m.is_object() || !m.contains("name") || !m["name"].is_string() || !m.contains("value")
            || !m["value"].is_string())
            return Error{where + ": needs string fields name and value"};
        const bool isRegex = m.value("isRegex", false);
        const bool isEqual = m.value("isEqual", true); // left out means equal, as in the API
        const auto op = isRegex ? (isEqual ? Matcher::Op::RegexMatch : Matcher::Op::RegexNoMatch)
                                : (isEqual ? Matcher::Op::Equal : Matcher::Op::NotEqual);
        auto matcher = Matcher::create(m["name"].get<std::string>(), op, m["value"].get<std::string>());
        if (!matcher)
            return Error{where + ": " + matcher.error()};
        spec.matchers.push_back(std::move(matcher.value()));
    }
    return spec;
}

std::string gettableAlertsJson(const std::vector<QueuedAlert> &alerts, const std::string &receiver)
{
    json out = json::array();
    for (const auto &q : alerts) {
        json a = alertCore(q.alert);
        a["updatedAt"] = formatRfc3339Ms(q.alert.updatedAtMs);
        a["receivers"] = json::array({json{{"name", receiver}}});
        a["status"] = json{{"state", alertStateName(q.status.state)},
                           {"silencedBy", q.status.silencedBy},
                           {"inhibitedBy", q.status.inhibitedBy}};
        out.push_back(std::move(a));
    }
    return out.dump();
}

std::string gettableSilencesJson(const std::vector<Silence> &silences, std::int64_t nowMs)
{
    json out = json::array();
    for (const auto &s : silences) {
        json matchers = json::array();
        for (const auto &m : s.matchers)
            matchers.push_back(matcherJson(m));
        out.push_back(json{{"id", s.id},
                           {"status", json{{"state", silenceStateName(s.stateAt(nowMs))}}},
                           {"updatedAt", formatRfc3339Ms(s.updatedAtMs)},
                           {"comment", s.comment},
                           {"createdBy", s.createdBy},
                           {"startsAt", formatRfc3339Ms(s.startsAtMs)},
                           {"endsAt", formatRfc3339Ms(s.endsAtMs)},
                           {"matchers", matchers}});
    }
    return out.dump();
}

std::string webhookJson(const Notification &n, const std::string &externalURL)
{
    json alerts = json::array();
    auto add = [&](const Alert &a, const char *status) {
        json j = alertCore(a);
        j["status"] = status;
        alerts.push_back(std::move(j));
    };
    for (const auto &a : n.firing)
        add(a, "firing");
    for (const auto &a : n.resolved)
        add(a, "resolved");

    // commonLabels / commonAnnotations: the pairs every alert in the message shares.
    auto common = [&](auto get) {
        json out = json::object();
        bool first = true;
        std::map<std::string, std::string> shared;
        auto visit = [&](const Alert &a) {
            const std::map<std::string, std::string> pairs = get(a);
            if (first) {
                shared = pairs;
                first = false;
                return;
            }
            std::erase_if(shared, [&](const auto &kv) {
                auto it = pairs.find(kv.first);
                return it == pairs.end() || it->second != kv.second;
            });
        };
        for (const auto &a : n.firing)
            visit(a);
        for (const auto &a : n.resolved)
            visit(a);
        for (const auto &[k, v] : shared)
            out[k] = v;
        return out;
    };
    const json commonLabels = common([](const Alert &a) {
        return std::map<std::string, std::string>(a.labels.items().begin(), a.labels.items().end());
    });
    const json commonAnnotations = common([](const Alert &a) { return a.annotations; });

    return json{{"receiver", n.receiver},
                {"status", n.isResolved() ? "resolved" : "firing"},
                {"alerts", alerts},
                {"groupLabels", labelsJson(n.groupLabels)},
                {"commonLabels", commonLabels},
                {"commonAnnotations", commonAnnotations},
                {"externalURL", externalURL},
                {"version", "4"},
                {"groupKey", n.groupKey},
                {"truncatedAlerts", 0}}
        .dump();
}

} // namespace opsdeck::telemetry::alerting
