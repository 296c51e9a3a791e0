#pragma once
// Typed, path-tracking reads from Kubernetes JSON for the decoders. The first failure is
// kept with its JSON path; later reads still return defaults so decoding code stays
// linear. Internal to kube_decode (plain C++, no Qt).
#include "../telemetry/result.h"
#include "kube_decode.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <functional>
#include <string>

namespace opsdeck::remote::kube {

class Fields {
public:
    explicit Fields(std::string path) : m_path(std::move(path)) {}

    Fields child(const std::string &name) const { return Fields(join(name)); }
    bool ok() const { return m_error.empty(); }
    const std::string &error() const { return m_error; }
    void fail(const std::string &field, const std::string &why) {
        if (m_error.empty())
            m_error = join(field) + ": " + why;
    }
    // Takes over another reader's first error; returns whether it was fine.
    bool absorb(const Fields &other) {
        if (!other.ok() && m_error.empty())
            m_error = other.m_error;
        return other.ok();
    }

    // Missing or null: nullptr (an error only when required). Not an object: error.
    const nlohmann::json *object(const nlohmann::json &parent, const char *key, bool required = false);
    std::string string(const nlohmann::json &parent, const char *key, bool required = false,
                       const std::string &fallback = {});
    std::int64_t integer(const nlohmann::json &parent, const char *key, std::int64_t fallback);
    bool boolean(const nlohmann::json &parent, const char *key, bool fallback);
    sim::StringMap stringMap(const nlohmann::json &parent, const char *key);
    std::int64_t timestamp(const nlohmann::json &parent, const char *key); // 0 when absent
    double quantity(const nlohmann::json &parent, const char *key, double fallback);
    void forEach(const nlohmann::json &parent, const char *key,
                 const std::function<void(Fields &, const nlohmann::json &)> &visit);

private:
    std::string join(const std::string &name) const { return m_path.empty() ? name : m_path + "." + name; }
    const nlohmann::json *find(const nlohmann::json &parent, const char *key) const;
    void wrongType(const char *key, const char *expected, const nlohmann::json &got);

    std::string m_path;
    std::string m_error;
};

std::optional<Status> decodeStatusJson(const nlohmann::json &doc);
// "malformed JSON at byte 17 of 40: unexpected end of input (truncated?)"
std::string describeParseError(std::string_view text);

} // namespace opsdeck::remote::kube
