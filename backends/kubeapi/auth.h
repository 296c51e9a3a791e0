#pragma once
// Authentication and authorization of the simulated API server.
// --token-auth-file in kube-apiserver's format: one user per line,
//   token,user,uid,"group1,group2"
// Members of opsdeck:operators (or system:masters) may change things; everyone else
// authenticated may only read. Without a token file everyone may do everything (the
// server then listens on 127.0.0.1 only).
#include "../telemetry/result.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace opsdeck::kubeapi {

inline constexpr const char *kOperatorsGroup = "opsdeck:operators";
inline constexpr const char *kViewersGroup = "opsdeck:viewers";

struct User {
    std::string name;
    std::string uid;
    std::vector<std::string> groups;
};

class Authorizer {
public:
    Authorizer() = default; // no token file: anonymous full access
    // Errors read "FILE:LINE: why".
    static Result<Authorizer> fromTokenFile(const std::string &path);
    static Result<Authorizer> fromText(const std::string &text, const std::string &source);

    bool enabled() const { return m_enabled; }
    // nullopt: the token is missing or unknown (401). Without a token file, "admin".
    std::optional<User> authenticate(const std::string &bearerToken) const;
    bool mayMutate(const User &user) const;
    std::size_t userCount() const { return m_tokens.size(); }

private:
    bool m_enabled = false;
    std::map<std::string, User> m_tokens;
};

} // namespace opsdeck::kubeapi
