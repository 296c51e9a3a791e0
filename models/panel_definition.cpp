#include "panel_definition.h"

#include "../backends/telemetry/promql/promql.h"
#include "models_tr.h"

#include <QLocale>
#include <QRegularExpression>

#include <cmath>

namespace opsdeck::models {

namespace {

PanelDefinition panel(QString title, QString query, PanelUnit unit, QString legend = {},
                      std::optional<PanelThreshold> threshold = std::nullopt, QString description = {})
{
    PanelDefinition p;
    p.title = std::move(title);
    p.query = std::move(query);
    p.unit = unit;
    p.legendFormat = std::move(legend);
    p.threshold = threshold;
    p.description = std::move(description);
    if (unit == PanelUnit::Percent)
        p.yMin = 0;
    return p;
}

PanelThreshold above(double v, Severity s) { return {v, Breach::Above, s}; }
PanelThreshold below(double v, Severity s) { return {v, Breach::Below, s}; }

DashboardDefinition systemHealth()
{
    DashboardDefinition d;
    //: Built-in dashboard name
    d.name = Tr::tr("System health");
    // The runbook's key metrics, read off the recording rules of runbook.rules.yml so the
    // charts and the alerts compute the same numbers.
    d.panels = {
        panel(Tr::tr("Request rate"), QStringLiteral("cluster:agent_requests:rate5m * 60"),
              PanelUnit::PerMinute, Tr::tr("requests"), above(10000, Severity::P2),
              Tr::tr("Agent requests per minute (runbook agent_request_rate; above 10,000/min: P2)")),
        panel(Tr::tr("Success rate"), QStringLiteral("cluster:agent_success:ratio_rate5m"),
              PanelUnit::Percent, Tr::tr("success"), below(0.95, Severity::P1),
              Tr::tr("Share of agent requests that succeed (below 95 %: P1)")),
        panel(Tr::tr("Average task latency"),
              QStringLiteral("cluster:agent_task_duration_seconds:mean5m"), PanelUnit::Seconds,
              Tr::tr("mean"), above(30, Severity::P2),
              Tr::tr("Mean agent task duration over 5 minutes (above 30 s: P2)")),
        panel(Tr::tr("Virtual computer utilization"),
              QStringLiteral("cluster:virtual_computer_utilization:avg"), PanelUnit::Percent,
              Tr::tr("utilization"), above(0.80, Severity::P2),
              Tr::tr("Average virtual computer pool utilization (above 80 %: P2)")),
        panel(Tr::tr("Model inference p99"),
              QStringLiteral("cluster:model_inference_latency_seconds:p99_5m"), PanelUnit::Seconds,
              Tr::tr("p99"), above(2, Severity::P1),
              Tr::tr("99th percentile model inference latency (above 2 s: P1)")),
        panel(Tr::tr("Agent error rate"),
              QStringLiteral("sum by (reason) (rate(agent_errors_total[5m]))"), PanelUnit::PerSecond,
              QStringLiteral("{{reason}}"), above(0.05, Severity::P1),
              Tr::tr("Agent errors per second by reason (HighErrorRate: above 0.05/s for 2 m: P1)")),
        panel(Tr::tr("Memory usage ratio"),
              QStringLiteral("max by (container) (container_memory_usage_bytes{pod=~\"$component-.*\"}"
                             " / container_spec_memory_limit_bytes{pod=~\"$component-.*\"})"),
              PanelUnit::Percent, QStringLiteral("{{container}}"), above(0.90, Severity::P2),
              Tr::tr("Worst container's memory over its limit, per container (HighMemoryUsage: "
                     "above 90 % for 5 m: P2)")),
        panel(Tr::tr("Requests by service"),
              QStringLiteral("sum by (job) (rate(http_requests_total{job=~\"$component\"}[5m]))"),
              PanelUnit::PerSecond, QStringLiteral("{{job}}"), std::nullopt,
              Tr::tr("HTTP requests per second into each service")),
        panel(Tr::tr("HTTP error ratio by service"),
              QStringLiteral("sum by (job) (rate(http_requests_total{code=\"5xx\",job=~\"$component\"}[5m]))"
                             " / sum by (job) (rate(http_requests_total{job=~\"$component\"}[5m]))"),
              PanelUnit::Percent, QStringLiteral("{{job}}"), above(0.05, Severity::P1),
              Tr::tr("Share of HTTP requests answered 5xx, per service (above 5 %: P1, "
                     "\"Service Down/Degraded\")")),
    };
    d.panels[1].yMax = 1;
    d.panels[3].yMax = 1;
    return d;
}

DashboardDefinition business()
{
    DashboardDefinition d;
    //: Built-in dashboard name
    d.name = Tr::tr("Business");
    d.panels = {
        panel(Tr::tr("Agent requests"), QStringLiteral("rate(agent_requests_total[5m])"),
              PanelUnit::PerSecond, QStringLiteral("{{tier}} {{region}}"), std::nullopt,
              Tr::tr("Agent requests per second, per tier and region")),
        panel(Tr::tr("Task duration p99"),
              QStringLiteral("histogram_quantile(0.99, sum by (le) "
                             "(rate(agent_task_duration_seconds_bucket[5m])))"),
              PanelUnit::Seconds, Tr::tr("p99"), std::nullopt,
              Tr::tr("99th percentile of agent task duration")),
        panel(Tr::tr("Active sessions by tier"),
              QStringLiteral("sum(agent_active_sessions) by (tier)"), PanelUnit::Count,
              QStringLiteral("{{tier}}"), std::nullopt,
              Tr::tr("Open agent sessions, stacked by subscription tier")),
        panel(Tr::tr("Safety violations"), QStringLiteral("rate(safety_violations_total[1h])"),
              PanelUnit::PerSecond, QStringLiteral("{{type}} {{region}}"), std::nullopt,
              Tr::tr("Safety violations per second over the last hour, per type")),
    };
    d.panels[2].stacked = true;
    d.panels[2].yMin = 0;
    return d;
}

DashboardDefinition gpuInference()
{
    DashboardDefinition d;
    //: Built-in dashboard name
    d.name = Tr::tr("GPU inference");
    d.panels = {
        panel(Tr::tr("Queue depth"), QStringLiteral("sum by (pod) (vllm:num_requests_waiting)"),
              PanelUnit::Count, QStringLiteral("{{pod}}"), std::nullopt,
              Tr::tr("Requests waiting for a batch slot, per model server (vLLM)")),
        panel(Tr::tr("Running batch"), QStringLiteral("sum by (pod) (vllm:num_requests_running)"),
              PanelUnit::Count, QStringLiteral("{{pod}}"), std::nullopt,
              Tr::tr("Requests in the running batch, per model server (vLLM)")),
        panel(Tr::tr("Time to first token p99"),
              QStringLiteral("histogram_quantile(0.99, sum by (le, pod) "
                             "(rate(vllm:time_to_first_token_seconds_bucket[5m])))"),
              PanelUnit::Seconds, QStringLiteral("{{pod}}"), std::nullopt,
              Tr::tr("99th percentile time to first token, per model server (vLLM)")),
        panel(Tr::tr("KV-cache usage"), QStringLiteral("max by (pod) (vllm:kv_cache_usage_perc)"),
              PanelUnit::Percent, QStringLiteral("{{pod}}"), std::nullopt,
              Tr::tr("Share of the KV cache in use, per model server (vLLM)")),
        // DCGM labels GPUs by node, not by model-server pod: aggregated per region.
        panel(Tr::tr("GPU utilization"),
              QStringLiteral("avg by (region) (DCGM_FI_DEV_GPU_UTIL) / 100"), PanelUnit::Percent,
              QStringLiteral("{{region}}"), std::nullopt,
              Tr::tr("Mean GPU utilization over each region's GPUs (DCGM)")),
        panel(Tr::tr("GPU memory used"),
              QStringLiteral("sum by (region) (DCGM_FI_DEV_FB_USED) * 1048576"), PanelUnit::Bytes,
              QStringLiteral("{{region}}"), std::nullopt,
              Tr::tr("Frame-buffer memory in use per region (DCGM reports MiB)")),
    };
    d.panels[3].yMax = 1;
    d.panels[4].yMax = 1;
    return d;
}

struct UnitSpelling {
    PanelUnit unit;
    const char *name;  // file spelling
    const char *alias; // the brief's / Grafana-ish short form
};
constexpr UnitSpelling kUnits[] = {
    {PanelUnit::Percent, "percent", "%"},
    {PanelUnit::Seconds, "seconds", "s"},
    {PanelUnit::PerSecond, "per_second", "req/s"},
    {PanelUnit::PerMinute, "per_minute", "req/min"},
    {PanelUnit::Bytes, "bytes", "B"},
    {PanelUnit::Count, "count", ""},
};

// Bytes step through powers of 1024 so axes read "12 GiB", not "12884901888".
struct ByteScale {
    double divisor;
    const char *suffix;
};
ByteScale byteScaleFor(double maxAbs)
{
    static constexpr ByteScale scales[] = {{1024.0 * 1024 * 1024 * 1024, "TiB"},
                                           {1024.0 * 1024 * 1024, "GiB"},
                                           {1024.0 * 1024, "MiB"},
                                           {1024.0, "KiB"}};
    for (const ByteScale &s : scales)
        if (maxAbs >= s.divisor)
            return s;
    return {1, "B"};
}

} // namespace

QList<DashboardDefinition> builtInDashboards()
{
    return {systemHealth(), business(), gpuInference()};
}

Result<bool> validateQuery(const QString &query)
{
    if (query.trimmed().isEmpty())
        return Error{Tr::tr("the query is empty").toStdString()};
    // $component is ours, not PromQL: check the query as it runs with no selection.
    auto parsed = telemetry::promql::parse(substituteComponent(query, {}).toStdString());
    if (!parsed)
        return Error{parsed.error()};
    return true;
}

int errorColumn(const QString &error)
{
    static const QRegularExpression position(QStringLiteral("^(\\d+):(\\d+):"));
    const auto match = position.match(error);
    if (!match.hasMatch() || match.captured(1) != QLatin1String("1"))
        return 0;
    return match.captured(2).toInt();
}

bool usesComponent(const QString &query)
{
    return query.contains(QLatin1String("$component"));
}

QString substituteComponent(const QString &query, const QString &component)
{
    if (!usesComponent(query))
        return query;
    // Regex metacharacters escaped (a backslash doubled again for the PromQL string);
    // names like "model-server" stay as they are.
    QString regex;
    if (component.isEmpty())
        regex = QStringLiteral(".*");
    for (QChar c : component) {
        if (QStringLiteral(".+*?()|[]{}^$\\\"").contains(c))
            regex += QLatin1String("\\\\");
        regex += c;
    }
    QString out = query;
    out.replace(QLatin1String("$component"), regex);
    return out;
}

QString formatLegend(const QString &format, const telemetry::Labels &labels)
{
    if (format.isEmpty()) {
        // Prometheus's own spelling, as its graph legend shows it.
        const auto text = labels.toString();
        return text.empty() ? QStringLiteral("{}") : QString::fromStdString(text);
    }
    static const QRegularExpression placeholder(QStringLiteral("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\}\\}"));
    QString out;
    qsizetype last = 0;
    auto it = placeholder.globalMatch(format);
    while (it.hasNext()) {
        const auto m = it.next();
        out += format.mid(last, m.capturedStart() - last);
        out += QString::fromStdString(labels.get(m.captured(1).toStdString()));
        last = m.capturedEnd();
    }
    out += format.mid(last);
    return out.simplified();
}

double displayScale(PanelUnit unit, double maxAbsValue)
{
    switch (unit) {
    case PanelUnit::Percent:
        return 100;
    case PanelUnit::Bytes:
        return 1 / byteScaleFor(maxAbsValue).divisor;
    default:
        return 1;
    }
}

QString axisUnitLabel(PanelUnit unit, double maxAbsValue)
{
    switch (unit) {
    case PanelUnit::Percent:
        return QStringLiteral("%");
    case PanelUnit::Seconds:
        return QStringLiteral("s");
    case PanelUnit::PerSecond:
        return QStringLiteral("/s");
    case PanelUnit::PerMinute:
        return QStringLiteral("/min");
    case PanelUnit::Bytes:
        return QString::fromLatin1(byteScaleFor(maxAbsValue).suffix);
    case PanelUnit::Count:
        return {};
    }
    return {};
}

QString formatPanelValue(PanelUnit unit, double value)
{
    if (std::isnan(value))
        return QStringLiteral("–");
    const QLocale locale;
    const double abs = std::abs(value);
    auto number = [&](double v) {
        const double a = std::abs(v);
        const int decimals = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
        return locale.toString(v, 'f', decimals);
    };
    switch (unit) {
    case PanelUnit::Percent:
        return locale.toString(value * 100, 'f', abs >= 0.1 ? 1 : 2) + QStringLiteral(" %");
    case PanelUnit::Seconds:
        if (abs > 0 && abs < 1)
            return locale.toString(value * 1000, 'f', 0) + QStringLiteral(" ms");
        return number(value) + QStringLiteral(" s");
    case PanelUnit::PerSecond:
        return number(value) + QStringLiteral(" /s");
    case PanelUnit::PerMinute:
        return number(value) + QStringLiteral(" /min");
    case PanelUnit::Bytes: {
        const ByteScale s = byteScaleFor(abs);
        return number(value / s.divisor) + QLatin1Char(' ') + QString::fromLatin1(s.suffix);
    }
    case PanelUnit::Count:
        return number(value);
    }
    return number(value);
}

QString unitName(PanelUnit unit)
{
    for (const auto &u : kUnits)
        if (u.unit == unit)
            return QString::fromLatin1(u.name);
    return {};
}

std::optional<PanelUnit> unitFromName(const QString &name)
{
    for (const auto &u : kUnits)
        if (name == QLatin1String(u.name) || (*u.alias && name == QLatin1String(u.alias)))
            return u.unit;
    return std::nullopt;
}

QStringList unitNames()
{
    QStringList names;
    for (const auto &u : kUnits)
        names << QString::fromLatin1(u.name);
    return names;
}

} // namespace opsdeck::models
