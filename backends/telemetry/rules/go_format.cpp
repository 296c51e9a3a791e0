#include "go_format.h"
#include "../go_quote.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace opsdeck::telemetry::rules {

namespace {

std::string specialName(double v)
{
    if (std::isnan(v))
        return "NaN";
    return v > 0 ? "+Inf" : "-Inf";
}

// Shortest round-trip digits and decimal exponent: v = 0.d1d2d3... * 10^(exp+1)
struct Digits {
    bool negative = false;
    std::string digits; // no leading zeros, "0" for zero
    int exponent = 0;   // of the first digit
};

Digits shortestDigits(double v)
{
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    std::string s(buf, res.ptr);
    Digits d;
    std::size_t pos = 0;
    if (s[0] == '-') {
        d.negative = true;
        pos = 1;
    }
    const std::size_t e = s.find('e');
    for (std::size_t i = pos; i < e; ++i)
        if (s[i] != '.')
            d.digits += s[i];
    d.exponent = std::stoi(s.substr(e + 1));
    return d;
}

std::string exponentSuffix(char e, int exp)
{
    std::string out(1, e);
    out += exp < 0 ? '-' : '+';
    const int a = std::abs(exp);
    if (a < 10)
        out += '0';
    out += std::to_string(a);
    return out;
}

std::string scientific(const Digits &d, char e)
{
    std::string out = d.negative ? "-" : "";
    out += d.digits[0];
    if (d.digits.size() > 1)
        out += "." + d.digits.substr(1);
    return out + exponentSuffix(e, d.exponent);
}

} // namespace

std::string goFormatFloat(double v)
{
    if (!std::isfinite(v))
        return specialName(v);
    if (v == 0)
        return std::signbit(v) ? "-0" : "0";
    const Digits d = shortestDigits(v);
    if (d.exponent < -4 || d.exponent >= 6)
        return scientific(d, 'e');
    std::string out = d.negative ? "-" : "";
    const int n = static_cast<int>(d.digits.size());
    if (d.exponent < 0) {
        out += "0." + std::string(static_cast<std::size_t>(-d.exponent - 1), '0') + d.digits;
    } else if (d.exponent + 1 >= n) {
        out += d.digits + std::string(static_cast<std::size_t>(d.exponent + 1 - n), '0');
    } else {
        out += d.digits.substr(0, static_cast<std::size_t>(d.exponent + 1)) + "." +
               d.digits.substr(static_cast<std::size_t>(d.exponent + 1));
    }
    return out;
}

std::string goFormatFloatE(double v)
{
    if (!std::isfinite(v))
        return specialName(v);
    if (v == 0)
        return std::signbit(v) ? "-0E+00" : "0E+00";
    return scientific(shortestDigits(v), 'E');
}

std::string goFormatG(double v, int precision)
{
    if (!std::isfinite(v))
        return specialName(v);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    return buf;
}

std::string goPrint(const GoValue &v)
{
    if (const auto *d = std::get_if<double>(&v))
        return goFormatFloat(*d);
    if (const auto *i = std::get_if<long long>(&v))
        return std::to_string(*i);
    return std::get<std::string>(v);
}

namespace {

std::string badVerb(char verb, const GoValue &arg)
{
    if (const auto *d = std::get_if<double>(&arg))
        return std::string("%!") + verb + "(float64=" + goFormatFloat(*d) + ")";
    if (const auto *i = std::get_if<long long>(&arg))
        return std::string("%!") + verb + "(int=" + std::to_string(*i) + ")";
    return std::string("%!") + verb + "(string=" + std::get<std::string>(arg) + ")";
}

std::string pad(std::string s, const std::string &flags, int width)
{
    if (width <= 0 || static_cast<int>(s.size()) >= width)
        return s;
    const std::size_t fill = static_cast<std::size_t>(width) - s.size();
    if (flags.find('-') != std::string::npos)
        return s + std::string(fill, ' ');
    return std::string(fill, ' ') + s;
}

} // namespace

std::string goSprintf(const std::string &format, const std::vector<GoValue> &args)
{
    std::string out;
    std::size_t argIndex = 0;
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%') {
            out += format[i];
            continue;
        }
        std::size_t j = i + 1;
        std::string flags;
        while (j < format.size() && std::string_view("+-# 0").find(format[j]) != std::string_view::npos)
            flags += format[j++];
        int width = -1;
        while (j < format.size() && std::isdigit(static_cast<unsigned char>(format[j])))
            width = (width < 0 ? 0 : width * 10) + (format[j++] - '0');
        int precision = -1;
        if (j < format.size() && format[j] == '.') {
            ++j;
            precision = 0;
            while (j < format.size() && std::isdigit(static_cast<unsigned char>(format[j])))
                precision = precision * 10 + (format[j++] - '0');
        }
        if (j >= format.size()) {
            out += "%!(NOVERB)";
            break;
        }
        const char verb = format[j];
        i = j;
        if (verb == '%') {
            out += '%';
            continue;
        }
        if (argIndex >= args.size()) {
            out += std::string("%!") + verb + "(MISSING)";
            continue;
        }
        const GoValue &arg = args[argIndex++];
        const double *num = std::get_if<double>(&arg);
        const long long *integer = std::get_if<long long>(&arg);
        const std::string *str = std::get_if<std::string>(&arg);
        std::string piece;
        switch (verb) {
        case 'v':
            piece = goPrint(arg);
            break;
        case 's':
            piece = str ? *str : badVerb(verb, arg);
            break;
        case 'q':
            piece = str ? goQuote(*str) : badVerb(verb, arg);
            break;
        case 'd':
            if (integer) {
                std::string spec = "%" + flags + "lld";
                char buf[64];
                std::snprintf(buf, sizeof buf, spec.c_str(), *integer);
                piece = buf;
            } else {
                piece = badVerb(verb, arg);
            }
            break;
        case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
            if (!num) {
                piece = badVerb(verb, arg);
            } else if (!std::isfinite(*num)) {
                piece = specialName(*num);
                if (std::isnan(*num) && flags.find('+') == std::string::npos)
                    piece = "NaN";
                else if (*num > 0 && flags.find('+') == std::string::npos)
                    piece = "+Inf";
            } else if (precision < 0 && (verb == 'g' || verb == 'G')) {
                piece = goFormatFloat(*num); // Go's %g without precision is shortest
                if (verb == 'G')
                    for (char &c : piece)
                        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            } else {
                std::string spec = "%" + flags + (precision >= 0 ? "." + std::to_string(precision) : "") + verb;
                char buf[512];
                std::snprintf(buf, sizeof buf, spec.c_str(), *num);
                piece = buf;
            }
            break;
        default:
            piece = badVerb(verb, arg);
        }
        out += pad(std::move(piece), flags, width);
    }
    if (argIndex < args.size()) {
        out += "%!(EXTRA ";
        for (std::size_t k = argIndex; k < args.size(); ++k) {
            if (k > argIndex)
                out += ", ";
            out += std::holds_alternative<double>(args[k]) ? "float64="
                   : std::holds_alternative<long long>(args[k]) ? "int="
                                                                : "string=";
            out += goPrint(args[k]);
        }
        out += ")";
    }
    return out;
}

} // namespace opsdeck::telemetry::rules
