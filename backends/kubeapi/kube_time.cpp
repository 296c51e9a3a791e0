#include "kube_time.h"

#include <cmath>
#include <cstdio>

namespace opsdeck::kubeapi {

std::string rfc3339(std::int64_t epochMs)
{
    const std::int64_t s = epochMs >= 0 ? epochMs / 1000 : (epochMs - 999) / 1000;
    std::int64_t days = s / 86400, secs = s % 86400;
    if (secs < 0) {
        secs += 86400;
        --days;
    }
    // Howard Hinnant's civil_from_days.
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)y, (long long)m,
                  (long long)d, (long long)(secs / 3600), (long long)(secs / 60 % 60), (long long)(secs % 60));
    return buf;
}

std::int64_t parseRfc3339(const std::string &text)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return -1;
    // days_from_civil
    y -= mo <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = era * 146097 + doe - 719468;
    return ((days * 24 + h) * 60 + mi) * 60000LL + s * 1000LL;
}

std::string humanDuration(std::int64_t ms)
{
    const std::int64_t seconds = ms / 1000;
    if (seconds < 0)
        return "0s";
    if (seconds < 60 * 2)
        return std::to_string(seconds) + "s";
    const std::int64_t minutes = seconds / 60;
    if (minutes < 10) {
        const std::int64_t s = seconds % 60;
        return s == 0 ? std::to_string(minutes) + "m" : std::to_string(minutes) + "m" + std::to_string(s) + "s";
    }
    if (minutes < 60 * 3)
        return std::to_string(minutes) + "m";
    const std::int64_t hours = seconds / 3600;
    if (hours < 8) {
        const std::int64_t m = minutes % 60;
        return m == 0 ? std::to_string(hours) + "h" : std::to_string(hours) + "h" + std::to_string(m) + "m";
    }
    if (hours < 48)
        return std::to_string(hours) + "h";
    if (hours < 24 * 8) {
        const std::int64_t h = hours % 24;
        return h == 0 ? std::to_string(hours / 24) + "d" : std::to_string(hours / 24) + "d" + std::to_string(h) + "h";
    }
    if (hours < 24 * 365 * 2)
        return std::to_string(hours / 24) + "d";
    if (hours < 24 * 365 * 8) {
        const std::int64_t dy = hours / 24 % 365;
        return dy == 0 ? std::to_string(hours / 24 / 365) + "y"
                       : std::to_string(hours / 24 / 365) + "y" + std::to_string(dy) + "d";
    }
    return std::to_string(hours / 24 / 365) + "y";
}

std::string cpuNanocores(double cores)
{
    return std::to_string(static_cast<long long>(std::llround(std::max(0.0, cores) * 1e9))) + "n";
}

std::string memoryKi(double bytes)
{
    return std::to_string(static_cast<long long>(std::llround(std::max(0.0, bytes) / 1024.0))) + "Ki";
}

std::string cpuQuantity(double cores)
{
    const long long milli = std::llround(cores * 1000);
    if (milli % 1000 == 0)
        return std::to_string(milli / 1000);
    return std::to_string(milli) + "m";
}

std::string memoryQuantity(double bytes)
{
    const double gi = bytes / (1024.0 * 1024 * 1024);
    if (gi >= 1 && std::fabs(gi - std::round(gi)) < 1e-9)
        return std::to_string(std::llround(gi)) + "Gi";
    return std::to_string(std::llround(bytes / (1024.0 * 1024))) + "Mi";
}

} // namespace opsdeck::kubeapi
