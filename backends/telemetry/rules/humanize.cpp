#include "alert_template.h"

#include "go_format.h"

#include <cmath>
#include <ctime>

namespace opsdeck::telemetry::rules {

// ---- the humanize family (prometheus/template/template.go) -----------------------

std::string humanize(double v)
{
    if (v == 0 || std::isnan(v) || std::isinf(v))
        return goFormatG(v, 4);
    std::string prefix;
    if (std::fabs(v) >= 1) {
        for (const char *p : {"k", "M", "G", "T", "P", "E", "Z", "Y"}) {
            if (std::fabs(v) < 1000)
                break;
            prefix = p;
            v /= 1000;
        }
        return goFormatG(v, 4) + prefix;
    }
    for (const char *p : {"m", "u", "n", "p", "f", "a", "z", "y"}) {
        if (std::fabs(v) >= 1)
            break;
        prefix = p;
        v *= 1000;
    }
    return goFormatG(v, 4) + prefix;
}

std::string humanize1024(double v)
{
    if (std::fabs(v) <= 1 || std::isnan(v) || std::isinf(v))
        return goFormatG(v, 4);
    std::string prefix;
    for (const char *p : {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"}) {
        if (std::fabs(v) < 1024)
            break;
        prefix = p;
        v /= 1024;
    }
    return goFormatG(v, 4) + prefix;
}

std::string humanizeDuration(double v)
{
    if (std::isnan(v) || std::isinf(v))
        return goFormatG(v, 4);
    if (v == 0)
        return goFormatG(v, 4) + "s";
    if (std::fabs(v) >= 1) {
        std::string sign;
        if (v < 0) {
            sign = "-";
            v = -v;
        }
        const auto duration = static_cast<long long>(v);
        const long long seconds = duration % 60;
        const long long minutes = (duration / 60) % 60;
        const long long hours = (duration / 60 / 60) % 24;
        const long long days = duration / 60 / 60 / 24;
        const auto s = [](long long n) { return std::to_string(n); };
        if (days != 0)
            return sign + s(days) + "d " + s(hours) + "h " + s(minutes) + "m " + s(seconds) + "s";
        if (hours != 0)
            return sign + s(hours) + "h " + s(minutes) + "m " + s(seconds) + "s";
        if (minutes != 0)
            return sign + s(minutes) + "m " + s(seconds) + "s";
        return sign + goFormatG(v, 4) + "s";
    }
    std::string prefix;
    for (const char *p : {"m", "u", "n", "p", "f", "a", "z", "y"}) {
        if (std::fabs(v) >= 1)
            break;
        prefix = p;
        v *= 1000;
    }
    return goFormatG(v, 4) + prefix + "s";
}

std::string humanizePercentage(double ratio) { return goFormatG(ratio * 100, 4) + "%"; }

std::string humanizeTimestamp(double v)
{
    if (std::isnan(v) || std::isinf(v))
        return goFormatG(v, 4);
    // Go prints time.Time as "2006-01-02 15:04:05.999999999 -0700 MST" in UTC
    const double whole = std::floor(v);
    const auto secs = static_cast<std::time_t>(whole);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    std::string out = buf;
    if (const auto nanos = static_cast<long long>(std::llround((v - whole) * 1e9)); nanos > 0) {
        std::string frac = std::to_string(nanos + 1000000000LL).substr(1);
        while (!frac.empty() && frac.back() == '0')
            frac.pop_back();
        out += "." + frac;
    }
    return out + " +0000 UTC";
}

} // namespace opsdeck::telemetry::rules
