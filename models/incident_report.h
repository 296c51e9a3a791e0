#pragma once
// What an incident writes about itself: the status page (the runbook's template: Issue,
// Status, Impact, Started, Updates) and the postmortem (summary, impact, timeline,
// actions and their effect, metric snapshots, time to acknowledge / mitigate / resolve
// against the runbook's targets, RTO/RPO against its table when a failover or restore
// was involved, follow-ups), as Markdown and HTML. Pure functions of the records, so
// tests compare the text and the exporters only write files.
#include "models/incident_records.h"

#include <QString>

#include <vector>

namespace opsdeck::models {

struct IncidentReportInput {
    Incident incident;
    std::vector<TimelineEntry> timeline;
    std::vector<StatusUpdate> statusUpdates;
    std::vector<FollowUp> followUps;
    std::vector<IncidentLink> links;
    int64_t nowMs = 0; // for an incident still open
};

// "14:30 UTC" / "2025-07-20 14:30 UTC", as the runbook's status page writes times.
QString utcTime(int64_t epochMs);
QString utcDateTime(int64_t epochMs);
// "4m 10s", "1h 05m".
QString humanDuration(int64_t ms);

// The runbook's status-page template filled from the latest update (Issue, Status,
// Impact, Started) with every update stamped, oldest first.
QString statusPageMarkdown(const IncidentReportInput &input);

// Timeline entries in time order (ties: commit order), as the report lists them.
std::vector<TimelineEntry> chronological(std::vector<TimelineEntry> entries);

// Metric snapshots are referenced as "snapshot-<entry id>.png" beside the Markdown
// file; the HTML embeds them.
QString postmortemMarkdown(const IncidentReportInput &input);
QString postmortemHtml(const IncidentReportInput &input);
QString snapshotFileName(const TimelineEntry &entry);

// Writes <base>.md, <base>.html (images embedded) and the snapshot PNGs beside them; false + `error`
// saying which file could not be written.
bool writePostmortem(const IncidentReportInput &input, const QString &basePath, QString *error);

} // namespace opsdeck::models
