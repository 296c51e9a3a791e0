#pragma once
// What OpsDeck needs to attach to a real cluster: a kubeconfig context (inventory and
// actions), a Prometheus URL (metrics, rules) and an Alertmanager URL (alerts, silences).
// Remembered per cluster in QSettings so the connect dialog can offer the last URLs for a
// context. Secrets are never stored: credentials stay in the kubeconfig, and userinfo
// ("user:pass@") is stripped from URLs before they are remembered.
//
// The struct and its checks are inline so that the connect dialog (widgets layer) can use
// them without linking the network library; RemoteConfigStore lives in remote_config.cpp.
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace opsdeck::remote {

struct RemoteConfig {
    QString kubeconfigPath;   // empty: $KUBECONFIG or ~/.kube/config, as kubectl
    QString context;          // empty: the kubeconfig's current-context
    QString prometheusUrl;    // empty: no metrics (the console says so)
    QString alertmanagerUrl;  // empty: no alerts (the console says so)
    QString componentMapPath; // YAML: runbook component -> label selector (component_map.h);
                              // empty: deployment names and app labels as they are
    int refreshIntervalMs = 5000; // Prometheus and Alertmanager polls (Kubernetes is watched)

    // The key a cluster is remembered under: the context name (or "default").
    QString clusterKey() const { return context.isEmpty() ? QStringLiteral("default") : context; }

    // What is wrong with these settings, one sentence each; empty when usable.
    QStringList problems() const
    {
        const auto tr = [](const char *text) { return QCoreApplication::translate("OpsDeck::Remote", text); };
        QStringList out;
        const auto checkFile = [&out, &tr](const QString &what, const QString &path) {
            if (path.isEmpty())
                return;
            const QFileInfo file(path);
            if (!file.exists())
                out << QStringLiteral("%1 %2: %3").arg(what, path, tr("no such file"));
            else if (!file.isFile() || !file.isReadable())
                out << QStringLiteral("%1 %2: %3").arg(what, path, tr("not a readable file"));
        };
        checkFile(QStringLiteral("kubeconfig"), kubeconfigPath);
        checkFile(QStringLiteral("component map"), componentMapPath);
        const auto checkUrl = [&out, &tr](const QString &what, const QString &text) {
            if (text.isEmpty())
                return;
            const QUrl url(text, QUrl::StrictMode);
            if (!url.isValid() || url.host().isEmpty())
                out << tr("%1 URL \"%2\": not a valid URL (expected http://host:port)").arg(what, text);
            else if (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
                out << tr("%1 URL \"%2\": the scheme must be http or https").arg(what, text);
        };
        checkUrl(QStringLiteral("Prometheus"), prometheusUrl);
        checkUrl(QStringLiteral("Alertmanager"), alertmanagerUrl);
        if (refreshIntervalMs < 500)
            out << tr("refresh interval %1 ms: must be at least 500 ms").arg(refreshIntervalMs);
        return out;
    }

    friend bool operator==(const RemoteConfig &, const RemoteConfig &) = default;
};

// "http://user:secret@host:9090/" -> "http://host:9090/": what may be written to disk.
inline QString withoutUserInfo(const QString &url)
{
    QUrl parsed(url);
    if (!parsed.isValid() || parsed.userInfo().isEmpty())
        return url;
    parsed.setUserInfo(QString());
    return parsed.toString();
}

// Remembers RemoteConfigs in a QSettings under "remote/": one group per cluster key,
// plus which one was used last.
class RemoteConfigStore {
public:
    explicit RemoteConfigStore(QSettings *settings) : m_settings(settings) {}

    void remember(const RemoteConfig &config);
    std::optional<RemoteConfig> recall(const QString &clusterKey) const;
    std::optional<RemoteConfig> last() const;
    QStringList rememberedClusters() const;

private:
    QSettings *m_settings;
};

// `opsdeck status` style options: --kubeconfig F --context C --prometheus URL
// --alertmanager URL --component-map F (also --name=value). Unknown options are errors
// naming them; a component map that does not load is an error naming its file and line.
struct RemoteConfigParse {
    RemoteConfig config;
    bool json = false;
    QString error; // empty: parsed
};
RemoteConfigParse remoteConfigFromArguments(const QStringList &args);

// Loads a component map file to see that it is usable: "" when it is (or path is empty),
// else the error naming the file, line and field. For the connect dialog and the CLIs.
QString componentMapProblem(const QString &path);

// Context names of a kubeconfig ("" = $KUBECONFIG or ~/.kube/config, as kubectl), for the
// connect dialog; on failure {} and *error says which file and why.
QStringList listKubeconfigContexts(const QString &kubeconfigPath, QString *error);

} // namespace opsdeck::remote
