#pragma once
// Shared by the store benchmarks (run by hand): what the OS sees of the process, to set
// beside SeriesStore::approxBytes().
#include <cstdio>

namespace opsdeck::telemetry::bench {

// Resident set size in bytes, from /proc/self/statm (0 if unreadable).
inline long residentBytes()
{
    long pages = 0, resident = 0;
    if (FILE *f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return resident * 4096;
}

} // namespace opsdeck::telemetry::bench
