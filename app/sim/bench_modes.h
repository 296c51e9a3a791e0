#pragma once
// `opsdeck-sim bench [MODE]`: each mode (the simulator's speed, later the rule
// evaluator's) lives in its own file and registers here, in bench_command.cpp.
#include "arg_parser.h"

#include <cstdint>
#include <string>
#include <vector>

namespace opsdeck::cli {

struct BenchMode {
    std::string name;    // "sim"
    std::string summary; // one line for `help bench`
    std::vector<OptionSpec> options;
    int (*run)(const ParsedArgs &args) = nullptr;
};

BenchMode simulatorBenchMode(); // bench_simulator.cpp
BenchMode rulesBenchMode();     // bench_rules.cpp

// Peak resident set size of this process so far, in bytes (getrusage ru_maxrss).
std::int64_t peakRssBytes();
// Table cells for the benchmark reports: a float with fixed decimals, and text padded
// to a column width (left pad right-aligns numbers).
std::string fixed(double v, int decimals);
std::string padLeft(std::string text, std::size_t width);
std::string padRight(std::string text, std::size_t width);

// Pins the process to the CPU it runs on, so figures are "on one core"; false if refused.
bool pinToOneCore();

} // namespace opsdeck::cli
