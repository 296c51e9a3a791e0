#include "remote_config.h"

#include "component_map.h"
#include "kubeconfig.h"

namespace opsdeck::remote {

namespace {
// Settings group names may not contain '/' or '\\'; contexts like "arn:aws:.../prod" do.
QString groupFor(const QString &clusterKey)
{
    return QStringLiteral("remote/clusters/") + QString::fromLatin1(clusterKey.toUtf8().toPercentEncoding());
}
} // namespace

void RemoteConfigStore::remember(const RemoteConfig &config)
{
    m_settings->beginGroup(groupFor(config.clusterKey()));
    m_settings->setValue(QStringLiteral("kubeconfig"), config.kubeconfigPath);
    m_settings->setValue(QStringLiteral("context"), config.context);
    m_settings->setValue(QStringLiteral("prometheus"), withoutUserInfo(config.prometheusUrl));
    m_settings->setValue(QStringLiteral("alertmanager"), withoutUserInfo(config.alertmanagerUrl));
    m_settings->setValue(QStringLiteral("componentMap"), config.componentMapPath);
    m_settings->setValue(QStringLiteral("refreshMs"), config.refreshIntervalMs);
    m_settings->endGroup();
    m_settings->setValue(QStringLiteral("remote/last"), config.clusterKey());
}

std::optional<RemoteConfig> RemoteConfigStore::recall(const QString &clusterKey) const
{
    const QString group = groupFor(clusterKey);
    if (!m_settings->contains(group + QStringLiteral("/context")))
        return std::nullopt;
    RemoteConfig config;
    config.kubeconfigPath = m_settings->value(group + QStringLiteral("/kubeconfig")).toString();
    config.context = m_settings->value(group + QStringLiteral("/context")).toString();
    config.prometheusUrl = m_settings->value(group + QStringLiteral("/prometheus")).toString();
    config.alertmanagerUrl = m_settings->value(group + QStringLiteral("/alertmanager")).toString();
    config.componentMapPath = m_settings->value(group + QStringLiteral("/componentMap")).toString();
    config.refreshIntervalMs = m_settings->value(group + QStringLiteral("/refreshMs"), 5000).toInt();
    return config;
}

std::optional<RemoteConfig> RemoteConfigStore::last() const
{
    const QString key = m_settings->value(QStringLiteral("remote/last")).toString();
    if (key.isEmpty())
        return std::nullopt;
    return recall(key);
}

QStringList RemoteConfigStore::rememberedClusters() const
{
    m_settings->beginGroup(QStringLiteral("remote/clusters"));
    const QStringList encoded = m_settings->childGroups();
    m_settings->endGroup();
    QStringList out;
    for (const QString &e : encoded)
        out << QString::fromUtf8(QByteArray::fromPercentEncoding(e.toLatin1()));
    out.sort();
    return out;
}

RemoteConfigParse remoteConfigFromArguments(const QStringList &args)
{
    RemoteConfigParse out;
    for (int i = 0; i < args.size(); ++i) {
        QString name = args[i];
        QString value;
        bool hasInlineValue = false;
        if (name == QLatin1String("--json")) {
            out.json = true;
            continue;
        }
        const int eq = name.indexOf(QLatin1Char('='));
        if (name.startsWith(QLatin1String("--")) && eq > 0) {
            value = name.mid(eq + 1);
            name = name.left(eq);
            hasInlineValue = true;
        }
        QString *target = nullptr;
        if (name == QLatin1String("--kubeconfig"))
            target = &out.config.kubeconfigPath;
        else if (name == QLatin1String("--context"))
            target = &out.config.context;
        else if (name == QLatin1String("--prometheus"))
            target = &out.config.prometheusUrl;
        else if (name == QLatin1String("--alertmanager"))
            target = &out.config.alertmanagerUrl;
        else if (name == QLatin1String("--component-map"))
            target = &out.config.componentMapPath;
        if (!target) {
            out.error = QStringLiteral("unknown option '%1' (expected --kubeconfig, --context, --prometheus, "
                                       "--alertmanager, --component-map, --json)")
                            .arg(args[i]);
            return out;
        }
        if (!hasInlineValue) {
            if (i + 1 >= args.size() || args[i + 1].startsWith(QLatin1String("--"))) {
                out.error = QStringLiteral("option %1 needs a value").arg(name);
                return out;
            }
            value = args[++i];
        }
        *target = value;
    }
    const QStringList problems = out.config.problems();
    if (!problems.isEmpty())
        out.error = problems.join(QStringLiteral("; "));
    else if (const QString map = componentMapProblem(out.config.componentMapPath); !map.isEmpty())
        out.error = QStringLiteral("--component-map: ") + map;
    return out;
}

QString componentMapProblem(const QString &path)
{
    if (path.isEmpty())
        return {};
    auto map = ComponentMap::load(path.toStdString());
    return map ? QString() : QString::fromStdString(map.error());
}

QStringList listKubeconfigContexts(const QString &kubeconfigPath, QString *error)
{
    auto config = kubeconfigPath.isEmpty() ? loadDefaultKubeconfig()
                                           : loadKubeconfigFiles({kubeconfigPath.toStdString()});
    if (!config) {
        if (error)
            *error = QString::fromStdString(config.error());
        return {};
    }
    QStringList names;
    for (const std::string &name : config->contextNames())
        names << QString::fromStdString(name);
    if (names.isEmpty() && error)
        *error = QStringLiteral("kubeconfig %1: no contexts defined").arg(kubeconfigPath);
    return names;
}

} // namespace opsdeck::remote
