#include "alertmanager_decode.h"

#include "json_path.h"

#include "backends/telemetry/alerting/alert_json.h"
#include "backends/telemetry/alerting/severity.h"

#include <cstdlib>

namespace opsdeck::remote {

using nlohmann::json;
using namespace telemetry::alerting;
namespace jp = json_path;

namespace {

Result<std::int64_t> timeField(const json &obj, const char *field, const std::string &where)
{
    auto text = jp::optionalString(obj, field, where);
    if (!text)
        return Error{text.error()};
    if (text->empty())
        return std::int64_t{0};
    auto t = parseRfc3339Ms(*text);
    if (!t)
        return Error{where + "." + field + ": " + t.error()};
    return t;
}

Result<std::vector<std::string>> stringArray(const json &obj, const char *field, const std::string &where)
{
    std::vector<std::string> out;
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null())
        return out;
    if (!it->is_array())
        return jp::wrongType(where + "." + field, "an array", *it);
    for (std::size_t i = 0; i < it->size(); ++i) {
        if (!(*it)[i].is_string())
            return jp::wrongType(where + "." + field + "[" + std::to_string(i) + "]", "a string", (*it)[i]);
        out.push_back((*it)[i].get<std::string>());
    }
    return out;
}

Result<Fingerprint> parseFingerprint(const std::string &text, const std::string &where)
{
    if (text.empty() || text.size() > 16 || text.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
        return Error{where + ".fingerprint: expected up to 16 hex digits, got \"" + text + "\""};
    return static_cast<Fingerprint>(std::strtoull(text.c_str(), nullptr, 16));
}

Result<QueuedAlert> decodeGettableAlert(const json &a, const std::string &where, std::int64_t nowMs)
{
    if (!a.is_object())
        return jp::wrongType(where, "an object", a);
    auto labels = jp::labels(a, "labels", where);
    auto annotations = jp::stringMap(a, "annotations", where);
    auto fingerprint = jp::optionalString(a, "fingerprint", where);
    auto generatorURL = jp::optionalString(a, "generatorURL", where);
    auto startsAt = timeField(a, "startsAt", where);
    auto endsAt = timeField(a, "endsAt", where);
    auto updatedAt = timeField(a, "updatedAt", where);
    for (const std::string *err :
         {labels ? nullptr : &labels.error(), annotations ? nullptr : &annotations.error(),
          fingerprint ? nullptr : &fingerprint.error(), generatorURL ? nullptr : &generatorURL.error(),
          startsAt ? nullptr : &startsAt.error(), endsAt ? nullptr : &endsAt.error(),
          updatedAt ? nullptr : &updatedAt.error()})
        if (err)
            return Error{*err};
    if (!a.contains("labels") || labels->empty())
        return Error{where + ".labels: an alert needs at least one label"};

    QueuedAlert out;
    out.alert.labels = std::move(*labels);
    out.alert.annotations = std::move(*annotations);
    out.alert.generatorURL = std::move(*generatorURL);
    out.alert.startsAtMs = *startsAt;
    out.alert.endsAtMs = *endsAt;
    out.alert.updatedAtMs = *updatedAt;
    if (fingerprint->empty()) {
        out.alert.fingerprint = fingerprintOf(out.alert.labels);
    } else {
        auto fp = parseFingerprint(*fingerprint, where);
        if (!fp)
            return Error{fp.error()};
        out.alert.fingerprint = *fp;
    }
    out.resolved = nowMs != 0 && out.alert.resolvedAt(nowMs);
    out.severity = severityFromLabel(out.alert.labels.get("severity"));

    auto status = a.find("status");
    if (status != a.end() && !status->is_null()) {
        const std::string sw = where + ".status";
        if (!status->is_object())
            return jp::wrongType(sw, "an object", *status);
        auto state = jp::optionalString(*status, "state", sw);
        auto silencedBy = stringArray(*status, "silencedBy", sw);
        auto inhibitedBy = stringArray(*status, "inhibitedBy", sw);
        if (!state)
            return Error{state.error()};
        if (!silencedBy)
            return Error{silencedBy.error()};
        if (!inhibitedBy)
            return Error{inhibitedBy.error()};
        if (*state == "active")
            out.status.state = AlertStatus::State::Active;
        else if (*state == "suppressed")
            out.status.state = AlertStatus::State::Suppressed;
        else if (*state == "unprocessed" || state->empty())
            out.status.state = AlertStatus::State::Unprocessed;
        else
            return Error{sw + ".state: unknown value \"" + *state + "\""};
        out.status.silencedBy = std::move(*silencedBy);
        out.status.inhibitedBy = std::move(*inhibitedBy);
    }
    return out;
}

Result<std::vector<QueuedAlert>> decodeAlertArray(const json &arr, const std::string &path, std::int64_t nowMs)
{
    if (!arr.is_array())
        return jp::wrongType(path, "an array", arr);
    std::vector<QueuedAlert> out;
    out.reserve(arr.size());
    for (std::size_t i = 0; i < arr.size(); ++i) {
        auto alert = decodeGettableAlert(arr[i], path + "[" + std::to_string(i) + "]", nowMs);
        if (!alert)
            return Error{alert.error()};
        out.push_back(std::move(*alert));
    }
    return out;
}

} // namespace

Result<std::vector<QueuedAlert>> decodeAlertmanagerAlerts(std::string_view body, std::int64_t nowMs)
{
    auto doc = jp::parseDocument(body, "Alertmanager /api/v2/alerts response");
    if (!doc)
        return Error{doc.error()};
    return decodeAlertArray(*doc, "alerts", nowMs);
}

Result<std::vector<AlertmanagerGroup>> decodeAlertmanagerGroups(std::string_view body, std::int64_t nowMs)
{
    auto doc = jp::parseDocument(body, "Alertmanager /api/v2/alerts/groups response");
    if (!doc)
        return Error{doc.error()};
    if (!doc->is_array())
        return jp::wrongType("groups", "an array", *doc);
    std::vector<AlertmanagerGroup> out;
    for (std::size_t i = 0; i < doc->size(); ++i) {
        const std::string where = "groups[" + std::to_string(i) + "]";
        const json &g = (*doc)[i];
        if (!g.is_object())
            return jp::wrongType(where, "an object", g);
        AlertmanagerGroup group;
        auto labels = jp::labels(g, "labels", where);
        if (!labels)
            return Error{labels.error()};
        group.labels = std::move(*labels);
        auto receiver = g.find("receiver");
        if (receiver != g.end() && receiver->is_object()) {
            auto name = jp::optionalString(*receiver, "name", where + ".receiver");
            if (!name)
                return Error{name.error()};
            group.receiver = std::move(*name);
        }
        auto alerts = g.find("alerts");
        if (alerts == g.end())
            return Error{where + ".alerts: missing"};
        auto decoded = decodeAlertArray(*alerts, where + ".alerts", nowMs);
        if (!decoded)
            return Error{decoded.error()};
        group.alerts = std::move(*decoded);
        out.push_back(std::move(group));
    }
    return out;
}

Result<std::vector<Silence>> decodeAlertmanagerSilences(std::string_view body)
{
    auto doc = jp::parseDocument(body, "Alertmanager /api/v2/silences response");
    if (!doc)
        return Error{doc.error()};
    if (!doc->is_array())
        return jp::wrongType("silences", "an array", *doc);
    std::vector<Silence> out;
    for (std::size_t i = 0; i < doc->size(); ++i) {
        const std::string where = "silences[" + std::to_string(i) + "]";
        const json &s = (*doc)[i];
        if (!s.is_object())
            return jp::wrongType(where, "an object", s);
        // The POST body and a GET element share every field parsePostableSilence reads;
        // reuse it so both directions agree on matcher semantics.
        auto spec = parsePostableSilence(s.dump());
        if (!spec)
            return Error{where + ": " + spec.error()};
        auto updatedAt = timeField(s, "updatedAt", where);
        if (!updatedAt)
            return Error{updatedAt.error()};
        Silence silence;
        silence.id = spec->id;
        silence.matchers = spec->matchers;
        silence.startsAtMs = spec->startsAtMs;
        silence.endsAtMs = spec->endsAtMs;
        silence.updatedAtMs = *updatedAt;
        silence.createdBy = spec->createdBy;
        silence.comment = spec->comment;
        out.push_back(std::move(silence));
    }
    return out;
}

std::string encodePostableSilence(const SilenceSpec &spec)
{
    json body = json::object();
    if (!spec.id.empty())
        body["id"] = spec.id;
    json matchers = json::array();
    for (const Matcher &m : spec.matchers) {
        matchers.push_back({{"name", m.name()},
                            {"value", m.value()},
                            {"isRegex", m.isRegex()},
                            {"isEqual", m.isEqual()}});
    }
    body["matchers"] = std::move(matchers);
    body["startsAt"] = formatRfc3339Ms(spec.startsAtMs);
    body["endsAt"] = formatRfc3339Ms(spec.endsAtMs);
    body["createdBy"] = spec.createdBy;
    body["comment"] = spec.comment;
    return body.dump();
}

Result<std::string> decodeSilenceId(std::string_view body)
{
    auto doc = jp::parseDocument(body, "Alertmanager POST /api/v2/silences response");
    if (!doc)
        return Error{doc.error()};
    if (!doc->is_object())
        return jp::wrongType("response", "an object", *doc);
    auto id = jp::string(*doc, "silenceID", "response");
    if (!id)
        return Error{id.error()};
    if (id->empty())
        return Error{"response.silenceID: empty"};
    return id;
}

std::string alertmanagerErrorMessage(int httpStatus, std::string_view body)
{
    const std::string prefix = "Alertmanager HTTP " + std::to_string(httpStatus) + ": ";
    json doc = json::parse(body, nullptr, false);
    if (!doc.is_discarded()) {
        if (doc.is_object() && doc.contains("message") && doc["message"].is_string())
            return prefix + doc["message"].get<std::string>();
        if (doc.is_string())
            return prefix + doc.get<std::string>();
    }
    std::string text(body.substr(0, 300));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    return prefix + (text.empty() ? std::string("(empty body)") : text);
}

} // namespace opsdeck::remote
