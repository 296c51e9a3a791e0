// libFuzzer target: the exposition parser must accept or reject any input with a line
// number, never crash; what it accepts must survive a write/parse round trip.
#include "backends/telemetry/exposition.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace opsdeck::telemetry;
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    auto parsed = parseExposition(text);
    if (!parsed.ok())
        return 0;
    const std::string written = writeExposition(*parsed);
    if (!parseExposition(written).ok())
        std::abort();
    return 0;
}
