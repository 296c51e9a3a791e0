// kubeconfig parsing, merging and resolution (the rules of client-go's loader).
#include "kubeconfig.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace opsdeck::remote {

namespace {

// Positioned error: "kubeconfig /x/config:12:5: users[0].user.token: expected a string".
struct Reader {
    std::string path;
    std::string error;

    bool fail(const YAML::Node &node, const std::string &field, const std::string &why) {
        if (!error.empty())
            return false;
        error = "kubeconfig " + path;
        if (node && node.Mark().line >= 0)
            error += ":" + std::to_string(node.Mark().line + 1) + ":" +
                     std::to_string(node.Mark().column + 1);
        error += ": " + field + ": " + why;
        return false;
    }
    std::string scalar(const YAML::Node &parent, const char *key, const std::string &field) {
        const YAML::Node value = parent[key];
        if (!value || value.IsNull())
            return {};
        if (!value.IsScalar()) {
            fail(value, field + "." + key, "expected a string");
            return {};
        }
        return value.Scalar();
    }
    bool boolean(const YAML::Node &parent, const char *key, const std::string &field) {
        const YAML::Node value = parent[key];
        if (!value || value.IsNull())
            return false;
        if (value.IsScalar()) {
            const std::string &s = value.Scalar();
            if (s == "true" || s == "True" || s == "TRUE")
                return true;
            if (s == "false" || s == "False" || s == "FALSE")
                return false;
        }
        fail(value, field + "." + key, "expected true or false");
        return false;
    }
    // "<field>-data": base64 in the file, PEM in memory.
    std::string base64Data(const YAML::Node &parent, const char *key, const std::string &field) {
        const std::string encoded = scalar(parent, key, field);
        if (encoded.empty())
            return {};
        std::string out;
        unsigned buffer = 0;
        int bits = 0;
        for (char c : encoded) {
            int v;
            if (c >= 'A' && c <= 'Z') v = c - 'A';
            else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
            else if (c >= '0' && c <= '9') v = c - '0' + 52;
            else if (c == '+') v = 62;
            else if (c == '/') v = 63;
            else if (c == '=' || c == '\n' || c == '\r' || c == ' ') continue;
            else {
                fail(parent[key], field + "." + key, "not valid base64");
                return {};
            }
            buffer = buffer << 6 | unsigned(v);
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out += char(buffer >> bits & 0xff);
            }
        }
        return out;
    }
    std::string pathField(const YAML::Node &parent, const char *key, const std::string &field) {
        std::string value = scalar(parent, key, field);
        if (value.empty())
            return value;
        if (value.starts_with("~/")) {
            if (const char *home = std::getenv("HOME"))
                return std::string(home) + value.substr(1);
        }
        std::filesystem::path p(value);
        if (p.is_relative())
            p = std::filesystem::path(path).parent_path() / p;
        return p.lexically_normal().string();
    }
};

// The named list "clusters:", "contexts:", "users:" -> each item's name and body.
template <typename Visit>
bool forEachNamed(Reader &r, const YAML::Node &root, const char *list, const char *body, Visit visit) {
    const YAML::Node items = root[list];
    if (!items || items.IsNull())
        return true;
    if (!items.IsSequence())
        return r.fail(items, list, "expected a list");
    for (std::size_t i = 0; i < items.size(); ++i) {
        const YAML::Node item = items[i];
        const std::string field = std::string(list) + "[" + std::to_string(i) + "]";
        if (!item.IsMap())
            return r.fail(item, field, "expected a mapping with name and " + std::string(body));
        const std::string name = r.scalar(item, "name", field);
        if (!r.error.empty())
            return false;
        if (name.empty())
            return r.fail(item, field + ".name", "missing");
        const YAML::Node inner = item[body];
        if (inner && !inner.IsNull() && !inner.IsMap())
            return r.fail(inner, field + "." + body, "expected a mapping");
        visit(name, inner && inner.IsMap() ? inner : YAML::Node(YAML::NodeType::Map),
              field + "." + body + " (\"" + name + "\")");
        if (!r.error.empty())
            return false;
    }
    return true;
}

Result<std::string> readFile(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{"kubeconfig " + path + ": cannot read: " + std::strerror(errno)};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

std::vector<std::string> Kubeconfig::contextNames() const {
    std::vector<std::string> names;
    for (const auto &[name, context] : contexts)
        names.push_back(name);
    return names;
}

void Kubeconfig::mergeLowerPrecedence(const Kubeconfig &other) {
    files.insert(files.end(), other.files.begin(), other.files.end());
    clusters.insert(other.clusters.begin(), other.clusters.end()); // insert keeps existing keys
    contexts.insert(other.contexts.begin(), other.contexts.end());
    users.insert(other.users.begin(), other.users.end());
    if (currentContext.empty()) {
        currentContext = other.currentContext;
        currentContextFile = other.currentContextFile;
    }
}

Result<Kubeconfig> parseKubeconfig(std::string_view yaml, const std::string &path) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception &e) {
        return Error{"kubeconfig " + path + ":" + std::to_string(e.mark.line + 1) + ":" +
                     std::to_string(e.mark.column + 1) + ": not valid YAML: " + e.msg};
    }
    Kubeconfig config;
    config.files.push_back(path);
    if (!root || root.IsNull())
        return config; // an empty file is valid and defines nothing (kubectl agrees)
    Reader r{path, {}};
    if (!root.IsMap())
        return Error{"kubeconfig " + path + ": expected a mapping (apiVersion, clusters, ...) at the top"};
    if (const std::string kind = r.scalar(root, "kind", "kind"); !kind.empty() && kind != "Config")
        r.fail(root["kind"], "kind", "expected Config, got \"" + kind + "\"");
    forEachNamed(r, root, "clusters", "cluster", [&](const std::string &name, const YAML::Node &c,
                                                     const std::string &field) {
        KubeCluster cluster;
        cluster.name = name;
        cluster.sourceFile = path;
        cluster.server = r.scalar(c, "server", field);
        cluster.caFile = r.pathField(c, "certificate-authority", field);
        cluster.caPem = r.base64Data(c, "certificate-authority-data", field);
        cluster.insecureSkipTlsVerify = r.boolean(c, "insecure-skip-tls-verify", field);
        cluster.tlsServerName = r.scalar(c, "tls-server-name", field);
        config.clusters.emplace(name, std::move(cluster)); // within one file, first wins too
    });
    forEachNamed(r, root, "contexts", "context", [&](const std::string &name, const YAML::Node &c,
                                                     const std::string &field) {
        KubeContext context;
        context.name = name;
        context.sourceFile = path;
        context.cluster = r.scalar(c, "cluster", field);
        context.user = r.scalar(c, "user", field);
        context.ns = r.scalar(c, "namespace", field);
        config.contexts.emplace(name, std::move(context));
    });
    forEachNamed(r, root, "users", "user", [&](const std::string &name, const YAML::Node &u,
                                               const std::string &field) {
        KubeUser user;
        user.name = name;
        user.sourceFile = path;
        user.token = r.scalar(u, "token", field);
        user.tokenFile = r.pathField(u, "tokenFile", field);
        user.clientCertFile = r.pathField(u, "client-certificate", field);
        user.clientCertPem = r.base64Data(u, "client-certificate-data", field);
        user.clientKeyFile = r.pathField(u, "client-key", field);
        user.clientKeyPem = r.base64Data(u, "client-key-data", field);
        user.username = r.scalar(u, "username", field);
        user.password = r.scalar(u, "password", field);
        if (const YAML::Node e = u["exec"]; e && !e.IsNull()) {
            if (!e.IsMap()) {
                r.fail(e, field + ".exec", "expected a mapping");
                return;
            }
            ExecConfig exec;
            const std::string execField = field + ".exec";
            exec.apiVersion = r.scalar(e, "apiVersion", execField);
            exec.command = r.scalar(e, "command", execField);
            if (exec.command.find('/') != std::string::npos)
                exec.command = r.pathField(e, "command", execField);
            if (exec.command.empty())
                r.fail(e, execField + ".command", "missing");
            if (exec.apiVersion != "client.authentication.k8s.io/v1" &&
                exec.apiVersion != "client.authentication.k8s.io/v1beta1")
                r.fail(e["apiVersion"] ? e["apiVersion"] : e, execField + ".apiVersion",
                       "expected client.authentication.k8s.io/v1 or v1beta1, got \"" +
                           exec.apiVersion + "\"");
            if (const YAML::Node args = e["args"]; args && !args.IsNull()) {
                if (!args.IsSequence())
                    r.fail(args, execField + ".args", "expected a list of strings");
                else
                    for (const auto &arg : args)
                        exec.args.push_back(arg.IsScalar() ? arg.Scalar() : std::string());
            }
            if (const YAML::Node env = e["env"]; env && !env.IsNull()) {
                if (!env.IsSequence())
                    r.fail(env, execField + ".env", "expected a list of {name, value}");
                else
                    for (std::size_t i = 0; i < env.size(); ++i) {
                        const std::string envField = execField + ".env[" + std::to_string(i) + "]";
                        const std::string envName = r.scalar(env[i], "name", envField);
                        if (envName.empty())
                            r.fail(env[i], envField + ".name", "missing");
                        exec.env.emplace_back(envName, r.scalar(env[i], "value", envField));
                    }
            }
            exec.installHint = r.scalar(e, "installHint", execField);
            exec.provideClusterInfo = r.boolean(e, "provideClusterInfo", execField);
            user.exec = std::move(exec);
        }
        config.users.emplace(name, std::move(user));
    });
    config.currentContext = r.scalar(root, "current-context", "current-context");
    if (!config.currentContext.empty())
        config.currentContextFile = path;
    if (!r.error.empty())
        return Error{r.error};
    return config;
}

Result<Kubeconfig> loadKubeconfigFiles(const std::vector<std::string> &paths) {
    if (paths.empty())
        return Error{"kubeconfig: no file given"};
    std::optional<Kubeconfig> merged;
    for (const std::string &path : paths) {
        auto text = readFile(path);
        if (!text)
            return Error{text.error()};
        auto one = parseKubeconfig(*text, path);
        if (!one)
            return Error{one.error()};
        if (!merged)
            merged = std::move(*one);
        else
            merged->mergeLowerPrecedence(*one);
    }
    return std::move(*merged);
}

Result<Kubeconfig> loadDefaultKubeconfig(std::optional<std::string> kubeconfigEnv,
                                         std::optional<std::string> home) {
    if (!kubeconfigEnv) {
        if (const char *env = std::getenv("KUBECONFIG"))
            kubeconfigEnv = env;
    }
    if (kubeconfigEnv && !kubeconfigEnv->empty()) {
        std::vector<std::string> existing;
        std::stringstream list(*kubeconfigEnv);
        for (std::string entry; std::getline(list, entry, ':');) {
            // kubectl skips empty entries, duplicates, and files that do not exist.
            if (entry.empty() || std::find(existing.begin(), existing.end(), entry) != existing.end())
                continue;
            if (std::filesystem::exists(entry))
                existing.push_back(entry);
        }
        if (existing.empty())
            return Error{"kubeconfig: none of the files in $KUBECONFIG exist (" + *kubeconfigEnv + ")"};
        return loadKubeconfigFiles(existing);
    }
    if (!home) {
        if (const char *h = std::getenv("HOME"))
            home = h;
    }
    const std::string path = (home ? *home : std::string()) + "/.kube/config";
    if (!std::filesystem::exists(path))
        return Error{"kubeconfig: $KUBECONFIG is not set and " + path + " does not exist"};
    return loadKubeconfigFiles({path});
}

Result<ResolvedContext> resolveContext(const Kubeconfig &config, const std::string &contextName) {
    const std::string files = config.files.empty() ? std::string("(none)") : config.files.front();
    const std::string name = contextName.empty() ? config.currentContext : contextName;
    if (name.empty())
        return Error{"kubeconfig " + files + ": no current-context set and no context given"};
    auto context = config.contexts.find(name);
    if (context == config.contexts.end()) {
        std::string known;
        for (const auto &[n, c] : config.contexts)
            known += (known.empty() ? "" : ", ") + n;
        return Error{"kubeconfig " + files + ": context \"" + name + "\" not found" +
                     (known.empty() ? "" : " (known: " + known + ")")};
    }
    const KubeContext &ctx = context->second;
    const std::string where = "kubeconfig " + ctx.sourceFile + ": context \"" + name + "\"";
    if (ctx.cluster.empty())
        return Error{where + ": cluster: missing"};
    auto cluster = config.clusters.find(ctx.cluster);
    if (cluster == config.clusters.end())
        return Error{where + ": cluster \"" + ctx.cluster + "\" not found"};
    const KubeCluster &cl = cluster->second;
    if (cl.server.empty())
        return Error{"kubeconfig " + cl.sourceFile + ": cluster \"" + cl.name + "\": server: missing"};
    if (!cl.server.starts_with("https://") && !cl.server.starts_with("http://"))
        return Error{"kubeconfig " + cl.sourceFile + ": cluster \"" + cl.name +
                     "\": server: expected an http:// or https:// URL, got \"" + cl.server + "\""};
    if (!cl.tlsServerName.empty())
        return Error{"kubeconfig " + cl.sourceFile + ": cluster \"" + cl.name +
                     "\": tls-server-name is not supported by OpsDeck yet"};
    ResolvedContext out;
    out.context = name;
    out.cluster = ctx.cluster;
    out.user = ctx.user;
    out.ns = ctx.ns.empty() ? "default" : ctx.ns;
    out.server = cl.server;
    while (out.server.ends_with('/'))
        out.server.pop_back();
    out.where = where;
    out.insecureSkipTlsVerify = cl.insecureSkipTlsVerify;
    out.http.tls.verifyPeer = !cl.insecureSkipTlsVerify;
    out.http.tls.caFile = cl.caFile;
    out.http.tls.caPem = cl.caPem;
    if (!ctx.user.empty()) {
        auto user = config.users.find(ctx.user);
        if (user == config.users.end())
            return Error{where + ": user \"" + ctx.user + "\" not found"};
        const KubeUser &u = user->second;
        const std::string userWhere = "kubeconfig " + u.sourceFile + ": user \"" + u.name + "\"";
        // kubectl: a token wins over tokenFile.
        out.http.bearerToken = u.token;
        if (u.token.empty())
            out.tokenFile = u.tokenFile;
        out.http.tls.clientCertFile = u.clientCertFile;
        out.http.tls.clientCertPem = u.clientCertPem;
        out.http.tls.clientKeyFile = u.clientKeyFile;
        out.http.tls.clientKeyPem = u.clientKeyPem;
        const bool hasCert = !u.clientCertFile.empty() || !u.clientCertPem.empty();
        const bool hasKey = !u.clientKeyFile.empty() || !u.clientKeyPem.empty();
        if (hasCert != hasKey)
            return Error{userWhere + ": " + (hasCert ? "client-key" : "client-certificate") +
                         ": missing (a client certificate needs its key and vice versa)"};
        out.http.basicUser = u.username;
        out.http.basicPassword = u.password;
        out.exec = u.exec;
        if (!out.tokenFile.empty() && !std::filesystem::exists(out.tokenFile))
            return Error{userWhere + ": tokenFile: " + out.tokenFile + " does not exist"};
        for (const auto &[field, file] : {std::pair{"client-certificate", u.clientCertFile},
                                          std::pair{"client-key", u.clientKeyFile}})
            if (!file.empty() && !std::filesystem::exists(file))
                return Error{userWhere + ": " + field + ": " + file + " does not exist"};
    }
    if (!cl.caFile.empty() && !std::filesystem::exists(cl.caFile))
        return Error{"kubeconfig " + cl.sourceFile + ": cluster \"" + cl.name +
                     "\": certificate-authority: " + cl.caFile + " does not exist"};
    return out;
}

} // namespace opsdeck::remote
