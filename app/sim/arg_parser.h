#pragma once
// The small option parser every opsdeck-sim subcommand shares. Options are declared
// once (name, value placeholder, help), so parsing and `--help` cannot drift apart.
#include "backends/telemetry/result.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace opsdeck::cli {

struct OptionSpec {
    std::string name;        // "--seed"
    std::string valueName;   // "N"; empty for a flag that takes no value
    std::string help;        // one or more sentences; wrapped when printed
    bool repeatable = false; // --fault and --action may be given many times
};

class ParsedArgs {
public:
    bool has(const std::string &name) const { return m_values.count(name) != 0; }
    // The value of a non-repeatable option, if given.
    std::optional<std::string> value(const std::string &name) const;
    // Every value of a repeatable option, in command-line order.
    const std::vector<std::string> &values(const std::string &name) const;
    const std::vector<std::string> &positionals() const { return m_positionals; }

private:
    friend Result<ParsedArgs> parseArgs(const std::vector<std::string> &,
                                        const std::vector<OptionSpec> &);
    std::map<std::string, std::vector<std::string>> m_values;
    std::vector<std::string> m_positionals;
};

// Accepts "--name value", "--name=value", flags, positionals, and "--" to end options.
// "-" alone is a positional or a value (stdout for --out). Errors name the option.
Result<ParsedArgs> parseArgs(const std::vector<std::string> &args,
                             const std::vector<OptionSpec> &specs);

// "  --seed N        Random seed ..." lines, wrapped at 80 columns, for help texts.
std::string formatOptions(const std::vector<OptionSpec> &specs);

// Wraps text at width columns, every line indented by indent spaces.
std::string wrapText(const std::string &text, std::size_t indent, std::size_t width = 80);

} // namespace opsdeck::cli
