#include "rules_cli.h"

#include "rule_file.h"
#include "rule_test_runner.h"

#include <algorithm>

namespace opsdeck::telemetry::rules {

namespace {

// promtool's default lint: the same alert/record name with the same labels twice.
std::vector<const RuleSpec *> duplicateRules(const RuleFile &file)
{
    std::vector<const RuleSpec *> all;
    for (const auto &g : file.groups)
        for (const auto &r : g.rules)
            all.push_back(&r);
    const auto key = [](const RuleSpec *r) { return std::make_pair(r->name, r->labels); };
    std::stable_sort(all.begin(), all.end(), [&](auto *a, auto *b) { return key(a) < key(b); });
    std::vector<const RuleSpec *> dups;
    for (std::size_t i = 1; i < all.size(); ++i)
        if (key(all[i - 1]) == key(all[i]) && (dups.empty() || key(dups.back()) != key(all[i])))
            dups.push_back(all[i]);
    return dups;
}

} // namespace

int checkRulesCommand(const std::vector<std::string> &files, std::ostream &out, std::ostream &err)
{
    bool hasErrors = false;
    for (const std::string &f : files) {
        out << "Checking " << f << "\n";
        out.flush();
        const RuleFileParse parsed = loadRuleFile(f);
        if (!parsed.ok()) {
            err << "  FAILED:\n";
            for (const auto &e : parsed.errors)
                err << e << "\n";
            err.flush();
            hasErrors = true;
        } else if (const auto dups = duplicateRules(parsed.file); !dups.empty()) {
            // A lint finding, not an error: reported, but the exit code stays 0.
            err << "  FAILED:\n";
            err << "lint error " << dups.size() << " duplicate rule(s) found.\n";
            for (const RuleSpec *r : dups) {
                err << "Metric: " << r->name << "\nLabel(s):\n";
                for (const auto &[k, v] : r->labels)
                    err << "\t" << k << ": " << v << "\n";
            }
            err << "Might cause inconsistency while recording expressions\n";
            err.flush();
        } else {
            out << "  SUCCESS: " << parsed.file.ruleCount() << " rules found\n";
        }
        out << "\n";
        out.flush();
    }
    return hasErrors ? 1 : 0;
}

int runRuleTestsCommand(const std::vector<std::string> &files, std::ostream &out, std::ostream &err)
{
    bool failed = false;
    for (const std::string &f : files) {
        out << "Unit Testing:  " << f << "\n";
        out.flush();
        const std::vector<std::string> errs = runRuleTestFile(f);
        if (!errs.empty()) {
            err << "  FAILED:\n";
            for (const auto &e : errs) {
                err << e << "\n";
                err.flush();
                out << "\n";
            }
            failed = true;
        } else {
            out << "  SUCCESS\n";
        }
        out << "\n";
        out.flush();
    }
    return failed ? 1 : 0;
}

} // namespace opsdeck::telemetry::rules
