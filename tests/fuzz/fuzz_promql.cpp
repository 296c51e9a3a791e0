// libFuzzer target: the PromQL parser must turn any byte string into an expression or a
// positioned error, never a crash; whatever parses must print and re-parse.
#include "backends/telemetry/promql/promql.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace opsdeck::telemetry::promql;
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    auto parsed = parse(text);
    if (!parsed.ok())
        return 0;
    // The canonical form of a valid expression is itself valid PromQL.
    const std::string printed = parsed->toString();
    if (!parse(printed).ok())
        std::abort();
    return 0;
}
