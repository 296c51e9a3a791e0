#include "selectors.h"

#include <algorithm>

namespace opsdeck::kubeapi {

namespace {

std::string trim(const std::string &s)
{
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos)
        return {};
    const auto e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

// Splits on commas outside parentheses: "app=a,tier in (x,y)" -> two requirements.
std::vector<std::string> splitTopLevel(const std::string &text)
{
    std::vector<std::string> parts;
    std::string current;
    int depth = 0;
    for (char c : text) {
        if (c == '(')
            ++depth;
        else if (c == ')')
            --depth;
        if (c == ',' && depth == 0) {
            parts.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    parts.push_back(current);
    return parts;
}

bool validKey(const std::string &key)
{
    if (key.empty() || key.size() > 316)
        return false;
    return std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/';
    });
}

} // namespace

Result<LabelSelector> LabelSelector::parse(const std::string &text)
{
    LabelSelector sel;
    if (trim(text).empty())
        return sel;
    for (const std::string &rawPart : splitTopLevel(text)) {
        const std::string part = trim(rawPart);
        auto bad = [&](const std::string &why) {
            return Error{"unable to parse requirement: \"" + part + "\": " + why};
        };
        if (part.empty())
            return bad("empty requirement");
        Requirement r;
        // Set-based: "key in (a,b)" / "key notin (a,b)".
        const auto paren = part.find('(');
        if (paren != std::string::npos) {
            if (part.back() != ')')
                return bad("expected ')' at the end");
            const std::string head = trim(part.substr(0, paren));
            const auto space = head.find_last_of(" \t");
            if (space == std::string::npos)
                return bad("expected 'in' or 'notin' before '('");
            r.key = trim(head.substr(0, space));
            const std::string op = trim(head.substr(space + 1));
            if (op == "in")
                r.op = Op::In;
            else if (op == "notin")
                r.op = Op::NotIn;
            else
                return bad("unknown operator '" + op + "' (valid: in, notin)");
            std::string list = part.substr(paren + 1, part.size() - paren - 2);
            std::size_t pos = 0;
            while (pos <= list.size()) {
                const auto comma = list.find(',', pos);
                const std::string v = trim(list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos));
                if (!v.empty())
                    r.values.push_back(v);
                if (comma == std::string::npos)
                    break;
                pos = comma + 1;
            }
            if (r.values.empty())
                return bad("for 'in', 'notin' operators, values set can't be empty");
        } else if (auto ne = part.find("!="); ne != std::string::npos) {
            r.key = trim(part.substr(0, ne));
            r.op = Op::NotEquals;
            r.values = {trim(part.substr(ne + 2))};
        } else if (auto eq = part.find('='); eq != std::string::npos) {
            r.key = trim(part.substr(0, eq));
            r.op = Op::Equals;
            std::string value = part.substr(eq + 1);
            if (!value.empty() && value[0] == '=')
                value.erase(0, 1);
            r.values = {trim(value)};
        } else if (part[0] == '!') {
            r.key = trim(part.substr(1));
            r.op = Op::NotExists;
        } else {
            r.key = part;
            r.op = Op::Exists;
        }
        if (!validKey(r.key))
            return bad("invalid label key \"" + r.key + "\"");
        sel.m_reqs.push_back(std::move(r));
    }
    return sel;
}

bool LabelSelector::matches(const std::map<std::string, std::string> &labels) const
{
    for (const Requirement &r : m_reqs) {
        const auto it = labels.find(r.key);
        const bool has = it != labels.end();
        switch (r.op) {
        case Op::Equals:
            if (!has || it->second != r.values[0])
                return false;
            break;
        case Op::NotEquals:
            if (has && it->second == r.values[0])
                return false;
            break;
        case Op::In:
            if (!has || std::find(r.values.begin(), r.values.end(), it->second) == r.values.end())
                return false;
            break;
        case Op::NotIn:
            if (has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end())
                return false;
            break;
        case Op::Exists:
            if (!has)
                return false;
            break;
        case Op::NotExists:
            if (has)
                return false;
            break;
        }
    }
    return true;
}

Result<FieldSelector> FieldSelector::parse(const std::string &text, const std::vector<std::string> &allowed)
{
    FieldSelector sel;
    if (trim(text).empty())
        return sel;
    for (const std::string &rawPart : splitTopLevel(text)) {
        const std::string part = trim(rawPart);
        Requirement r;
        std::size_t opLen = 0;
        std::size_t pos = part.find("!=");
        if (pos != std::string::npos) {
            r.negate = true;
            opLen = 2;
        } else if ((pos = part.find("==")) != std::string::npos) {
            opLen = 2;
        } else if ((pos = part.find('=')) != std::string::npos) {
            opLen = 1;
        } else {
            return Error{"invalid selector: '" + text + "'; can't understand '" + part + "'"};
        }
        r.field = trim(part.substr(0, pos));
        r.value = trim(part.substr(pos + opLen));
        if (r.field != "metadata.name" && r.field != "metadata.namespace" &&
            std::find(allowed.begin(), allowed.end(), r.field) == allowed.end())
            return Error{"field label not supported: " + r.field};
        sel.m_reqs.push_back(std::move(r));
    }
    return sel;
}

bool FieldSelector::matches(const std::function<std::string(const std::string &)> &valueOf) const
{
    for (const Requirement &r : m_reqs) {
        const std::string value = valueOf(r.field);
        if ((value == r.value) == r.negate)
            return false;
    }
    return true;
}

std::string FieldSelector::equalsValue(const std::string &field) const
{
    for (const Requirement &r : m_reqs)
        if (r.field == field && !r.negate)
            return r.value;
    return {};
}

} // namespace opsdeck::kubeapi
