// `opsdeck-sim rules test|check FILE...`: promtool's rule commands, implemented by the
// rules library (backends/telemetry/rules/rules_cli.h).
#include "commands.h"

#include "backends/telemetry/rules/rules_cli.h"

#include <iostream>

namespace opsdeck::cli {

namespace {

int rulesMain(const std::vector<std::string> &argv)
{
    if (argv.empty())
        return usageError("rules", "missing subcommand: test or check");
    const std::string &sub = argv.front();
    if (sub != "test" && sub != "check")
        return usageError("rules", "unknown rules subcommand '" + sub + "' (valid: test, check)");
    const std::vector<std::string> files(argv.begin() + 1, argv.end());
    if (files.empty())
        return usageError("rules", "rules " + sub + ": missing FILE");
    for (const std::string &file : files) {
        if (!file.empty() && file[0] == '-' && file != "-")
            return usageError("rules", "rules " + sub + ": unknown option '" + file + "'");
    }
    if (sub == "test")
        return telemetry::rules::runRuleTestsCommand(files, std::cout, std::cerr);
    return telemetry::rules::checkRulesCommand(files, std::cout, std::cerr);
}

} // namespace

Command rulesCommand()
{
    Command command;
    command.name = "rules";
    command.summary = "check rule files; run rule unit tests (as promtool)";
    command.usage = "opsdeck-sim rules test TEST_FILE...\n       opsdeck-sim rules check RULE_FILE...";
    command.description =
        "'rules check' validates Prometheus rule files (YAML groups of alerting and recording "
        "rules, PromQL expressions, templates) and reports every problem with its file and "
        "line. 'rules test' runs rule unit test files in the format of 'promtool test rules' "
        "(input_series, alert_rule_test, promql_expr_test). Exit 1 when a check or test fails.";
    command.examples = "  opsdeck-sim rules check resources/rules/runbook.rules.yml\n"
                       "  opsdeck-sim rules test resources/rules/runbook.rules.test.yml\n";
    command.run = rulesMain;
    return command;
}

} // namespace opsdeck::cli
