// Reading dashboards from YAML/JSON files and user panels from QSettings JSON. Every
// error names the file, the line:column of the offending node and the field path.
#include "panel_definition.h"

#include "models_tr.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <yaml-cpp/yaml.h>

namespace opsdeck::models {

namespace {

// Thrown inside the parser only, caught at its boundary and turned into Result.
struct DefinitionError {
    std::string message;
};

class Reader {
public:
    explicit Reader(QString source) : m_source(std::move(source)) {}

    [[noreturn]] void fail(const YAML::Node &node, const std::string &path, const QString &why) const
    {
        std::string where = m_source.toStdString();
        if (node.IsDefined() && !node.Mark().is_null())
            where += ":" + std::to_string(node.Mark().line + 1) + ":" +
                     std::to_string(node.Mark().column + 1);
        throw DefinitionError{where + ": " + path + ": " + why.toStdString()};
    }

    // A field of `map`; a missing one is reported at the map's position.
    QString string(const YAML::Node &map, const char *key, const std::string &path, bool required = true) const
    {
        const YAML::Node node = map[key];
        if (!node.IsDefined() || node.IsNull()) {
            if (required)
                fail(map, path, Tr::tr("missing (required)"));
            return {};
        }
        if (!node.IsScalar())
            fail(node, path, Tr::tr("expected a string"));
        return QString::fromStdString(node.Scalar());
    }

    std::optional<double> number(const YAML::Node &node, const std::string &path) const
    {
        if (!node.IsDefined() || node.IsNull())
            return std::nullopt;
        double v = 0;
        if (!node.IsScalar() || !YAML::convert<double>::decode(node, v))
            fail(node, path, Tr::tr("expected a number, got \"%1\"")
                                 .arg(QString::fromStdString(node.IsScalar() ? node.Scalar() : "…")));
        return v;
    }

    bool boolean(const YAML::Node &node, const std::string &path) const
    {
        if (!node.IsDefined() || node.IsNull())
            return false;
        bool v = false;
        if (!node.IsScalar() || !YAML::convert<bool>::decode(node, v))
            fail(node, path, Tr::tr("expected true or false"));
        return v;
    }

    void onlyKeys(const YAML::Node &map, const std::string &path,
                  std::initializer_list<const char *> known) const
    {
        for (auto it = map.begin(); it != map.end(); ++it) {
            const std::string key = it->first.Scalar();
            bool ok = false;
            for (const char *k : known)
                ok = ok || key == k;
            if (!ok)
                fail(it->first, path + "." + key, Tr::tr("unknown field"));
        }
    }

    PanelThreshold threshold(const YAML::Node &node, const std::string &path) const
    {
        if (!node.IsMap())
            fail(node, path, Tr::tr("expected {value, bad, severity}"));
        onlyKeys(node, path, {"value", "bad", "severity"});
        PanelThreshold t;
        auto value = number(node["value"], path + ".value");
        if (!value)
            fail(node, path + ".value", Tr::tr("missing (required)"));
        t.value = *value;
        const QString bad = string(node, "bad", path + ".bad", false);
        if (bad.isEmpty() || bad == QLatin1String("above"))
            t.badSide = Breach::Above;
        else if (bad == QLatin1String("below"))
            t.badSide = Breach::Below;
        else
            fail(node["bad"], path + ".bad", Tr::tr("expected \"above\" or \"below\", got \"%1\"").arg(bad));
        const QString severity = string(node, "severity", path + ".severity", false);
        if (severity.isEmpty() || severity == QLatin1String("P2"))
            t.severity = Severity::P2;
        else if (severity == QLatin1String("P1"))
            t.severity = Severity::P1;
        else
            fail(node["severity"], path + ".severity",
                 Tr::tr("expected P1 or P2, got \"%1\"").arg(severity));
        return t;
    }

    PanelDefinition panel(const YAML::Node &node, const std::string &path) const
    {
        if (!node.IsMap())
            fail(node, path, Tr::tr("expected a panel (a map with title and query)"));
        onlyKeys(node, path, {"title", "query", "unit", "legend", "threshold", "stacked", "min",
                              "max", "description"});
        PanelDefinition p;
        p.title = string(node, "title", path + ".title");
        p.query = string(node, "query", path + ".query");
        if (auto ok = validateQuery(p.query); !ok)
            fail(node["query"], path + ".query", QString::fromStdString(ok.error()));
        const QString unit = string(node, "unit", path + ".unit", false);
        if (!unit.isEmpty()) {
            auto u = unitFromName(unit);
            if (!u)
                fail(node["unit"], path + ".unit",
                     Tr::tr("unknown unit \"%1\" (expected one of %2)")
                         .arg(unit, unitNames().join(QStringLiteral(", "))));
            p.unit = *u;
        }
        p.legendFormat = string(node, "legend", path + ".legend", false);
        if (node["threshold"].IsDefined() && !node["threshold"].IsNull())
            p.threshold = threshold(node["threshold"], path + ".threshold");
        p.stacked = boolean(node["stacked"], path + ".stacked");
        p.yMin = number(node["min"], path + ".min");
        p.yMax = number(node["max"], path + ".max");
        if (p.yMin && p.yMax && *p.yMin >= *p.yMax)
            fail(node["max"], path + ".max", Tr::tr("must be greater than min"));
        p.description = string(node, "description", path + ".description", false);
        return p;
    }

    QList<DashboardDefinition> dashboards(const YAML::Node &root) const
    {
        if (!root.IsMap() || !root["dashboards"].IsDefined())
            fail(root, "dashboards", Tr::tr("missing: the file must have a top-level \"dashboards\" list"));
        const YAML::Node list = root["dashboards"];
        if (!list.IsSequence())
            fail(list, "dashboards", Tr::tr("expected a list of dashboards"));
        QList<DashboardDefinition> out;
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string path = "dashboards[" + std::to_string(i) + "]";
            const YAML::Node d = list[i];
            if (!d.IsMap())
                fail(d, path, Tr::tr("expected a dashboard (a map with name and panels)"));
            onlyKeys(d, path, {"name", "panels"});
            DashboardDefinition dash;
            dash.name = string(d, "name", path + ".name");
            const YAML::Node panels = d["panels"];
            if (!panels.IsSequence() || panels.size() == 0)
                fail(panels.IsDefined() ? panels : d, path + ".panels",
                     Tr::tr("expected a non-empty list of panels"));
            for (std::size_t j = 0; j < panels.size(); ++j)
                dash.panels << panel(panels[j], path + ".panels[" + std::to_string(j) + "]");
            out << dash;
        }
        return out;
    }

private:
    QString m_source;
};

} // namespace

Result<QList<DashboardDefinition>> parseDashboards(std::string_view text, const QString &sourceName)
{
    try {
        const YAML::Node root = YAML::Load(std::string(text));
        return Reader(sourceName).dashboards(root);
    } catch (const YAML::Exception &e) {
        return Error{sourceName.toStdString() + ":" + std::to_string(e.mark.line + 1) + ":" +
                     std::to_string(e.mark.column + 1) + ": " + e.msg};
    } catch (const DefinitionError &e) {
        return Error{e.message};
    }
}

Result<QList<DashboardDefinition>> loadDashboardsFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{Tr::tr("%1: cannot read: %2").arg(path, file.errorString()).toStdString()};
    const QByteArray bytes = file.readAll();
    return parseDashboards(std::string_view(bytes.constData(), std::size_t(bytes.size())), path);
}

QString panelToJson(const PanelDefinition &p)
{
    QJsonObject o;
    o[QLatin1String("title")] = p.title;
    o[QLatin1String("query")] = p.query;
    o[QLatin1String("unit")] = unitName(p.unit);
    if (!p.legendFormat.isEmpty())
        o[QLatin1String("legend")] = p.legendFormat;
    if (p.threshold) {
        QJsonObject t;
        t[QLatin1String("value")] = p.threshold->value;
        t[QLatin1String("bad")] = p.threshold->badSide == Breach::Above ? QStringLiteral("above")
                                                                          : QStringLiteral("below");
        t[QLatin1String("severity")] = severityName(p.threshold->severity);
        o[QLatin1String("threshold")] = t;
    }
    if (p.stacked)
        o[QLatin1String("stacked")] = true;
    if (p.yMin)
        o[QLatin1String("min")] = *p.yMin;
    if (p.yMax)
        o[QLatin1String("max")] = *p.yMax;
    if (!p.description.isEmpty())
        o[QLatin1String("description")] = p.description;
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

Result<PanelDefinition> panelFromJson(const QString &json)
{
    // Same reader as files, so a stored panel is checked exactly as a loaded one.
    const std::string text = "dashboards: [{name: stored, panels: [" + json.toStdString() + "]}]";
    auto parsed = parseDashboards(text, Tr::tr("stored panel"));
    if (!parsed)
        return Error{parsed.error()};
    return parsed->front().panels.front();
}

} // namespace opsdeck::models
