#include "cluster_backend.h"

#include <cmath>
#include <limits>

namespace opsdeck::backends {

QCoro::Task<Result<std::string>> ClusterBackend::whyNotAllowed(sim::ActionSpec)
{
    co_return std::string();
}

double speedFactor(SimSpeed speed)
{
    switch (speed) {
    case SimSpeed::X1: return 1;
    case SimSpeed::X10: return 10;
    case SimSpeed::X60: return 60;
    case SimSpeed::X600: return 600;
    case SimSpeed::Max: return std::numeric_limits<double>::infinity();
    }
    return 1;
}

const char *speedName(SimSpeed speed)
{
    switch (speed) {
    case SimSpeed::X1: return "1";
    case SimSpeed::X10: return "10";
    case SimSpeed::X60: return "60";
    case SimSpeed::X600: return "600";
    case SimSpeed::Max: return "max";
    }
    return "1";
}

std::vector<SimSpeed> allSpeeds()
{
    return {SimSpeed::X1, SimSpeed::X10, SimSpeed::X60, SimSpeed::X600, SimSpeed::Max};
}

Result<SimSpeed> speedFromName(std::string_view name)
{
    // Accept "60" and "60x" alike: people type what the toolbar shows.
    std::string_view bare = name;
    if (bare.size() > 1 && (bare.back() == 'x' || bare.back() == 'X') && bare != "max")
        bare.remove_suffix(1);
    for (SimSpeed s : allSpeeds()) {
        if (bare == speedName(s))
            return s;
    }
    return Error{"unknown speed '" + std::string(name) + "': expected one of 1, 10, 60, 600, max"};
}

} // namespace opsdeck::backends
