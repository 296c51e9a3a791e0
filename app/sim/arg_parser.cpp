#include "arg_parser.h"

#include <algorithm>
#include <sstream>

namespace opsdeck::cli {

std::optional<std::string> ParsedArgs::value(const std::string &name) const
{
    auto it = m_values.find(name);
    if (it == m_values.end() || it->second.empty())
        return std::nullopt;
    return it->second.back();
}

const std::vector<std::string> &ParsedArgs::values(const std::string &name) const
{
    static const std::vector<std::string> none;
    auto it = m_values.find(name);
    return it == m_values.end() ? none : it->second;
}

namespace {

const OptionSpec *findSpec(const std::vector<OptionSpec> &specs, const std::string &name)
{
    auto it = std::find_if(specs.begin(), specs.end(),
                           [&](const OptionSpec &s) { return s.name == name; });
    return it == specs.end() ? nullptr : &*it;
}

// The declared option sharing the longest prefix with a mistyped one, for "did you mean".
std::string closestOption(const std::vector<OptionSpec> &specs, const std::string &name)
{
    std::string best;
    std::size_t bestLength = 3; // "--" plus at least two matching letters
    for (const OptionSpec &spec : specs) {
        std::size_t n = 0;
        while (n < spec.name.size() && n < name.size() && spec.name[n] == name[n])
            ++n;
        if (n > bestLength) {
            bestLength = n;
            best = spec.name;
        }
    }
    return best;
}

} // namespace

Result<ParsedArgs> parseArgs(const std::vector<std::string> &args,
                             const std::vector<OptionSpec> &specs)
{
    ParsedArgs parsed;
    bool optionsEnded = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (optionsEnded || arg.size() < 2 || arg[0] != '-') {
            parsed.m_positionals.push_back(arg);
            continue;
        }
        if (arg == "--") {
            optionsEnded = true;
            continue;
        }
        const std::size_t eq = arg.find('=');
        const std::string name = arg.substr(0, eq);
        const OptionSpec *spec = findSpec(specs, name);
        if (!spec) {
            std::string message = "unknown option '" + name + "'";
            const std::string guess = closestOption(specs, name);
            if (!guess.empty())
                message += " (did you mean " + guess + "?)";
            return Error{message};
        }
        std::string value;
        if (spec->valueName.empty()) {
            if (eq != std::string::npos)
                return Error{name + " takes no value"};
        } else if (eq != std::string::npos) {
            value = arg.substr(eq + 1);
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            return Error{name + " needs a value (" + spec->valueName + ")"};
        }
        std::vector<std::string> &slot = parsed.m_values[name];
        if (!slot.empty() && !spec->repeatable)
            return Error{name + " given more than once"};
        slot.push_back(std::move(value));
    }
    return parsed;
}

std::string wrapText(const std::string &text, std::size_t indent, std::size_t width)
{
    std::istringstream words(text);
    std::string word, out, line;
    const std::string pad(indent, ' ');
    while (words >> word) {
        if (!line.empty() && indent + line.size() + 1 + word.size() > width) {
            out += pad + line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty())
        out += pad + line + "\n";
    return out;
}

std::string formatOptions(const std::vector<OptionSpec> &specs)
{
    std::string out;
    for (const OptionSpec &spec : specs) {
        std::string head = "  " + spec.name;
        if (!spec.valueName.empty())
            head += " " + spec.valueName;
        if (spec.repeatable)
            head += " ...";
        out += head + "\n";
        out += wrapText(spec.help, 6);
    }
    return out;
}

} // namespace opsdeck::cli
