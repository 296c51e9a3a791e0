#pragma once
// Internal to the template engine: the parsed form of an alert template. A template
// is literal text alternating with actions; an action is a pipeline of commands
// (`humanize $value | printf "%s"`), each a function or a value with arguments.
#include <memory>
#include <string>
#include <vector>

namespace opsdeck::telemetry::rules {

struct Pipeline;

struct Operand {
    enum class Kind { Function, Variable, Field, String, Number, Paren };
    Kind kind = Kind::String;
    std::string name;                // function or variable name (without $)
    std::vector<std::string> fields; // .a.b after a variable or the dot
    std::string text;                // string literal value
    double number = 0;
    bool isInteger = false; // Go templates type `42` as int and `4.2` as float64
    std::shared_ptr<Pipeline> pipeline; // for Paren
};

struct Command {
    std::vector<Operand> operands;
    std::size_t offset = 0; // of its first operand in the template text, for error positions
    std::string source;     // as Go prints the node in errors: operands joined by one space
};

struct Pipeline {
    std::vector<Command> commands;
};

struct TemplateNode {
    enum class Kind { Text, Print, If, With };
    struct Piece {
        Kind kind = Kind::Text;
        std::string text;                  // Text
        std::shared_ptr<Pipeline> action;  // Print: the value; If / With: the condition
        std::vector<Piece> thenBranch;     // If / With
        std::vector<Piece> elseBranch;     // If / With; `else if` nests another If here
    };
    std::vector<Piece> pieces;
};

// Functions and variables a template may name; anything else is a parse error.
const std::vector<std::string> &templateFunctionNames();
bool isTemplateVariable(const std::string &name);

} // namespace opsdeck::telemetry::rules
