#pragma once
// Runs promtool rule unit tests the way `promtool test rules` does: load the input
// series, evaluate every rule group at each evaluation_interval from 0 to the largest
// eval_time, compare firing alerts at each alert eval_time (against the evaluation at
// or just before it, order-insensitive), then run the PromQL expression tests.
#include "rule_test_file.h"

#include <string>
#include <vector>

namespace opsdeck::telemetry::rules {

// Problems found, each formatted exactly as promtool prints it; empty when all pass.
std::vector<std::string> runRuleTestGroup(const RuleTestFile &file, const RuleTestGroup &group);
std::vector<std::string> runRuleTestFile(const std::string &path);

} // namespace opsdeck::telemetry::rules
