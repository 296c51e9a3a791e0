#include "kube_fields.h"

#include <cctype>
#include <cmath>

namespace opsdeck::remote::kube {

using nlohmann::json;

const json *Fields::find(const json &parent, const char *key) const {
    if (!parent.is_object())
        return nullptr;
    auto it = parent.find(key);
    if (it == parent.end() || it->is_null())
        return nullptr;
    return &*it;
}

void Fields::wrongType(const char *key, const char *expected, const json &got) {
    fail(key, std::string("expected ") + expected + ", got " + got.type_name());
}

const json *Fields::object(const json &parent, const char *key, bool required) {
    const json *value = find(parent, key);
    if (!value) {
        if (required)
            fail(key, "missing");
        return nullptr;
    }
    if (!value->is_object()) {
        wrongType(key, "object", *value);
        return nullptr;
    }
    return value;
}

std::string Fields::string(const json &parent, const char *key, bool required,
                           const std::string &fallback) {
    const json *value = find(parent, key);
    if (!value) {
        if (required)
            fail(key, "missing");
        return fallback;
    }
    if (!value->is_string()) {
        wrongType(key, "string", *value);
        return fallback;
    }
    if (required && value->get_ref<const std::string &>().empty())
        fail(key, "empty");
    return value->get<std::string>();
}

std::int64_t Fields::integer(const json &parent, const char *key, std::int64_t fallback) {
    const json *value = find(parent, key);
    if (!value)
        return fallback;
    if (value->is_number_integer())
        return value->get<std::int64_t>();
    if (value->is_number_float()) {
        const double d = value->get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15)
            return std::int64_t(d);
    }
    wrongType(key, "integer", *value);
    return fallback;
}

bool Fields::boolean(const json &parent, const char *key, bool fallback) {
    const json *value = find(parent, key);
    if (!value)
        return fallback;
    if (!value->is_boolean()) {
        wrongType(key, "boolean", *value);
        return fallback;
    }
    return value->get<bool>();
}

sim::StringMap Fields::stringMap(const json &parent, const char *key) {
    sim::StringMap out;
    const json *value = object(parent, key);
    if (!value)
        return out;
    for (auto it = value->begin(); it != value->end(); ++it) {
        if (!it->is_string()) {
            fail(std::string(key) + "[\"" + it.key() + "\"]",
                 std::string("expected string, got ") + it->type_name());
            continue;
        }
        out.emplace(it.key(), it->get<std::string>());
    }
    return out;
}

std::int64_t Fields::timestamp(const json &parent, const char *key) {
    const json *value = find(parent, key);
    if (!value)
        return 0;
    if (!value->is_string()) {
        wrongType(key, "RFC 3339 timestamp string", *value);
        return 0;
    }
    auto ms = parseTimestamp(value->get_ref<const std::string &>());
    if (!ms) {
        fail(key, ms.error());
        return 0;
    }
    return *ms;
}

double Fields::quantity(const json &parent, const char *key, double fallback) {
    const json *value = find(parent, key);
    if (!value)
        return fallback;
    if (value->is_number())
        return value->get<double>();
    if (!value->is_string()) {
        wrongType(key, "quantity string", *value);
        return fallback;
    }
    auto q = parseQuantity(value->get_ref<const std::string &>());
    if (!q) {
        fail(key, q.error());
        return fallback;
    }
    return *q;
}

void Fields::forEach(const json &parent, const char *key,
                     const std::function<void(Fields &, const json &)> &visit) {
    const json *value = find(parent, key);
    if (!value)
        return;
    if (!value->is_array()) {
        wrongType(key, "array", *value);
        return;
    }
    for (std::size_t i = 0; i < value->size(); ++i) {
        Fields item(join(std::string(key) + "[" + std::to_string(i) + "]"));
        visit(item, (*value)[i]);
        if (!absorb(item))
            return;
    }
}

namespace {
// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + std::int64_t(doe) - 719468;
}

bool digits(std::string_view text, std::size_t at, std::size_t count, int &out) {
    if (at + count > text.size())
        return false;
    out = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (!std::isdigit((unsigned char)text[i]))
            return false;
        out = out * 10 + (text[i] - '0');
    }
    return true;
}
} // namespace

Result<std::int64_t> parseTimestamp(std::string_view text) {
    auto bad = [&] {
        return Error{"not an RFC 3339 timestamp: \"" + std::string(text.substr(0, 64)) + "\""};
    };
    int year, month, day, hour, minute, second;
    if (text.size() < 20 || !digits(text, 0, 4, year) || text[4] != '-' ||
        !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) ||
        (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(text, 11, 2, hour) ||
        text[13] != ':' || !digits(text, 14, 2, minute) || text[16] != ':' ||
        !digits(text, 17, 2, second))
        return bad();
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return bad();
    std::size_t at = 19;
    std::int64_t millis = 0;
    if (at < text.size() && text[at] == '.') {
        ++at;
        int scale = 100, count = 0;
        while (at < text.size() && std::isdigit((unsigned char)text[at])) {
            millis += (text[at] - '0') * scale;
            scale /= 10;
            ++at;
            ++count;
        }
        if (count == 0)
            return bad();
    }
    std::int64_t offsetMinutes = 0;
    if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
        ++at;
    } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
        int oh, om;
        if (!digits(text, at + 1, 2, oh) || at + 3 >= text.size() || text[at + 3] != ':' ||
            !digits(text, at + 4, 2, om))
            return bad();
        offsetMinutes = (oh * 60 + om) * (text[at] == '+' ? 1 : -1);
        at += 6;
    } else {
        return bad();
    }
    if (at != text.size())
        return bad();
    const std::int64_t days = daysFromCivil(year, unsigned(month), unsigned(day));
    const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
    return seconds * 1000 + millis;
}

Result<double> parseQuantity(std::string_view text) {
    auto bad = [&](const char *why) {
        return Error{"bad quantity \"" + std::string(text.substr(0, 64)) + "\": " + why};
    };
    if (text.empty())
        return bad("empty");
    std::size_t end = 0;
    while (end < text.size() && (std::isdigit((unsigned char)text[end]) || text[end] == '.' ||
                                 ((text[end] == '+' || text[end] == '-') && end == 0)))
        ++end;
    double number = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + end, number);
    if (ec != std::errc() || ptr != text.data() + end)
        return bad("no number");
    std::string_view suffix = text.substr(end);
    static const std::pair<std::string_view, double> suffixes[] = {
        {"", 1},       {"n", 1e-9},   {"u", 1e-6},   {"m", 1e-3},   {"k", 1e3},
        {"M", 1e6},    {"G", 1e9},    {"T", 1e12},   {"P", 1e15},   {"E", 1e18},
        {"Ki", 1024.0}, {"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0},
        {"Pi", 1125899906842624.0}, {"Ei", 1152921504606846976.0}};
    for (const auto &[name, factor] : suffixes)
        if (suffix == name)
            return number * factor;
    if (!suffix.empty() && (suffix[0] == 'e' || suffix[0] == 'E')) {
        int exponent = 0;
        const auto [p, e] = std::from_chars(suffix.data() + 1, suffix.data() + suffix.size(), exponent);
        if (e == std::errc() && p == suffix.data() + suffix.size() && exponent > -30 && exponent < 30)
            return number * std::pow(10.0, exponent);
    }
    return bad("unknown suffix");
}

std::optional<Status> decodeStatusJson(const json &doc) {
    if (!doc.is_object())
        return std::nullopt;
    auto kind = doc.find("kind");
    if (kind == doc.end() || !kind->is_string() || kind->get_ref<const std::string &>() != "Status")
        return std::nullopt;
    Status status;
    if (auto it = doc.find("code"); it != doc.end() && it->is_number_integer())
        status.code = it->get<int>();
    if (auto it = doc.find("reason"); it != doc.end() && it->is_string())
        status.reason = it->get<std::string>();
    if (auto it = doc.find("message"); it != doc.end() && it->is_string())
        status.message = it->get<std::string>();
    return status;
}

std::string describeParseError(std::string_view text) {
    try {
        const json parsed = json::parse(text);
        (void)parsed;
    } catch (const json::parse_error &e) {
        std::string why = e.what();
        // "[json.exception.parse_error.101] parse error at line 1, column 5: ..." -> the tail.
        if (auto colon = why.find("parse error"); colon != std::string::npos)
            why = why.substr(colon);
        const bool truncated = e.byte >= text.size();
        return "malformed JSON (" + std::to_string(text.size()) + " bytes): " + why +
               (truncated ? " (truncated?)" : "");
    }
    return "malformed JSON";
}

} // namespace opsdeck::remote::kube
