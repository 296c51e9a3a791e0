#include "float_format.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <cstring>
#include <system_error>

namespace opsdeck::telemetry {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i];
        if (x >= 'A' && x <= 'Z')
            x = static_cast<char>(x - 'A' + 'a');
        if (x != b[i])
            return false;
    }
    return true;
}

} // namespace

std::size_t formatFloatTo(double v, char *buf)
{
    if (std::isnan(v)) {
        std::memcpy(buf, "NaN", 3);
        return 3;
    }
    if (std::isinf(v)) {
        std::memcpy(buf, v > 0 ? "+Inf" : "-Inf", 4);
        return 4;
    }
    // Shortest round-trip digits in scientific form, e.g. "-1.234567e+06"; then lay them
    // out the way Go's %g (shortest) does.
    char sci[kMaxFormattedFloat];
    auto res = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific);
    const char *p = sci;
    const char *end = res.ptr;
    char *out = buf;
    if (*p == '-')
        *out++ = *p++;
    char digits[20];
    int nd = 0;
    for (; p < end && *p != 'e'; ++p)
        if (*p != '.')
            digits[nd++] = *p;
    int exp = 0;
    std::from_chars(p + 1 + (p[1] == '+' ? 1 : 0), end, exp);

    if (exp < -4 || exp >= 6) {
        *out++ = digits[0];
        if (nd > 1) {
            *out++ = '.';
            std::memcpy(out, digits + 1, static_cast<std::size_t>(nd - 1));
            out += nd - 1;
        }
        *out++ = 'e';
        *out++ = exp < 0 ? '-' : '+';
        const int absExp = exp < 0 ? -exp : exp;
        if (absExp < 10)
            *out++ = '0';
        out = std::to_chars(out, buf + kMaxFormattedFloat, absExp).ptr;
    } else if (exp < 0) {
        *out++ = '0';
        *out++ = '.';
        for (int i = -1; i > exp; --i)
            *out++ = '0';
        std::memcpy(out, digits, static_cast<std::size_t>(nd));
        out += nd;
    } else {
        // exp in [0, 5]: integer part has exp+1 digits, padded with zeros if needed
        for (int i = 0; i <= exp; ++i)
            *out++ = i < nd ? digits[i] : '0';
        if (nd > exp + 1) {
            *out++ = '.';
            std::memcpy(out, digits + exp + 1, static_cast<std::size_t>(nd - exp - 1));
            out += nd - exp - 1;
        }
    }
    return static_cast<std::size_t>(out - buf);
}

void appendFloat(std::string &out, double v)
{
    char buf[kMaxFormattedFloat];
    out.append(buf, formatFloatTo(v, buf));
}

std::string formatFloat(double v)
{
    char buf[kMaxFormattedFloat];
    return std::string(buf, formatFloatTo(v, buf));
}

std::optional<double> parseFloat(std::string_view text)
{
    if (text.empty())
        return std::nullopt;
    bool negative = false;
    std::string_view body = text;
    if (body.front() == '+' || body.front() == '-') {
        negative = body.front() == '-';
        body.remove_prefix(1);
    }
    if (body.empty())
        return std::nullopt;
    double v = 0;
    if (equalsIgnoreCase(body, "inf") || equalsIgnoreCase(body, "infinity")) {
        v = HUGE_VAL;
    } else if (equalsIgnoreCase(body, "nan")) {
        v = std::nan("");
    } else if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
        body.remove_prefix(2);
        auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), v,
                                         std::chars_format::hex);
        if (ec != std::errc() || ptr != body.data() + body.size())
            return std::nullopt;
    } else {
        // from_chars would also take "inf"/"nan(...)" spellings Go rejects; those were
        // handled above, so only digits, '.', and exponents may reach it.
        const char first = body.front();
        if (!((first >= '0' && first <= '9') || first == '.'))
            return std::nullopt;
        auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), v,
                                         std::chars_format::general);
        if (ptr != body.data() + body.size())
            return std::nullopt;
        if (ec == std::errc::result_out_of_range) {
            // Go rejects overflow ("1e999": value out of range) but rounds underflow
            // ("1e-999") to zero without complaint; strtod tells the two apart.
            const std::string copy(body);
            v = std::strtod(copy.c_str(), nullptr);
            if (std::isinf(v))
                return std::nullopt;
        } else if (ec != std::errc())
            return std::nullopt;
    }
    return negative ? -v : v;
}

} // namespace opsdeck::telemetry
