#pragma once
// kubeconfig files and an exec credential plugin for tst_kubeconfig (kept out of the
// moc-read .cpp: moc 6.4 misparses braces inside raw strings).
namespace kubeconfig_files {

// Highest precedence in the merge tests.
inline constexpr const char *kFirst = R"yaml(apiVersion: v1
kind: Config
clusters:
- name: shared
  cluster:
    server: https://first.example:6443/
    certificate-authority: ca/first-ca.pem
contexts:
- name: first
  context: {cluster: shared, user: alice, namespace: chatgpt-agent}
current-context: first
users:
- name: alice
  user:
    token: alice-token-0123456789
)yaml";

inline constexpr const char *kSecond = R"yaml(apiVersion: v1
kind: Config
clusters:
- name: shared
  cluster:
    server: https://second.example:6443
- name: lab
  cluster:
    server: https://127.0.0.1:6443
    insecure-skip-tls-verify: true
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
contexts:
- name: first
  context: {cluster: lab, user: bob}
- name: lab
  context: {cluster: lab, user: bob}
- name: prod
  context: {cluster: lab, user: bob-missing}
- name: exec
  context: {cluster: lab, user: plugin}
current-context: lab
users:
- name: alice
  user:
    token: not-this-one
- name: bob
  user:
    client-certificate-data: Y2VydC1wZW0=
    client-key-data: a2V5LXBlbQ==
- name: plugin
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/credential-plugin.sh
      args: ["--cluster", "lab"]
      env:
      - name: PLUGIN_TOKEN
        value: from-the-plugin-42
      installHint: install the plugin
      provideClusterInfo: true
)yaml";

inline constexpr const char *kBadYaml = "clusters:\n- name: a\n  cluster: [unclosed\n";
inline constexpr const char *kClustersNotAList = "kind: Config\nclusters:\n  a: 1\n";
inline constexpr const char *kBadBase64 = R"yaml(users:
- name: carol
  user:
    client-key-data: "not*base64!"
)yaml";
inline constexpr const char *kBadExecVersion = R"yaml(users:
- name: dave
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1alpha1
      command: aws
)yaml";
inline constexpr const char *kBadBool = R"yaml(clusters:
- name: c
  cluster:
    server: https://x
    insecure-skip-tls-verify: perhaps
)yaml";

// Prints an ExecCredential; records what kubectl-style callers must pass it.
inline constexpr const char *kPlugin = R"sh(#!/bin/sh
printf '%s\n' "$KUBERNETES_EXEC_INFO" > "$(dirname "$0")/exec-info.json"
printf '%s\n' "$*" > "$(dirname "$0")/exec-args.txt"
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",'
printf '"status":{"token":"%s","expirationTimestamp":"2030-01-01T00:00:00Z"}}\n' "$PLUGIN_TOKEN"
)sh";

inline constexpr const char *kFailingPlugin =
    "#!/bin/sh\necho 'error: you must log in with sso first' >&2\nexit 3\n";

inline constexpr const char *kExecCredentialV1beta1 =
    R"json({"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"clientCertificateData":"CERT","clientKeyData":"KEY"}})json";

} // namespace kubeconfig_files
