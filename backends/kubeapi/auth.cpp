#include "auth.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace opsdeck::kubeapi {

namespace {

// One CSV record with double-quoted fields ("a,b" keeps its comma).
Result<std::vector<std::string>> splitCsv(const std::string &line)
{
    std::vector<std::string> fields;
    std::string current;
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                current += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                current += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.push_back(current);
            current.clear();
        } else if (c != '\r') {
            current += c;
        }
    }
    if (quoted)
        return Error{"unterminated quoted field"};
    fields.push_back(current);
    return fields;
}

} // namespace

Result<Authorizer> Authorizer::fromTokenFile(const std::string &path)
{
    std::ifstream in(path);
    if (!in)
        return Error{path + ": cannot open the token file"};
    std::stringstream text;
    text << in.rdbuf();
    return fromText(text.str(), path);
}

Result<Authorizer> Authorizer::fromText(const std::string &text, const std::string &source)
{
    Authorizer auth;
    auth.m_enabled = true;
    std::istringstream in(text);
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        const std::string where = source + ":" + std::to_string(lineNo) + ": ";
        if (line.find_first_not_of(" \t\r") == std::string::npos || line[line.find_first_not_of(" \t")] == '#')
            continue;
        Result<std::vector<std::string>> fields = splitCsv(line);
        if (!fields)
            return Error{where + fields.error()};
        if (fields->size() < 3)
            return Error{where + "expected token,user,uid[,\"group1,group2\"], got " + std::to_string(fields->size()) +
                         " field(s)"};
        User user{(*fields)[1], (*fields)[2], {}};
        const std::string &token = (*fields)[0];
        if (token.empty())
            return Error{where + "empty token"};
        if (user.name.empty())
            return Error{where + "empty user name"};
        if (fields->size() >= 4) {
            std::stringstream groups((*fields)[3]);
            std::string group;
            while (std::getline(groups, group, ','))
                if (!group.empty())
                    user.groups.push_back(group);
        }
        if (auth.m_tokens.count(token))
            return Error{where + "token of user \"" + user.name + "\" repeats an earlier line's token"};
        auth.m_tokens[token] = std::move(user);
    }
    if (auth.m_tokens.empty())
        return Error{source + ": no users (expected lines token,user,uid,\"group1,group2\")"};
    return auth;
}

std::optional<User> Authorizer::authenticate(const std::string &bearerToken) const
{
    if (!m_enabled)
        return User{"admin", "admin", {"system:masters", kOperatorsGroup}};
    const auto it = m_tokens.find(bearerToken);
    if (it == m_tokens.end())
        return std::nullopt;
    return it->second;
}

bool Authorizer::mayMutate(const User &user) const
{
    return std::any_of(user.groups.begin(), user.groups.end(),
                       [](const std::string &g) { return g == kOperatorsGroup || g == "system:masters"; });
}

} // namespace opsdeck::kubeapi
