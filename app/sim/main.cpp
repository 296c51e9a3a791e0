// opsdeck-sim: the simulated cluster without the console. Each subcommand lives in its
// own file (commands.h); this only dispatches.
#include "commands.h"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char **argv)
{
    using namespace opsdeck::cli;
    std::ios::sync_with_stdio(false);
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << mainHelpText();
        return kExitUsage;
    }
    const std::string &first = args[0];
    if (first == "--help" || first == "-h") {
        std::cout << mainHelpText();
        return 0;
    }
    if (first == "--version" || first == "version") {
        std::cout << versionText();
        return 0;
    }
    if (first == "help") {
        if (args.size() == 1) {
            std::cout << mainHelpText();
            return 0;
        }
        const Command *command = findCommand(args[1]);
        if (!command)
            return usageError("", "help: unknown command '" + args[1] + "'");
        std::cout << commandHelpText(*command);
        return 0;
    }
    const Command *command = findCommand(first);
    if (!command)
        return usageError("", "unknown command '" + first + "'");
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const std::string &arg : rest) {
        if (arg == "--")
            break;
        if (arg == "--help" || arg == "-h") {
            std::cout << commandHelpText(*command);
            return 0;
        }
    }
    return command->run(rest);
}
