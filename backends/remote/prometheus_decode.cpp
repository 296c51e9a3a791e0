#include "prometheus_decode.h"

#include "json_path.h"

#include "backends/telemetry/alerting/alert_json.h"

#include <cmath>
#include <cstdlib>
#include <limits>

namespace opsdeck::remote {

using nlohmann::json;
using telemetry::promql::Value;
using telemetry::promql::ValueType;
namespace jp = json_path;

namespace {

// Unwraps the envelope: the `data` member on success, the server's error otherwise.
Result<json> envelopeData(std::string_view body, const std::string &what)
{
    auto doc = jp::parseDocument(body, what);
    if (!doc)
        return Error{doc.error()};
    if (!doc->is_object())
        return Error{what + ": expected a JSON object with \"status\", got " + jp::typeName(*doc)};
    auto status = jp::string(*doc, "status", what);
    if (!status)
        return Error{status.error()};
    if (*status == "error") {
        const std::string type = doc->value("errorType", std::string("error"));
        const std::string message = doc->value("error", std::string("(no message)"));
        return Error{"Prometheus " + type + ": " + message};
    }
    if (*status != "success")
        return Error{what + ".status: unknown value \"" + *status + "\""};
    auto data = doc->find("data");
    if (data == doc->end())
        return Error{what + ".data: missing"};
    return std::move(*data);
}

Result<std::int64_t> timestampMs(const json &t, const std::string &path)
{
    if (!t.is_number())
        return jp::wrongType(path, "a unix time in seconds", t);
    const double seconds = t.get<double>();
    if (!std::isfinite(seconds) || std::abs(seconds) > 1e13)
        return Error{path + ": time out of range"};
    return static_cast<std::int64_t>(std::llround(seconds * 1000));
}

// [1795869754.691,"4"]
Result<telemetry::Point> samplePair(const json &pair, const std::string &path)
{
    if (!pair.is_array() || pair.size() != 2)
        return Error{path + ": expected [time, \"value\"]"};
    auto t = timestampMs(pair[0], path + "[0]");
    if (!t)
        return Error{t.error()};
    if (!pair[1].is_string())
        return jp::wrongType(path + "[1]", "a string", pair[1]);
    auto v = parsePrometheusFloat(pair[1].get_ref<const std::string &>());
    if (!v)
        return Error{path + "[1]: " + v.error()};
    return telemetry::Point{*t, *v};
}

Result<Value> decodeVector(const json &result, const std::string &path)
{
    if (!result.is_array())
        return jp::wrongType(path, "an array", result);
    Value out;
    out.type = ValueType::Vector;
    out.vector.reserve(result.size());
    for (std::size_t i = 0; i < result.size(); ++i) {
        const std::string where = path + "[" + std::to_string(i) + "]";
        const json &s = result[i];
        if (!s.is_object())
            return jp::wrongType(where, "an object", s);
        auto metric = jp::labels(s, "metric", where);
        if (!metric)
            return Error{metric.error()};
        auto value = s.find("value");
        if (value == s.end())
            return Error{where + ".value: missing"};
        auto point = samplePair(*value, where + ".value");
        if (!point)
            return Error{point.error()};
        out.vector.push_back({std::move(*metric), point->v});
    }
    return out;
}

Result<Value> decodeMatrix(const json &result, const std::string &path)
{
    if (!result.is_array())
        return jp::wrongType(path, "an array", result);
    Value out;
    out.type = ValueType::Matrix;
    out.matrix.reserve(result.size());
    for (std::size_t i = 0; i < result.size(); ++i) {
        const std::string where = path + "[" + std::to_string(i) + "]";
        const json &s = result[i];
        if (!s.is_object())
            return jp::wrongType(where, "an object", s);
        auto metric = jp::labels(s, "metric", where);
        if (!metric)
            return Error{metric.error()};
        auto values = s.find("values");
        if (values == s.end() || !values->is_array())
            return Error{where + ".values: expected an array of [time, \"value\"]"};
        telemetry::promql::RangeSeries series;
        series.metric = std::move(*metric);
        series.points.reserve(values->size());
        for (std::size_t k = 0; k < values->size(); ++k) {
            auto point = samplePair((*values)[k], where + ".values[" + std::to_string(k) + "]");
            if (!point)
                return Error{point.error()};
            series.points.push_back(*point);
        }
        out.matrix.push_back(std::move(series));
    }
    return out;
}

Result<PrometheusAlert> decodeAlert(const json &a, const std::string &where)
{
    if (!a.is_object())
        return jp::wrongType(where, "an object", a);
    PrometheusAlert out;
    auto labels = jp::labels(a, "labels", where);
    auto annotations = jp::stringMap(a, "annotations", where);
    auto state = jp::string(a, "state", where);
    auto activeAt = jp::optionalString(a, "activeAt", where);
    auto value = jp::optionalString(a, "value", where);
    if (!labels)
        return Error{labels.error()};
    if (!annotations)
        return Error{annotations.error()};
    if (!state)
        return Error{state.error()};
    if (!activeAt)
        return Error{activeAt.error()};
    if (!value)
        return Error{value.error()};
    if (!activeAt->empty()) {
        auto t = telemetry::alerting::parseRfc3339Ms(*activeAt);
        if (!t)
            return Error{where + ".activeAt: " + t.error()};
        out.activeAtMs = *t;
    }
    out.labels = std::move(*labels);
    out.annotations = std::move(*annotations);
    out.state = std::move(*state);
    out.value = std::move(*value);
    return out;
}

Result<std::vector<PrometheusAlert>> decodeAlertArray(const json &obj, const char *field,
                                                      const std::string &path)
{
    std::vector<PrometheusAlert> out;
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null())
        return out;
    if (!it->is_array())
        return jp::wrongType(path + "." + field, "an array", *it);
    for (std::size_t i = 0; i < it->size(); ++i) {
        auto alert = decodeAlert((*it)[i], path + "." + field + "[" + std::to_string(i) + "]");
        if (!alert)
            return Error{alert.error()};
        out.push_back(std::move(*alert));
    }
    return out;
}

Result<PrometheusRule> decodeRule(const json &r, const std::string &where)
{
    if (!r.is_object())
        return jp::wrongType(where, "an object", r);
    PrometheusRule rule;
    auto name = jp::string(r, "name", where);
    auto type = jp::string(r, "type", where);
    auto query = jp::optionalString(r, "query", where);
    auto state = jp::optionalString(r, "state", where);
    auto health = jp::optionalString(r, "health", where);
    auto lastError = jp::optionalString(r, "lastError", where);
    auto duration = jp::optionalNumber(r, "duration", where);
    auto labels = jp::labels(r, "labels", where);
    auto annotations = jp::stringMap(r, "annotations", where);
    auto alerts = decodeAlertArray(r, "alerts", where);
    for (const std::string *err :
         {name ? nullptr : &name.error(), type ? nullptr : &type.error(), query ? nullptr : &query.error(),
          state ? nullptr : &state.error(), health ? nullptr : &health.error(),
          lastError ? nullptr : &lastError.error(), duration ? nullptr : &duration.error(),
          labels ? nullptr : &labels.error(), annotations ? nullptr : &annotations.error(),
          alerts ? nullptr : &alerts.error()})
        if (err)
            return Error{*err};
    rule.name = std::move(*name);
    rule.type = std::move(*type);
    rule.query = std::move(*query);
    rule.state = std::move(*state);
    rule.health = std::move(*health);
    rule.lastError = std::move(*lastError);
    rule.forSeconds = *duration;
    rule.labels = std::move(*labels);
    rule.annotations = std::move(*annotations);
    rule.alerts = std::move(*alerts);
    return rule;
}

} // namespace

Result<double> parsePrometheusFloat(std::string_view text)
{
    if (text == "NaN")
        return std::numeric_limits<double>::quiet_NaN();
    if (text == "+Inf" || text == "Inf")
        return std::numeric_limits<double>::infinity();
    if (text == "-Inf")
        return -std::numeric_limits<double>::infinity();
    const std::string copy(text);
    if (copy.empty())
        return Error{"expected a number, got an empty string"};
    char *end = nullptr;
    const double v = std::strtod(copy.c_str(), &end);
    // strtod also takes "inf", "nan(...)" and hex floats; Prometheus prints none of those.
    const bool plainDecimal = copy.find_first_not_of("0123456789+-.eE") == std::string::npos;
    if (end != copy.c_str() + copy.size() || !plainDecimal)
        return Error{"expected a number, got \"" + copy + "\""};
    return v;
}

Result<Value> decodePrometheusQuery(std::string_view body)
{
    const std::string what = "Prometheus query response";
    auto data = envelopeData(body, what);
    if (!data)
        return Error{data.error()};
    if (!data->is_object())
        return jp::wrongType("data", "an object", *data);
    auto type = jp::string(*data, "resultType", "data");
    if (!type)
        return Error{type.error()};
    auto result = data->find("result");
    if (result == data->end())
        return Error{"data.result: missing"};
    if (*type == "vector")
        return decodeVector(*result, "data.result");
    if (*type == "matrix")
        return decodeMatrix(*result, "data.result");
    if (*type == "scalar" || *type == "string") {
        if (!result->is_array() || result->size() != 2 || !(*result)[1].is_string())
            return Error{"data.result: expected [time, \"value\"]"};
        auto t = timestampMs((*result)[0], "data.result[0]");
        if (!t)
            return Error{t.error()};
        Value out;
        if (*type == "string") {
            out.type = ValueType::String;
            out.string = (*result)[1].get<std::string>();
            return out;
        }
        auto v = parsePrometheusFloat((*result)[1].get_ref<const std::string &>());
        if (!v)
            return Error{"data.result[1]: " + v.error()};
        out.type = ValueType::Scalar;
        out.scalar = *v;
        return out;
    }
    return Error{"data.resultType: unknown result type \"" + *type + "\""};
}

Result<std::vector<PrometheusRuleGroup>> decodePrometheusRules(std::string_view body)
{
    auto data = envelopeData(body, "Prometheus /api/v1/rules response");
    if (!data)
        return Error{data.error()};
    if (!data->is_object())
        return jp::wrongType("data", "an object", *data);
    auto groups = data->find("groups");
    if (groups == data->end() || !groups->is_array())
        return Error{"data.groups: expected an array"};
    std::vector<PrometheusRuleGroup> out;
    for (std::size_t g = 0; g < groups->size(); ++g) {
        const std::string where = "data.groups[" + std::to_string(g) + "]";
        const json &grp = (*groups)[g];
        if (!grp.is_object())
            return jp::wrongType(where, "an object", grp);
        PrometheusRuleGroup group;
        auto name = jp::string(grp, "name", where);
        auto file = jp::optionalString(grp, "file", where);
        auto interval = jp::optionalNumber(grp, "interval", where);
        if (!name)
            return Error{name.error()};
        if (!file)
            return Error{file.error()};
        if (!interval)
            return Error{interval.error()};
        group.name = std::move(*name);
        group.file = std::move(*file);
        group.intervalSeconds = *interval;
        auto rules = grp.find("rules");
        if (rules == grp.end() || !rules->is_array())
            return Error{where + ".rules: expected an array"};
        for (std::size_t r = 0; r < rules->size(); ++r) {
            auto rule = decodeRule((*rules)[r], where + ".rules[" + std::to_string(r) + "]");
            if (!rule)
                return Error{rule.error()};
            group.rules.push_back(std::move(*rule));
        }
        out.push_back(std::move(group));
    }
    return out;
}

Result<std::vector<PrometheusAlert>> decodePrometheusAlerts(std::string_view body)
{
    auto data = envelopeData(body, "Prometheus /api/v1/alerts response");
    if (!data)
        return Error{data.error()};
    if (!data->is_object())
        return jp::wrongType("data", "an object", *data);
    if (!data->contains("alerts"))
        return Error{"data.alerts: missing"};
    return decodeAlertArray(*data, "alerts", "data");
}

Result<std::vector<PrometheusTarget>> decodePrometheusTargets(std::string_view body)
{
    auto data = envelopeData(body, "Prometheus /api/v1/targets response");
    if (!data)
        return Error{data.error()};
    if (!data->is_object())
        return jp::wrongType("data", "an object", *data);
    auto active = data->find("activeTargets");
    if (active == data->end() || !active->is_array())
        return Error{"data.activeTargets: expected an array"};
    std::vector<PrometheusTarget> out;
    for (std::size_t i = 0; i < active->size(); ++i) {
        const std::string where = "data.activeTargets[" + std::to_string(i) + "]";
        const json &t = (*active)[i];
        if (!t.is_object())
            return jp::wrongType(where, "an object", t);
        PrometheusTarget target;
        auto labels = jp::labels(t, "labels", where);
        auto pool = jp::optionalString(t, "scrapePool", where);
        auto url = jp::optionalString(t, "scrapeUrl", where);
        auto health = jp::string(t, "health", where);
        auto lastError = jp::optionalString(t, "lastError", where);
        auto lastScrape = jp::optionalString(t, "lastScrape", where);
        auto duration = jp::optionalNumber(t, "lastScrapeDuration", where);
        for (const std::string *err :
             {labels ? nullptr : &labels.error(), pool ? nullptr : &pool.error(), url ? nullptr : &url.error(),
              health ? nullptr : &health.error(), lastError ? nullptr : &lastError.error(),
              lastScrape ? nullptr : &lastScrape.error(), duration ? nullptr : &duration.error()})
            if (err)
                return Error{*err};
        if (!lastScrape->empty()) {
            auto ms = telemetry::alerting::parseRfc3339Ms(*lastScrape);
            if (!ms)
                return Error{where + ".lastScrape: " + ms.error()};
            target.lastScrapeMs = *ms;
        }
        target.labels = std::move(*labels);
        target.scrapePool = std::move(*pool);
        target.scrapeUrl = std::move(*url);
        target.health = std::move(*health);
        target.lastError = std::move(*lastError);
        target.lastScrapeDurationSeconds = *duration;
        out.push_back(std::move(target));
    }
    return out;
}

} // namespace opsdeck::remote
