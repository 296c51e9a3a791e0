#pragma once
// The `rules` subcommands of opsdeck-sim, behaving like promtool's:
//   opsdeck-sim rules check FILE...   ~ promtool check rules FILE...
//   opsdeck-sim rules test FILE...    ~ promtool test rules FILE...
// Same messages on the same streams (`out` = promtool's stdout, `err` = its stderr),
// same exit codes: 0 success, 1 failure.
#include <ostream>
#include <string>
#include <vector>

namespace opsdeck::telemetry::rules {

int checkRulesCommand(const std::vector<std::string> &files, std::ostream &out, std::ostream &err);
int runRuleTestsCommand(const std::vector<std::string> &files, std::ostream &out, std::ostream &err);

} // namespace opsdeck::telemetry::rules
