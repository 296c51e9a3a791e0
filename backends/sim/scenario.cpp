#include "scenario.h"

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdint>
#include <limits>
#include <string>

namespace opsdeck::sim {

namespace {

struct DurationUnit {
    std::string_view suffix;
    std::int64_t ms;
};

// Largest first: the order Prometheus requires units in ("2h10m", never "10m2h"), and the
// order formatDuration emits them. "ms" sits before "m" in matching (see matchUnit).
constexpr std::array<DurationUnit, 6> kUnits{{
    {"w", 7LL * 24 * 3600 * 1000},
    {"d", 24LL * 3600 * 1000},
    {"h", 3600LL * 1000},
    {"m", 60LL * 1000},
    {"s", 1000},
    {"ms", 1},
}};

constexpr std::string_view kUnitHint = "(use ms, s, m, h, d, w)";

// Index into kUnits of the unit starting at text[pos], or -1.
int matchUnit(std::string_view text, std::size_t pos)
{
    if (text.substr(pos, 2) == "ms")
        return 5;
    if (pos >= text.size())
        return -1;
    for (int i = 0; i < 5; ++i) {
        if (text[pos] == kUnits[i].suffix[0])
            return i;
    }
    return -1;
}

std::string quoted(std::string_view text)
{
    return "\"" + std::string(text) + "\"";
}

std::string charDescription(char c)
{
    if (std::isprint(static_cast<unsigned char>(c)))
        return std::string("'") + c + "'";
    char buf[16];
    std::snprintf(buf, sizeof buf, "byte 0x%02x", static_cast<unsigned char>(c));
    return buf;
}

std::string listFaultNames()
{
    std::string out;
    for (FaultKind kind : allFaults()) {
        if (!out.empty())
            out += ", ";
        out += faultName(kind);
    }
    return out;
}

std::string listActionNames()
{
    std::string out;
    for (ActionKind kind : allActions()) {
        if (!out.empty())
            out += ", ";
        out += actionName(kind);
    }
    return out;
}

// The parts shared by --fault and --action: "HEAD[,key=value...]@TIME".
struct SplitArg {
    std::string_view head;                     // KIND[:TARGET[=VALUE]]
    std::map<std::string, std::string> params; // key=value pairs after the head
    std::int64_t atMs = 0;
};

bool isParamKeyChar(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

Result<SplitArg> splitArg(std::string_view text, std::string_view example)
{
    const std::string where = quoted(text) + ": ";
    if (text.empty())
        return Error{"empty value (expected e.g. " + std::string(example) + ")"};
    // The time is after the LAST '@': an image or a value may itself hold '@' or ':'.
    const std::size_t at = text.rfind('@');
    if (at == std::string_view::npos)
        return Error{where + "missing '@TIME' at the end (e.g. " + std::string(example) + ")"};
    const std::string_view timeText = text.substr(at + 1);
    if (timeText.empty())
        return Error{where + "missing time after '@' at position " + std::to_string(at + 1) +
                     " (e.g. " + std::string(example) + ")"};
    const Result<std::int64_t> time = parseDurationMs(timeText);
    if (!time)
        return Error{where + "time after '@' at position " + std::to_string(at + 1) + ": " +
                     time.error()};

    SplitArg out;
    out.atMs = *time;
    const std::string_view body = text.substr(0, at);
    std::size_t comma = body.find(',');
    out.head = body.substr(0, comma);
    if (out.head.empty())
        return Error{where + "missing kind before " +
                     (comma == std::string_view::npos ? std::string("'@'") : std::string("','")) +
                     " (e.g. " + std::string(example) + ")"};
    while (comma != std::string_view::npos) {
        const std::size_t start = comma + 1;
        comma = body.find(',', start);
        const std::string_view pair =
            body.substr(start, comma == std::string_view::npos ? std::string_view::npos
                                                               : comma - start);
        const std::string position = "at position " + std::to_string(start + 1);
        const std::size_t eq = pair.find('=');
        if (pair.empty())
            return Error{where + "empty parameter " + position + " (expected key=value)"};
        if (eq == std::string_view::npos)
            return Error{where + "parameter " + quoted(pair) + " " + position +
                         " has no '=' (expected key=value)"};
        const std::string_view key = pair.substr(0, eq);
        if (key.empty())
            return Error{where + "parameter " + position + " has an empty key (expected key=value)"};
        for (std::size_t i = 0; i < key.size(); ++i) {
            if (!isParamKeyChar(key[i]))
                return Error{where + "unexpected " + charDescription(key[i]) + " at position " +
                             std::to_string(start + i + 1) + " in parameter name " + quoted(key)};
        }
        if (out.params.count(std::string(key)))
            return Error{where + "parameter '" + std::string(key) + "' given twice (" + position +
                         ")"};
        out.params.emplace(std::string(key), std::string(pair.substr(eq + 1)));
    }
    return out;
}

// The parameter VALUE in KIND:TARGET=VALUE fills, by action kind.
const char *mainParamOf(ActionKind kind)
{
    switch (kind) {
    case ActionKind::Scale:
        return "replicas";
    case ActionKind::SetImage:
    case ActionKind::Canary:
    case ActionKind::ProgressiveRollout:
        return "image";
    case ActionKind::Failover:
        return "region";
    case ActionKind::Restore:
        return "backup";
    default:
        return nullptr;
    }
}

} // namespace

Result<std::int64_t> parseDurationMs(std::string_view text)
{
    const std::string where = quoted(text) + ": ";
    if (text.empty())
        return Error{"empty duration (expected e.g. 6h, 2h10m, 90s, 500ms)"};
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    std::int64_t total = 0;
    int lastUnit = -1;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t numberStart = pos;
        std::int64_t whole = 0;
        bool overflow = false;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
            const int digit = text[pos] - '0';
            if (whole > (kMax - digit) / 10)
                overflow = true;
            else
                whole = whole * 10 + digit;
            ++pos;
        }
        const bool hadWholeDigits = pos > numberStart;
        std::int64_t fraction = 0;   // the digits after '.', as an integer
        std::int64_t fractionScale = 1;
        if (pos < text.size() && text[pos] == '.') {
            const std::size_t dot = pos++;
            const std::size_t fractionStart = pos;
            while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
                if (fractionScale >= 1'000'000'000)
                    return Error{where + "too many decimals at position " + std::to_string(pos + 1) +
                                 " (at most 9)"};
                fraction = fraction * 10 + (text[pos] - '0');
                fractionScale *= 10;
                ++pos;
            }
            if (pos == fractionStart)
                return Error{where + "expected a digit after '.' at position " +
                             std::to_string(dot + 2)};
        } else if (!hadWholeDigits) {
            if (pos < text.size() && (text[pos] == '-' || text[pos] == '+'))
                return Error{where + "unexpected " + charDescription(text[pos]) + " at position " +
                             std::to_string(pos + 1) + ": durations are positive, without a sign"};
            return Error{where + "unexpected " + charDescription(text[pos]) + " at position " +
                         std::to_string(pos + 1) + ": expected a number"};
        }
        if (pos >= text.size())
            return Error{where + "missing unit after " +
                         quoted(text.substr(numberStart, pos - numberStart)) + " at position " +
                         std::to_string(pos + 1) + " " + std::string(kUnitHint)};
        const int unit = matchUnit(text, pos);
        if (unit < 0)
            return Error{where + "unknown unit " + charDescription(text[pos]) + " at position " +
                         std::to_string(pos + 1) + " " + std::string(kUnitHint)};
        if (unit <= lastUnit)
            return Error{where + "unit '" + std::string(kUnits[unit].suffix) + "' at position " +
                         std::to_string(pos + 1) +
                         (unit == lastUnit ? " repeats" : " comes after a smaller unit") +
                         ": write units once, largest first (e.g. 2h10m)"};
        const std::int64_t unitMs = kUnits[unit].ms;
        if (overflow || whole > kMax / unitMs)
            return Error{where + "number at position " + std::to_string(numberStart + 1) +
                         " is too large"};
        // fraction < 1e9 and unitMs < 1e9, so the product fits in 64 bits.
        const std::int64_t fractionMs = fraction * unitMs;
        if (fractionMs % fractionScale != 0)
            return Error{where + "value at position " + std::to_string(numberStart + 1) +
                         " is not a whole number of milliseconds"};
        const std::int64_t partMs = whole * unitMs + fractionMs / fractionScale;
        if (partMs > kMax - total)
            return Error{where + "duration is too large"};
        total += partMs;
        lastUnit = unit;
        pos += kUnits[unit].suffix.size();
    }
    return total;
}

std::string formatDuration(std::int64_t ms)
{
    if (ms == 0)
        return "0s";
    std::string out;
    // Negative values only come from differences of times; show them honestly.
    std::uint64_t rest = ms < 0 ? 0 - static_cast<std::uint64_t>(ms) : static_cast<std::uint64_t>(ms);
    if (ms < 0)
        out = "-";
    for (const DurationUnit &unit : kUnits) {
        const auto unitMs = static_cast<std::uint64_t>(unit.ms);
        if (rest >= unitMs) {
            out += std::to_string(rest / unitMs);
            out += unit.suffix;
            rest %= unitMs;
        }
    }
    return out;
}

Result<TimedFault> parseFaultArg(std::string_view text)
{
    Result<SplitArg> split = splitArg(text, "bad-deploy:agent-orchestrator@2h");
    if (!split)
        return Error{split.error()};
    const std::string_view head = split->head;
    const std::size_t colon = head.find(':');
    const std::string kindName(head.substr(0, colon));
    const Result<FaultKind> kind = faultFromName(kindName);
    if (!kind)
        return Error{quoted(text) + ": unknown fault '" + kindName + "' (valid: " +
                     listFaultNames() + ")"};
    TimedFault out;
    out.atMs = split->atMs;
    out.spec.kind = *kind;
    out.spec.params = std::move(split->params);
    if (colon != std::string_view::npos) {
        out.spec.target = std::string(head.substr(colon + 1));
        if (out.spec.target.empty())
            return Error{quoted(text) + ": empty target after ':' at position " +
                         std::to_string(colon + 1)};
    }
    return out;
}

Result<TimedAction> parseActionArg(std::string_view text)
{
    Result<SplitArg> split = splitArg(text, "scale:virtual-computer=100@3h");
    if (!split)
        return Error{split.error()};
    const std::string_view head = split->head;
    const std::size_t colon = head.find(':');
    const std::string kindName(head.substr(0, colon));
    if (kindName.find('=') != std::string::npos)
        return Error{quoted(text) + ": '=' at position " + std::to_string(kindName.find('=') + 1) +
                     " needs a target before it (KIND:TARGET=VALUE, e.g. "
                     "scale:virtual-computer=100@3h)"};
    const Result<ActionKind> kind = actionFromName(kindName);
    if (!kind)
        return Error{quoted(text) + ": unknown action '" + kindName + "' (valid: " +
                     listActionNames() + ")"};
    TimedAction out;
    out.atMs = split->atMs;
    out.spec.kind = *kind;
    out.spec.params = std::move(split->params);
    if (colon == std::string_view::npos)
        return out;

    const std::string_view targetAndValue = head.substr(colon + 1);
    const std::size_t eq = targetAndValue.find('=');
    out.spec.target = std::string(targetAndValue.substr(0, eq));
    if (out.spec.target.empty())
        return Error{quoted(text) + ": empty target after ':' at position " +
                     std::to_string(colon + 1)};
    if (eq == std::string_view::npos)
        return out;
    const std::string value(targetAndValue.substr(eq + 1));
    const std::size_t valuePos = colon + 1 + eq + 1; // 0-based index of '='
    if (value.empty())
        return Error{quoted(text) + ": empty value after '=' at position " +
                     std::to_string(valuePos)};
    const char *param = mainParamOf(*kind);
    if (!param)
        return Error{quoted(text) + ": action '" + kindName + "' takes no value after '" +
                     out.spec.target + "=' (position " + std::to_string(valuePos) +
                     "); use ,key=value parameters"};
    if (out.spec.params.count(param))
        return Error{quoted(text) + ": '" + std::string(param) +
                     "' given both as the value after '=' and as a parameter"};
    if (*kind == ActionKind::Scale) {
        bool wholeNumber = value.size() <= 7;
        for (char c : value)
            wholeNumber = wholeNumber && std::isdigit(static_cast<unsigned char>(c));
        if (!wholeNumber || std::stoll(value) > 1'000'000)
            return Error{quoted(text) + ": replicas " + quoted(value) + " at position " +
                         std::to_string(valuePos + 1) +
                         " is not a whole number between 0 and 1000000"};
    }
    out.spec.params.emplace(param, value);
    return out;
}

Result<Preset> presetFromName(std::string_view name)
{
    if (name == "default")
        return Preset::Default;
    if (name == "large")
        return Preset::Large;
    return Error{"unknown preset " + quoted(name) + " (valid: default, large)"};
}

} // namespace opsdeck::sim
