#include "duration.h"

#include <array>
#include <cctype>

namespace opsdeck::telemetry::rules {

namespace {
struct Unit {
    std::string_view name;
    std::int64_t ms;
};
// Order matters: Prometheus requires units largest first, each at most once.
constexpr std::array<Unit, 7> kUnits{{{"y", 365LL * 24 * 3600 * 1000},
                                      {"w", 7LL * 24 * 3600 * 1000},
                                      {"d", 24LL * 3600 * 1000},
                                      {"h", 3600LL * 1000},
                                      {"m", 60LL * 1000},
                                      {"s", 1000},
                                      {"ms", 1}}};
} // namespace

Result<std::int64_t> parseDuration(std::string_view text)
{
    const auto invalid = [&] {
        return Error{"not a valid duration string: \"" + std::string(text) + "\""};
    };
    if (text == "0")
        return std::int64_t{0};
    if (text.empty())
        return Error{"empty duration string"};
    std::int64_t total = 0;
    std::size_t pos = 0;
    std::size_t nextUnit = 0; // units must appear in descending order
    while (pos < text.size()) {
        if (!std::isdigit(static_cast<unsigned char>(text[pos])))
            return invalid();
        std::int64_t number = 0;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
            number = number * 10 + (text[pos] - '0');
            if (number > (std::int64_t{1} << 50))
                return Error{"duration out of range: \"" + std::string(text) + "\""};
            ++pos;
        }
        std::size_t unitEnd = pos;
        while (unitEnd < text.size() && std::isalpha(static_cast<unsigned char>(text[unitEnd])))
            ++unitEnd;
        const std::string_view unit = text.substr(pos, unitEnd - pos);
        bool found = false;
        for (std::size_t u = nextUnit; u < kUnits.size(); ++u) {
            if (kUnits[u].name == unit) {
                total += number * kUnits[u].ms;
                nextUnit = u + 1;
                found = true;
                break;
            }
        }
        if (!found)
            return invalid();
        pos = unitEnd;
    }
    return total;
}

std::string formatDuration(std::int64_t ms)
{
    if (ms == 0)
        return "0s";
    std::string out;
    if (ms < 0) { // model.Duration never prints negatives in practice; keep it readable
        out = "-";
        ms = -ms;
    }
    for (std::size_t i = 0; i < kUnits.size(); ++i) {
        const bool exactOnly = i < 2; // years and weeks only when nothing remains
        if (exactOnly && ms % kUnits[i].ms != 0)
            continue;
        if (const std::int64_t v = ms / kUnits[i].ms; v > 0) {
            out += std::to_string(v) + std::string(kUnits[i].name);
            ms -= v * kUnits[i].ms;
        }
    }
    return out;
}

std::string formatGoDuration(std::int64_t ms)
{
    if (ms == 0)
        return "0s";
    std::string out;
    if (ms < 0) {
        out = "-";
        ms = -ms;
    }
    if (ms < 1000)
        return out + std::to_string(ms) + "ms";
    const std::int64_t hours = ms / 3600000;
    const std::int64_t minutes = (ms / 60000) % 60;
    const std::int64_t millis = ms % 60000;
    if (hours > 0)
        out += std::to_string(hours) + "h";
    if (hours > 0 || minutes > 0)
        out += std::to_string(minutes) + "m";
    out += std::to_string(millis / 1000);
    if (const std::int64_t frac = millis % 1000; frac != 0) {
        std::string f = std::to_string(frac + 1000).substr(1); // 3 digits, leading zeros
        while (!f.empty() && f.back() == '0')
            f.pop_back();
        out += "." + f;
    }
    return out + "s";
}

} // namespace opsdeck::telemetry::rules
