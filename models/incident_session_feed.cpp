// IncidentSession: what the backend reports (actions, alert changes) written to the
// audit log and the timelines; the procedure's checks; alert state across restarts.
#include "models/incident_session.h"

#include "backends/simulated/simulated_backend.h"
#include "models/audit_log.h"
#include "models/console_database_writer.h"
#include "models/incident_store.h"
#include "models/models_tr.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace opsdeck::models {
namespace {
QString qs(const std::string &s) { return QString::fromStdString(s); }
std::string ss(const QString &s) { return s.toStdString(); }
std::string compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

// Labels that name the service an alert is about (runbook rules rarely carry `service`).
constexpr const char *kServiceLabels[] = {"service", "agent", "job", "deployment", "app",
                                          "component", "container"};

std::string alertTitle(const telemetry::alerting::QueuedAlert &queued)
{
    std::string name = queued.alert.labels.get("alertname");
    // Two alerts of one rule differ by their service label: say which.
    std::string which;
    for (const char *label : kServiceLabels)
        if (!queued.alert.labels.get(label).empty()) {
            which = queued.alert.labels.get(label);
            break;
        }
    for (const char *label : {"region", "instance", "pod"})
        if (!queued.alert.labels.get(label).empty())
            which += (which.empty() ? "" : ", ") + queued.alert.labels.get(label);
    if (!which.empty())
        name += " (" + which + ")";
    const auto summary = queued.alert.annotations.find("summary");
    if (summary != queued.alert.annotations.end() && !summary->second.empty())
        name += ": " + summary->second;
    return name;
}

QJsonObject alertPayload(const telemetry::alerting::QueuedAlert &queued)
{
    QJsonObject labels;
    for (const auto &[k, v] : queued.alert.labels.items())
        labels.insert(qs(k), qs(v));
    return {{QStringLiteral("fingerprint"), qs(telemetry::alerting::fingerprintToString(
                                                 queued.alert.fingerprint))},
            {QStringLiteral("alertname"), qs(queued.alert.labels.get("alertname"))},
            {QStringLiteral("severity"), qs(telemetry::alerting::severityName(queued.severity))},
            {QStringLiteral("startsAtMs"), qint64(queued.alert.startsAtMs)},
            {QStringLiteral("labels"), labels}};
}
} // namespace

void IncidentSession::attach(backends::ClusterBackend *backend)
{
    disconnect(m_actionConnection);
    disconnect(m_snapshotConnection);
    m_backend = backend;
    m_seenAlerts.clear();
    m_haveSeenAlerts = false;
    if (!backend)
        return;
    m_actionConnection = connect(backend, &backends::ClusterBackend::actionCompleted, this,
                                 &IncidentSession::onActionCompleted);
    m_snapshotConnection = connect(backend, &backends::ClusterBackend::snapshotPublished, this,
                                   &IncidentSession::onSnapshot);
    if (const auto snapshot = backend->latestSnapshot())
        onSnapshot(snapshot); // what is already firing is the baseline, not news
}

std::vector<int64_t> IncidentSession::incidentsForAlert(const telemetry::alerting::QueuedAlert &alert) const
{
    const std::string fp = telemetry::alerting::fingerprintToString(alert.alert.fingerprint);
    std::vector<int64_t> out;
    for (const int64_t id : openIncidentIds()) {
        const auto it = m_links.find(id);
        if (it == m_links.end())
            continue;
        const bool linked = std::any_of(it->second.begin(), it->second.end(), [&](const IncidentLink &link) {
            if (link.kind == IncidentLinkKind::Alert)
                return link.value == fp;
            return std::any_of(std::begin(kServiceLabels), std::end(kServiceLabels),
                               [&](const char *label) { return alert.alert.labels.get(label) == link.value; });
        });
        if (linked)
            out.push_back(id);
    }
    return out;
}

std::vector<TimelineEntry> IncidentSession::alreadyFiring(const std::string &fingerprint,
                                                         const std::vector<std::string> &services) const
{
    std::vector<TimelineEntry> out;
    const auto snapshot = m_backend ? m_backend->latestSnapshot() : nullptr;
    if (!snapshot || !snapshot->alerts)
        return out;
    for (const auto &queued : *snapshot->alerts) {
        if (queued.resolved)
            continue;
        bool matches = telemetry::alerting::fingerprintToString(queued.alert.fingerprint) == fingerprint;
        for (const auto &service : services)
            for (const char *label : kServiceLabels)
                matches = matches || queued.alert.labels.get(label) == service;
        if (matches)
            out.push_back({0, 0, queued.alert.startsAtMs, TimelineKind::AlertFiring, "alerting",
                           alertTitle(queued) + " firing", compact(alertPayload(queued)), {}});
    }
    return out;
}

void IncidentSession::onActionCompleted(const sim::ActionSpec &action, const sim::ActionResult &result)
{
    const int64_t at = nowMs();
    const std::string what = sim::actionName(action.kind);
    const std::string target = action.target.empty() ? std::string("(default target)") : action.target;
    QJsonObject params;
    for (const auto &[k, v] : action.params)
        params.insert(qs(k), qs(v));
    AuditRecord record{0, at, action.actor, what, target, compact(params), result.kubectl,
                       std::string(result.ok ? "ok: " : "failed: ") + result.message};
    const QJsonObject payload{{QStringLiteral("action"), qs(what)},
                              {QStringLiteral("target"), qs(action.target)},
                              {QStringLiteral("params"), params},
                              {QStringLiteral("ok"), result.ok},
                              {QStringLiteral("kubectl"), qs(result.kubectl)},
                              {QStringLiteral("message"), qs(result.message)}};
    std::vector<TimelineEntry> entries;
    for (const int64_t id : openIncidentIds())
        entries.push_back({0, id, at, TimelineKind::Action, action.actor,
                           what + " " + target + (result.ok ? " succeeded: " : " failed: ")
                               + result.message,
                           compact(payload), {}});
    if (!m_writer) {
        Q_EMIT errorOccurred(Tr::tr("Action %1 on %2 was not recorded: the incident database is "
                                    "not open for writing").arg(qs(what), qs(target)));
        return;
    }
    write(Tr::tr("Recording action %1").arg(qs(what)), -1,
          [record, entries](IncidentStore &store, AuditLog &audit) -> Result<int64_t> {
              auto audited = audit.append(record);
              if (!audited.ok())
                  return audited;
              if (!entries.empty())
                  if (auto added = store.appendTimelineBatch(entries); !added.ok())
                      return Error{added.error()};
              return audited;
          });
}

void IncidentSession::onSnapshot(const backends::SnapshotPtr &snapshot)
{
    if (!snapshot || !snapshot->alerts)
        return;
    std::map<telemetry::alerting::Fingerprint, SeenAlert> now;
    for (const auto &queued : *snapshot->alerts)
        now[queued.alert.fingerprint] = {queued.resolved, queued.ack ? queued.ack->by : std::string()};
    if (!m_haveSeenAlerts) {
        m_seenAlerts = std::move(now);
        m_haveSeenAlerts = true;
        return;
    }

    std::vector<TimelineEntry> entries;
    struct AckToStore { std::string fp, who, comment; int64_t atMs; };
    std::vector<AckToStore> acks;
    std::vector<std::pair<std::string, int64_t>> ended; // fingerprint, resolved at
    for (const auto &queued : *snapshot->alerts) {
        const auto before = m_seenAlerts.find(queued.alert.fingerprint);
        const std::string fp = telemetry::alerting::fingerprintToString(queued.alert.fingerprint);
        const std::vector<int64_t> targets = incidentsForAlert(queued);
        const bool wasFiring = before != m_seenAlerts.end() && !before->second.resolved;
        QJsonObject payload = alertPayload(queued);
        if (!queued.resolved && !wasFiring) {
            for (const int64_t id : targets)
                entries.push_back({0, id, queued.alert.startsAtMs, TimelineKind::AlertFiring, "alerting",
                                   alertTitle(queued) + " firing", compact(payload), {}});
        } else if (queued.resolved && wasFiring) {
            ended.emplace_back(fp, queued.alert.endsAtMs);
            for (const int64_t id : targets)
                entries.push_back({0, id, queued.alert.endsAtMs, TimelineKind::AlertResolved, "alerting",
                                   alertTitle(queued) + " resolved", compact(payload), {}});
        }
        const bool wasAcked = before != m_seenAlerts.end() && !before->second.ackBy.empty();
        if (queued.ack && !wasAcked) {
            acks.push_back({fp, queued.ack->by, queued.ack->comment, queued.ack->atMs});
            payload.insert(QStringLiteral("comment"), qs(queued.ack->comment));
            for (const int64_t id : targets)
                entries.push_back({0, id, queued.ack->atMs, TimelineKind::Acknowledged, queued.ack->by,
                                   queued.alert.labels.get("alertname") + " acknowledged by "
                                       + queued.ack->by
                                       + (queued.ack->comment.empty() ? "" : ": " + queued.ack->comment),
                                   compact(payload), {}});
        }
    }
    m_seenAlerts = std::move(now);
    if (entries.empty() && acks.empty() && ended.empty())
        return;
    if (!m_writer)
        return; // read-only: the alert queue still shows it; nothing to record into
    write(Tr::tr("Recording alert changes"), -1,
          [entries, acks, ended](IncidentStore &store, AuditLog &) -> Result<int64_t> {
              // Acknowledgements first: one that ended in the same snapshot still ends.
              for (const auto &ack : acks)
                  if (auto stored = store.acknowledgeAlert(ack.fp, ack.who, ack.comment, ack.atMs);
                      !stored.ok())
                      return stored;
              for (const auto &[fp, at] : ended)
                  if (Status done = store.endAcknowledgements(fp, at); !done.ok())
                      return Error{done.error()};
              if (!entries.empty())
                  if (auto added = store.appendTimelineBatch(entries); !added.ok())
                      return Error{added.error()};
              return int64_t(entries.size());
          });
}

void IncidentSession::recordCheck(int64_t id, const QString &stepId)
{
    const auto snapshot = m_backend ? m_backend->latestSnapshot() : nullptr;
    if (!snapshot || !snapshot->inventory) {
        Q_EMIT errorOccurred(Tr::tr("Check %1: no cluster inventory yet").arg(stepId));
        return;
    }
    const sim::Inventory &inv = *snapshot->inventory;
    const int64_t at = nowMs();
    std::string text;
    QJsonObject payload{{QStringLiteral("step"), stepId}};
    if (stepId == QLatin1String("check_health") || stepId == QLatin1String("check_resources")) {
        // kubectl get pods -l app=orchestrator / app=model-server: not-ready counts.
        std::map<std::string, std::pair<int, int>> byDeployment; // ready, total
        double cpu = 0, cpuRequest = 0;
        for (const auto &pod : inv.pods) {
            auto &[ready, total] = byDeployment[pod.deployment];
            ++total;
            ready += pod.ready ? 1 : 0;
            cpu += pod.cpuUsageCores;
            for (const auto &c : pod.containers)
                cpuRequest += c.cpuRequestCores;
        }
        if (stepId == QLatin1String("check_health")) {
            text = "Health: ";
            for (const char *name : {"agent-orchestrator", "model-server"}) {
                const auto [ready, total] = byDeployment[name];
                text += std::string(name) + " " + std::to_string(ready) + "/" + std::to_string(total)
                        + " pods ready; ";
                payload.insert(QLatin1String(name), QStringLiteral("%1/%2").arg(ready).arg(total));
            }
            text += "success rate " + QString::number(snapshot->health.successRate * 100, 'f', 1).toStdString() + "%";
        } else {
            const double share = cpuRequest > 0 ? cpu / cpuRequest : 0;
            text = "Resources: CPU at " + std::to_string(int(share * 100)) + "% of requests; "
                   "virtual computer utilization "
                   + std::to_string(int(snapshot->health.virtualComputerUtilization * 100)) + "%";
            payload.insert(QStringLiteral("cpuShare"), share);
        }
    } else if (stepId == QLatin1String("check_deployments")) {
        // kubectl rollout history deployment/agent-orchestrator: recent = within an hour.
        const sim::ReplicaSet *newest = nullptr;
        for (const auto &rs : inv.replicaSets)
            if (rs.deployment == "agent-orchestrator" && (!newest || rs.revision > newest->revision))
                newest = &rs;
        const bool recent = newest && snapshot->timeMs - newest->createdMs < 3'600'000;
        text = newest ? "Deployments: agent-orchestrator at revision " + std::to_string(newest->revision)
                            + (newest->changeCause.empty() ? "" : " (" + newest->changeCause + ")")
                            + (recent ? ", rolled out " + std::to_string((snapshot->timeMs - newest->createdMs) / 60'000)
                                            + " min ago: recent, roll back"
                                      : ", no rollout in the last hour")
                      : "Deployments: no agent-orchestrator rollout history";
        payload.insert(QStringLiteral("recent"), recent);
    } else if (stepId == QLatin1String("check_database")) {
        text = "Database: average task latency "
               + std::to_string(int(snapshot->health.avgTaskLatencySec)) + " s, success rate "
               + std::to_string(int(snapshot->health.successRate * 100)) + "%";
    } else {
        Q_EMIT errorOccurred(Tr::tr("Unknown check \"%1\"").arg(stepId));
        return;
    }
    TimelineEntry entry{0, id, at, TimelineKind::Action, ss(m_user), text, compact(payload), {}};
    write(Tr::tr("Recording check %1").arg(stepId), id,
          [entry](IncidentStore &store, AuditLog &) { return store.appendTimeline(entry); });
}

bool IncidentSession::saveAlertState()
{
    auto *simulated = qobject_cast<backends::SimulatedBackend *>(m_backend.data());
    if (!simulated || !m_writer)
        return false;
    std::vector<PersistedAlert> rows;
    for (const auto &state : simulated->exportAlertState()) {
        QJsonObject labels;
        for (const auto &[k, v] : state.labels.items())
            labels.insert(qs(k), qs(v));
        rows.push_back({telemetry::alerting::fingerprintToString(telemetry::alerting::fingerprintOf(state.labels)),
                        compact(labels), state.firing, state.activeAtMs, state.firedAtMs,
                        state.acknowledgedBy});
    }
    auto saved = m_writer->submit([rows](ConsoleDatabaseWriter::Context &c) {
        return c.incidents.saveAlertStates(rows);
    });
    const Status status = saved.get(); // shutdown path: the caller wants it on disk
    if (!status.ok())
        Q_EMIT errorOccurred(Tr::tr("Saving alert state: %1").arg(qs(status.error())));
    return status.ok();
}

bool IncidentSession::restoreAlertState()
{
    auto *simulated = qobject_cast<backends::SimulatedBackend *>(m_backend.data());
    if (!simulated || !m_readStore)
        return false;
    auto rows = m_readStore->restoreAlertStates();
    if (!rows.ok()) {
        Q_EMIT errorOccurred(Tr::tr("Restoring alert state: %1").arg(qs(rows.error())));
        return false;
    }
    std::vector<backends::RuleAlertState> states;
    for (const auto &row : *rows) {
        const QJsonObject labels = QJsonDocument::fromJson(QByteArray::fromStdString(row.labelsJson)).object();
        std::vector<telemetry::Label> items;
        for (auto it = labels.begin(); it != labels.end(); ++it)
            items.emplace_back(ss(it.key()), ss(it.value().toString()));
        backends::RuleAlertState state;
        state.labels = telemetry::Labels(std::move(items));
        state.firing = row.firing;
        state.activeAtMs = row.activeAtMs;
        state.firedAtMs = row.firedAtMs;
        state.acknowledgedBy = row.acknowledgedBy;
        if (!row.acknowledgedBy.empty()) {
            // The comment and time live with the acknowledgement itself.
            for (const auto &ack : alertAcknowledgements(qs(row.fingerprint)))
                if (ack.who == row.acknowledgedBy && !ack.endedAtMs) {
                    state.ackComment = ack.comment;
                    state.acknowledgedAtMs = ack.atMs;
                }
        }
        states.push_back(std::move(state));
    }
    simulated->importAlertState(std::move(states));
    return true;
}

} // namespace opsdeck::models
