// libFuzzer target: the rule-file loader (YAML, then PromQL and templates inside it)
// must report problems as file:line:col lines, never crash or throw.
#include "backends/telemetry/rules/rule_file.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace opsdeck::telemetry::rules;
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    auto parsed = parseRuleFile(text, "fuzz.yml");
    (void)parsed.ok();
    return 0;
}
