#pragma once
// The subcommands of opsdeck-sim. Each lives in its own file and describes itself (usage,
// options, examples) so `help` is generated from the same declarations the parser uses.
#include "arg_parser.h"

#include <string>
#include <vector>

namespace opsdeck::cli {

struct Command {
    std::string name;        // "run"
    std::string summary;     // one line for the command list
    std::string usage;       // "opsdeck-sim run [options]"
    std::string description; // a paragraph, wrapped when printed
    std::vector<OptionSpec> options;
    std::string examples;    // verbatim lines
    bool listsFaultsAndActions = false; // its help lists every fault and action
    int (*run)(const std::vector<std::string> &args) = nullptr;
};

Command runCommand();
Command benchCommand();
Command queryCommand();
Command rulesCommand();
Command serveCommand();

const std::vector<Command> &allCommands();
const Command *findCommand(const std::string &name);

// Exit codes: 0 success, 1 the work failed (a query did not parse, a rule test failed),
// 2 the command line was wrong (nothing ran).
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Prints "opsdeck-sim: MESSAGE" and a pointer to the command's help; returns kExitUsage.
int usageError(const std::string &command, const std::string &message);
// Prints "opsdeck-sim: MESSAGE"; returns kExitFailure.
int failure(const std::string &message);

std::string mainHelpText();
std::string commandHelpText(const Command &command);
std::string versionText();

} // namespace opsdeck::cli
