#include "models/incident_report.h"

#include "models/response_plan.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextDocument>

#include <algorithm>
#include <cstdlib>

namespace opsdeck::models {
namespace {
QString qs(const std::string &s) { return QString::fromStdString(s); }

QJsonObject payloadOf(const TimelineEntry &entry)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(entry.payloadJson)).object();
}

const StatusUpdate *latestUpdate(const IncidentReportInput &input)
{
    return input.statusUpdates.empty() ? nullptr : &input.statusUpdates.back();
}

// The incident's start: the earliest alert that fired for it, or its declaration.
int64_t startedAt(const IncidentReportInput &input)
{
    int64_t start = input.incident.createdAtMs;
    for (const auto &entry : input.timeline)
        if (entry.kind == TimelineKind::AlertFiring)
            start = std::min(start, entry.timeMs);
    return start;
}

QString kindLabel(TimelineKind kind)
{
    switch (kind) {
    case TimelineKind::AlertFiring: return QStringLiteral("Alert firing");
    case TimelineKind::AlertResolved: return QStringLiteral("Alert resolved");
    case TimelineKind::Acknowledged: return QStringLiteral("Acknowledged");
    case TimelineKind::Action: return QStringLiteral("Action");
    case TimelineKind::StatusChange: return QStringLiteral("Status");
    case TimelineKind::RoleChange: return QStringLiteral("Roles");
    case TimelineKind::Note: return QStringLiteral("Note");
    case TimelineKind::MetricSnapshot: return QStringLiteral("Metric snapshot");
    case TimelineKind::StatusUpdate: return QStringLiteral("Status page");
    case TimelineKind::NUM_KINDS: break;
    }
    return {};
}

struct Measure {
    QString name;
    std::optional<int64_t> tookMs;
    std::optional<int64_t> targetMs;
};

std::vector<Measure> measures(const IncidentReportInput &input)
{
    const Incident &i = input.incident;
    const int64_t start = i.createdAtMs;
    const auto since = [&](const std::optional<int64_t> &at) -> std::optional<int64_t> {
        return at ? std::optional<int64_t>(*at - start) : std::nullopt;
    };
    const int64_t responseTarget = responseDeadlineMs(i.severity, start) - start;
    return {{QStringLiteral("Time to acknowledge"), since(i.acknowledgedAtMs), responseTarget},
            {QStringLiteral("Time to mitigate"), since(i.mitigatedAtMs), std::nullopt},
            {QStringLiteral("Time to resolve"), since(i.resolvedAtMs), std::nullopt}};
}

QString measureVerdict(const Measure &m)
{
    if (!m.tookMs)
        return QStringLiteral("not yet");
    if (!m.targetMs)
        return QStringLiteral("no runbook target");
    return *m.tookMs <= *m.targetMs ? QStringLiteral("met") : QStringLiteral("MISSED");
}

// Failover or restore actions on the timeline, for the RTO/RPO section.
struct Recovery {
    QString action;
    int64_t atMs = 0;
};

std::vector<Recovery> recoveries(const IncidentReportInput &input)
{
    std::vector<Recovery> out;
    for (const auto &entry : input.timeline) {
        if (entry.kind != TimelineKind::Action)
            continue;
        const QJsonObject payload = payloadOf(entry);
        const QString action = payload.value(QLatin1String("action")).toString();
        if ((action == QLatin1String("failover") || action == QLatin1String("restore"))
            && payload.value(QLatin1String("ok")).toBool())
            out.push_back({action, entry.timeMs});
    }
    return out;
}

std::optional<int64_t> lastBackupBefore(const IncidentReportInput &input, int64_t atMs)
{
    std::optional<int64_t> last;
    for (const auto &entry : input.timeline) {
        const QJsonObject payload = payloadOf(entry);
        if (entry.kind == TimelineKind::Action && entry.timeMs <= atMs
            && payload.value(QLatin1String("action")).toString() == QLatin1String("backup")
            && payload.value(QLatin1String("ok")).toBool())
            last = entry.timeMs;
    }
    return last;
}

QString escapeMd(QString text) { return text.replace(QLatin1Char('|'), QLatin1String("\\|")); }
} // namespace

QString utcTime(int64_t epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC).toString(QStringLiteral("HH:mm")) + QStringLiteral(" UTC");
}

QString utcDateTime(int64_t epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm"))
           + QStringLiteral(" UTC");
}

QString humanDuration(int64_t ms)
{
    const int64_t s = std::llabs(ms) / 1000;
    QString text;
    if (s >= 3600)
        text = QStringLiteral("%1h %2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    else if (s >= 60)
        text = QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    else
        text = QStringLiteral("%1s").arg(s);
    return ms < 0 ? QLatin1Char('-') + text : text;
}

std::vector<TimelineEntry> chronological(std::vector<TimelineEntry> entries)
{
    std::stable_sort(entries.begin(), entries.end(), [](const TimelineEntry &a, const TimelineEntry &b) {
        return a.timeMs != b.timeMs ? a.timeMs < b.timeMs : a.id < b.id;
    });
    return entries;
}

QString snapshotFileName(const TimelineEntry &entry)
{
    return QStringLiteral("snapshot-%1.png").arg(entry.id);
}

QString statusPageMarkdown(const IncidentReportInput &input)
{
    const StatusUpdate *latest = latestUpdate(input);
    const QString issue = latest && !latest->issue.empty() ? qs(latest->issue) : qs(input.incident.title);
    const QString status = latest && !latest->status.empty()
                               ? qs(latest->status)
                               : qs(incidentStateName(input.incident.state));
    const QString impact = latest ? qs(latest->impact) : QString();
    const int64_t started = latest && latest->startedAtMs ? latest->startedAtMs : startedAt(input);
    QString md;
    md += QStringLiteral("# %1\n\n").arg(issue);
    md += QStringLiteral("**Issue**: %1\n").arg(issue);
    md += QStringLiteral("**Status**: %1\n").arg(status);
    md += QStringLiteral("**Impact**: %1\n").arg(impact.isEmpty() ? QStringLiteral("Under assessment") : impact);
    md += QStringLiteral("**Started**: %1\n\n").arg(utcDateTime(started));
    md += QStringLiteral("## Updates\n");
    for (const auto &update : input.statusUpdates)
        md += QStringLiteral("- %1 - %2\n").arg(utcTime(update.stampedAtMs), qs(update.text));
    return md;
}

QString postmortemMarkdown(const IncidentReportInput &input)
{
    const Incident &i = input.incident;
    const auto timeline = chronological(input.timeline);
    const StatusUpdate *latest = latestUpdate(input);
    QString md;
    md += QStringLiteral("# Postmortem: %1\n\n").arg(qs(i.title));
    md += QStringLiteral("## Summary\n\n");
    md += QStringLiteral("- **Severity**: P%1 (%2; response time %3)\n")
              .arg(i.severity)
              .arg(QLatin1String(severityDescription(i.severity)), QLatin1String(responseTimeText(i.severity)));
    md += QStringLiteral("- **State**: %1\n").arg(QLatin1String(incidentStateName(i.state)));
    md += QStringLiteral("- **Started**: %1\n").arg(utcDateTime(startedAt(input)));
    md += QStringLiteral("- **Declared**: %1\n").arg(utcDateTime(i.createdAtMs));
    if (i.resolvedAtMs)
        md += QStringLiteral("- **Resolved**: %1\n").arg(utcDateTime(*i.resolvedAtMs));
    md += QStringLiteral("- **Incident commander**: %1\n").arg(qs(i.commander));
    const auto people = [](const std::vector<std::string> &v) {
        QStringList names;
        for (const auto &n : v)
            names << qs(n);
        return names.isEmpty() ? QStringLiteral("-") : names.join(QStringLiteral(", "));
    };
    md += QStringLiteral("- **Operators**: %1; **Communications**: %2; **Scribe**: %3\n")
              .arg(people(i.operators), people(i.communications), people(i.scribes));
    QStringList linked;
    for (const auto &link : input.links)
        linked << QStringLiteral("%1 %2").arg(QLatin1String(incidentLinkKindName(link.kind)), qs(link.value));
    if (!linked.isEmpty())
        md += QStringLiteral("- **About**: %1\n").arg(linked.join(QStringLiteral(", ")));

    md += QStringLiteral("\n## Impact\n\n%1\n")
              .arg(latest && !latest->impact.empty() ? qs(latest->impact)
                                                     : QStringLiteral("Not recorded in a status update."));

    md += QStringLiteral("\n## Timeline\n\n| Time (UTC) | Kind | Who | What |\n|---|---|---|---|\n");
    for (const auto &entry : timeline)
        md += QStringLiteral("| %1 | %2 | %3 | %4 |\n")
                  .arg(QDateTime::fromMSecsSinceEpoch(entry.timeMs, Qt::UTC).toString(QStringLiteral("HH:mm:ss")),
                       kindLabel(entry.kind), escapeMd(qs(entry.actor)), escapeMd(qs(entry.text)));

    md += QStringLiteral("\n## Actions and their effect\n\n");
    int actions = 0;
    for (const auto &entry : timeline) {
        if (entry.kind != TimelineKind::Action)
            continue;
        const QJsonObject p = payloadOf(entry);
        ++actions;
        if (p.contains(QLatin1String("step"))) {
            md += QStringLiteral("- %1 %2 (check): %3\n").arg(utcTime(entry.timeMs), qs(entry.actor), qs(entry.text));
            continue;
        }
        md += QStringLiteral("- %1 %2: **%3** %4 - %5 - `%6`\n")
                  .arg(utcTime(entry.timeMs), qs(entry.actor), p.value(QLatin1String("action")).toString(),
                       p.value(QLatin1String("target")).toString(),
                       p.value(QLatin1String("ok")).toBool() ? QStringLiteral("succeeded: ") + p.value(QLatin1String("message")).toString()
                                                             : QStringLiteral("FAILED: ") + p.value(QLatin1String("message")).toString(),
                       p.value(QLatin1String("kubectl")).toString());
    }
    if (actions == 0)
        md += QStringLiteral("No actions were taken.\n");

    md += QStringLiteral("\n## Metric snapshots\n\n");
    int snapshots = 0;
    for (const auto &entry : timeline) {
        if (entry.kind != TimelineKind::MetricSnapshot)
            continue;
        ++snapshots;
        const QJsonObject p = payloadOf(entry);
        md += QStringLiteral("- `%1` from %2 to %3\n\n  ![%1](%4)\n")
                  .arg(p.value(QLatin1String("query")).toString(),
                       utcDateTime(p.value(QLatin1String("startMs")).toInteger()),
                       utcDateTime(p.value(QLatin1String("endMs")).toInteger()), snapshotFileName(entry));
    }
    if (snapshots == 0)
        md += QStringLiteral("None pinned.\n");

    md += QStringLiteral("\n## Response times against the runbook\n\n| Measure | Took | Target | Verdict |\n|---|---|---|---|\n");
    for (const auto &m : measures(input))
        md += QStringLiteral("| %1 | %2 | %3 | %4 |\n")
                  .arg(m.name, m.tookMs ? humanDuration(*m.tookMs) : QStringLiteral("-"),
                       m.targetMs ? humanDuration(*m.targetMs) : QStringLiteral("-"), measureVerdict(m));

    const auto recovered = recoveries(input);
    if (!recovered.empty()) {
        md += QStringLiteral("\n## Recovery (RTO/RPO)\n\n");
        const int64_t start = startedAt(input);
        for (const auto &r : recovered) {
            const int64_t rto = r.atMs - start;
            const auto backup = lastBackupBefore(input, r.atMs);
            md += QStringLiteral("- %1 at %2: recovery took %3 after the start; data at risk since %4\n\n")
                      .arg(r.action, utcTime(r.atMs), humanDuration(rto),
                           backup ? QStringLiteral("the backup at ") + utcTime(*backup)
                                  : QStringLiteral("an unknown point (no backup on the timeline)"));
            md += QStringLiteral("| Component | RTO target | Met | RPO target | Met |\n|---|---|---|---|---|\n");
            for (const auto &target : recoveryTargets()) {
                const QString rpoMet = backup ? (r.atMs - *backup <= target.rpoMs ? QStringLiteral("yes") : QStringLiteral("no"))
                                              : QStringLiteral("unknown");
                md += QStringLiteral("| %1 | %2 | %3 | %4 | %5 |\n")
                          .arg(qs(target.component), humanDuration(target.rtoMs),
                               rto <= target.rtoMs ? QStringLiteral("yes") : QStringLiteral("no"),
                               humanDuration(target.rpoMs), rpoMet);
            }
        }
    }

    md += QStringLiteral("\n## Follow-ups\n\n");
    if (input.followUps.empty())
        md += QStringLiteral("None recorded yet.\n");
    for (const auto &f : input.followUps)
        md += QStringLiteral("- [%1] %2%3\n")
                  .arg(f.done ? QLatin1Char('x') : QLatin1Char(' '))
                  .arg(qs(f.text), f.owner.empty() ? QString() : QStringLiteral(" (owner: %1)").arg(qs(f.owner)));
    return md;
}

QString postmortemHtml(const IncidentReportInput &input)
{
    // Markdown rendered by QTextDocument's own reader keeps one source of truth; the
    // snapshot images are embedded as data URLs so the file stands alone.
    QString md = postmortemMarkdown(input);
    for (const auto &entry : input.timeline) {
        if (entry.kind != TimelineKind::MetricSnapshot || entry.attachment.empty())
            continue;
        const QByteArray png = QByteArray::fromStdString(entry.attachment).toBase64();
        md.replace(QStringLiteral("](%1)").arg(snapshotFileName(entry)),
                   QStringLiteral("](data:image/png;base64,%1)").arg(QString::fromLatin1(png)));
    }
    QTextDocument document;
    document.setMarkdown(md);
    document.setMetaInformation(QTextDocument::DocumentTitle,
                                QStringLiteral("Postmortem: %1").arg(qs(input.incident.title)));
    return document.toHtml();
}

bool writePostmortem(const IncidentReportInput &input, const QString &basePath, QString *error)
{
    const auto writeFile = [error](const QString &path, const QByteArray &bytes) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()) {
            if (error)
                *error = QStringLiteral("%1: %2").arg(path, file.errorString());
            return false;
        }
        return true;
    };
    const QFileInfo info(basePath);
    const QDir dir = info.dir();
    if (!writeFile(basePath + QStringLiteral(".md"), postmortemMarkdown(input).toUtf8()))
        return false;
    if (!writeFile(basePath + QStringLiteral(".html"), postmortemHtml(input).toUtf8()))
        return false;
    for (const auto &entry : input.timeline)
        if (entry.kind == TimelineKind::MetricSnapshot && !entry.attachment.empty()
            && !writeFile(dir.filePath(snapshotFileName(entry)), QByteArray::fromStdString(entry.attachment)))
            return false;
    return true;
}

} // namespace opsdeck::models
