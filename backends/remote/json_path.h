#pragma once
// Small helpers shared by the Prometheus and Alertmanager decoders: parse with a byte
// offset in the error, and read typed fields while carrying the JSON path for messages
// ("data.result[2].metric.job: expected a string"). Internal to backends/remote; no Qt.
#include "backends/telemetry/labels.h"
#include "backends/telemetry/result.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>

namespace opsdeck::remote::json_path {

using nlohmann::json;

// `what` names the document ("Prometheus /api/v1/query response").
inline Result<json> parseDocument(std::string_view body, const std::string &what)
{
    if (body.empty())
        return Error{what + ": empty body"};
    try {
        return json::parse(body);
    } catch (const json::parse_error &e) {
        const bool truncated = e.byte >= body.size();
        std::string head(body.substr(0, 60));
        for (char &c : head)
            if (c == '\n' || c == '\r')
                c = ' ';
        return Error{what + (truncated ? ": truncated JSON (ended after " : ": malformed JSON at byte ")
                     + std::to_string(truncated ? body.size() : e.byte) + (truncated ? " bytes)" : "")
                     + " starting \"" + head + (body.size() > 60 ? "...\"" : "\"")};
    }
}

inline std::string typeName(const json &j)
{
    return j.type_name(); // "object", "array", "string", "number", "null", ...
}

inline Error wrongType(const std::string &path, const char *expected, const json &got)
{
    return Error{path + ": expected " + expected + ", got " + typeName(got)};
}

// Required string field.
inline Result<std::string> string(const json &obj, const char *field, const std::string &path)
{
    auto it = obj.find(field);
    if (it == obj.end())
        return Error{path + "." + field + ": missing"};
    if (!it->is_string())
        return wrongType(path + "." + field, "a string", *it);
    return it->get<std::string>();
}

// Optional string field: "" when absent or null.
inline Result<std::string> optionalString(const json &obj, const char *field, const std::string &path)
{
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null())
        return std::string();
    if (!it->is_string())
        return wrongType(path + "." + field, "a string", *it);
    return it->get<std::string>();
}

// Optional number field: 0 when absent or null.
inline Result<double> optionalNumber(const json &obj, const char *field, const std::string &path)
{
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null())
        return 0.0;
    if (!it->is_number())
        return wrongType(path + "." + field, "a number", *it);
    return it->get<double>();
}

// {"name":"value",...} with string values; absent or null -> empty map.
inline Result<std::map<std::string, std::string>> stringMap(const json &obj, const char *field,
                                                            const std::string &path)
{
    std::map<std::string, std::string> out;
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null())
        return out;
    if (!it->is_object())
        return wrongType(path + "." + field, "an object", *it);
    for (auto kv = it->begin(); kv != it->end(); ++kv) {
        if (!kv.value().is_string())
            return wrongType(path + "." + field + "." + kv.key(), "a string", kv.value());
        out.emplace(kv.key(), kv.value().get<std::string>());
    }
    return out;
}

inline Result<telemetry::Labels> labels(const json &obj, const char *field, const std::string &path)
{
    auto map = stringMap(obj, field, path);
    if (!map)
        return Error{map.error()};
    std::vector<telemetry::Label> items(map->begin(), map->end());
    return telemetry::Labels(std::move(items));
}

} // namespace opsdeck::remote::json_path
