#pragma once
// kubeconfig as kubectl reads it: $KUBECONFIG (colon-separated, merged: the first file to
// define a cluster/context/user name wins, the first non-empty current-context wins),
// else ~/.kube/config. Relative file paths resolve against the file that names them.
// Errors name the file (and line:column when YAML is at fault), the context and the field:
//   kubeconfig /x/config: context "prod": user "bob" not found
// Secrets (token, key data) are kept only in memory and never appear in messages.
#include "../telemetry/result.h"
#include "http_client.h"

#include <QObject>

#include <QCoro/QCoroTask>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace opsdeck::remote {

// users[].user.exec: a client.authentication.k8s.io credential plugin.
struct ExecConfig {
    std::string apiVersion;   // client.authentication.k8s.io/v1 or /v1beta1
    std::string command;      // resolved against the kubeconfig's dir when it has a '/'
    std::vector<std::string> args;
    std::vector<std::pair<std::string, std::string>> env;
    std::string installHint;
    bool provideClusterInfo = false;
};

struct KubeUser {
    std::string name, sourceFile;
    std::string token;             // secret
    std::string tokenFile;
    std::string clientCertFile, clientCertPem; // *-data base64-decoded
    std::string clientKeyFile, clientKeyPem;   // secret
    std::string username, password;            // basic auth (password secret)
    std::optional<ExecConfig> exec;
};

struct KubeCluster {
    std::string name, sourceFile;
    std::string server;
    std::string caFile, caPem;
    bool insecureSkipTlsVerify = false;
    std::string tlsServerName;
};

struct KubeContext {
    std::string name, sourceFile;
    std::string cluster, user, ns;
};

struct Kubeconfig {
    std::vector<std::string> files;    // loaded, highest precedence first
    std::map<std::string, KubeCluster> clusters;
    std::map<std::string, KubeContext> contexts;
    std::map<std::string, KubeUser> users;
    std::string currentContext;
    std::string currentContextFile;    // where current-context came from

    std::vector<std::string> contextNames() const;
    // Merges `other` underneath this one (kubectl: first definition wins).
    void mergeLowerPrecedence(const Kubeconfig &other);
};

// One file's YAML. `path` names it in errors and anchors relative paths.
Result<Kubeconfig> parseKubeconfig(std::string_view yaml, const std::string &path);
// Loads and merges explicit files in precedence order. Missing files are an error.
Result<Kubeconfig> loadKubeconfigFiles(const std::vector<std::string> &paths);
// kubectl's default: $KUBECONFIG (missing entries skipped, as kubectl does) or
// ~/.kube/config. `env`/`home` override the process environment (for tests).
Result<Kubeconfig> loadDefaultKubeconfig(std::optional<std::string> kubeconfigEnv = std::nullopt,
                                         std::optional<std::string> home = std::nullopt);

// Everything needed to talk to one context's API server.
struct ResolvedContext {
    std::string context, cluster, user;
    std::string ns;                    // "default" when the context names none
    std::string server;                // https://host:6443 (no trailing slash)
    HttpOptions http;                  // TLS material and static token / basic auth
    bool insecureSkipTlsVerify = false; // shown in the UI
    std::string tokenFile;             // re-read on each credential refresh
    std::optional<ExecConfig> exec;
    std::string where;                 // "kubeconfig /x/config: context \"prod\"" for errors
};
Result<ResolvedContext> resolveContext(const Kubeconfig &config, const std::string &context = {});

// Output of an exec plugin.
struct ExecCredential {
    std::string token;                 // secret
    std::string clientCertPem, clientKeyPem;
    std::optional<std::int64_t> expiresAtMs; // Unix ms; none: valid until a 401
};
// Parses the plugin's stdout; `apiVersion` is what we asked for (it must answer in kind).
Result<ExecCredential> parseExecCredential(std::string_view json, const std::string &apiVersion,
                                           const std::string &where);

// Supplies current credentials for a context: static token/cert, token file (re-read when
// refreshed) or exec plugin (run when there is no token yet, when it expired, or after a
// 401 via invalidate()). Plugins run as child processes on the event loop, never blocking.
class KubeCredentials : public QObject {
    Q_OBJECT
public:
    explicit KubeCredentials(ResolvedContext context, QObject *parent = nullptr);
    const ResolvedContext &context() const { return m_context; }
    // HttpOptions to use now (refreshing first if needed). nowMs: Unix ms (tests).
    QCoro::Task<Result<HttpOptions>> options(std::optional<std::int64_t> nowMs = std::nullopt);
    void invalidate() { m_valid = false; }  // the server said 401: fetch anew next time
    int execRuns() const { return m_execRuns; }
    std::chrono::milliseconds execTimeout{30000};

private:
    ResolvedContext m_context;
    HttpOptions m_current;
    bool m_valid = false;
    std::optional<std::int64_t> m_expiresAtMs;
    int m_execRuns = 0;
};

} // namespace opsdeck::remote
