#pragma once
// Dashboards as data: a panel is a PromQL query plus how to read it (unit, legend,
// the runbook's threshold and severity, stacked or not). Three dashboards are compiled
// in ("System health", "Business", "GPU inference"); more can be loaded from a YAML or
// JSON file, and a user's own panels are the same struct stored in QSettings.
//
// Queries may contain `$component`: the service map's selection, substituted as a regex
// (".*" when nothing is selected), e.g. `job=~"$component"` or `pod=~"$component-.*"`.
#include "../backends/telemetry/labels.h"
#include "../backends/telemetry/result.h"
#include "health_metric.h"

#include <QList>
#include <QString>

#include <optional>
#include <string_view>

namespace opsdeck::models {

// How a panel's numbers read. Percent: the query returns a ratio (0..1), shown x100.
enum class PanelUnit { Percent, Seconds, PerSecond, PerMinute, Bytes, Count };

struct PanelThreshold {
    double value = 0;       // in the query's units (ratios stay 0..1)
    Breach badSide = Breach::Above;
    Severity severity = Severity::P2;

    bool operator==(const PanelThreshold &) const = default;
};

struct PanelDefinition {
    QString title;
    QString query;          // PromQL, may contain $component
    PanelUnit unit = PanelUnit::Count;
    QString legendFormat;   // "{{tier}}"; empty: the series' labels
    std::optional<PanelThreshold> threshold;
    bool stacked = false;
    std::optional<double> yMin; // y range hints, in the query's units
    std::optional<double> yMax;
    QString description;    // tooltip: what the panel shows and why it matters

    bool operator==(const PanelDefinition &) const = default;
};

struct DashboardDefinition {
    QString name;
    QList<PanelDefinition> panels;
};

// The three built-in dashboards, in display order.
QList<DashboardDefinition> builtInDashboards();

// Parses dashboards from YAML or JSON text (JSON is YAML). Shape:
//   dashboards:
//     - name: My board
//       panels:
//         - {title: Errors, query: 'sum(rate(x[5m]))', unit: req/s,
//            legend: '{{job}}', threshold: {value: 0.05, bad: above, severity: P1},
//            stacked: false, min: 0, max: 1}
// Every error says where: "<source>:12:9: panels[2].unit: unknown unit \"furlongs\"
// (expected one of ...)". Queries are checked with the PromQL parser.
Result<QList<DashboardDefinition>> parseDashboards(std::string_view text, const QString &sourceName);
Result<QList<DashboardDefinition>> loadDashboardsFile(const QString &path);

// A panel as a one-line JSON object and back (QSettings storage of user panels).
QString panelToJson(const PanelDefinition &panel);
Result<PanelDefinition> panelFromJson(const QString &json);

// Checks a query as typed by a user; the error carries the PromQL parser's "line:col".
Result<bool> validateQuery(const QString &query);
// Column (1-based) of a "line:col: ..." PromQL error on line 1; 0 when there is none.
int errorColumn(const QString &error);

// $component -> the regex-escaped component, or ".*" when empty.
QString substituteComponent(const QString &query, const QString &component);
bool usesComponent(const QString &query);

// "{{tier}} on {{region}}" over a series' labels; empty format: "{a="b", ...}" or the
// metric name; a label the series lacks renders empty, as in Grafana.
QString formatLegend(const QString &format, const telemetry::Labels &labels);

// Unit-aware display: "97.3 %", "1.84 s", "12.3 GiB", "1,234 /s". NaN: "–".
QString formatPanelValue(PanelUnit unit, double value);
// Multiplier from query units to axis units (Percent: 100; Bytes: to the scale that
// `bytesScaleFor(max)` picks) and the axis unit label.
double displayScale(PanelUnit unit, double maxAbsValue);
QString axisUnitLabel(PanelUnit unit, double maxAbsValue); // "%", "s", "/s", "GiB", ""
QString unitName(PanelUnit unit);                   // file spelling: "percent", "seconds", ...
std::optional<PanelUnit> unitFromName(const QString &name);
QStringList unitNames();

} // namespace opsdeck::models
