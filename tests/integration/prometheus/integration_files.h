#pragma once
// Configuration files and request bodies for tst_prometheus_integration. Kept in a header
// because moc 6.4 misreads braces in string literals of the files it parses.
#include <QRegularExpression>
#include <QString>

namespace opsdeck::integration {

inline QString prometheusYaml(quint16 simPort, quint16 amPort)
{
    return QStringLiteral("global:\n"
                          "  scrape_interval: 1s\n"
                          "  scrape_timeout: 1s\n"
                          "  evaluation_interval: 1s\n"
                          "rule_files:\n"
                          "  - rules.yml\n"
                          "alerting:\n"
                          "  alertmanagers:\n"
                          "    - static_configs:\n"
                          "        - targets: ['127.0.0.1:%2']\n"
                          "scrape_configs:\n"
                          "  - job_name: opsdeck-sim\n"
                          // The simulator labels its series with the runbook's jobs
                          // (job="model-server", ...): keep them, as for a federated source.
                          "    honor_labels: true\n"
                          "    static_configs:\n"
                          "      - targets: ['127.0.0.1:%1']\n")
        .arg(simPort)
        .arg(amPort);
}

inline QString alertmanagerYaml()
{
    return QStringLiteral("route:\n"
                          "  receiver: console\n"
                          "  group_by: [alertname]\n"
                          "  group_wait: 1s\n"
                          "  group_interval: 1s\n"
                          "  repeat_interval: 1h\n"
                          "receivers:\n"
                          "  - name: console\n");
}

inline QString kubeconfigYaml(quint16 simPort)
{
    return QStringLiteral("apiVersion: v1\n"
                          "kind: Config\n"
                          "clusters:\n"
                          "- name: drill\n"
                          "  cluster:\n"
                          "    server: http://127.0.0.1:%1\n"
                          "users:\n"
                          "- name: operator\n"
                          "  user:\n"
                          "    token: drill-operator-token\n"
                          "contexts:\n"
                          "- name: drill\n"
                          "  context:\n"
                          "    cluster: drill\n"
                          "    user: operator\n"
                          "    namespace: chatgpt-agent\n"
                          "current-context: drill\n")
        .arg(simPort);
}

// The runbook rules with wall-clock-friendly timing, so the test fits in about a minute:
// every `for:` becomes 5s and every 5m rate window 20s (serve runs at 60x, so 20 s of
// wall time hold 20 simulated minutes of samples). Expressions are otherwise verbatim,
// and promtool checks the result.
inline QString fastRunbookRules(QString yaml)
{
    yaml.replace(QRegularExpression(QStringLiteral("for: *[0-9]+[smh]")), QStringLiteral("for: 5s"));
    yaml.replace(QStringLiteral("[5m]"), QStringLiteral("[20s]"));
    return yaml;
}

inline const char *badDeployFault() { return "{\"kind\":\"bad-deploy\",\"target\":\"agent-orchestrator\",\"params\":{}}"; }

} // namespace opsdeck::integration
