// IncidentSession: opening and recovery, reads, and people's commands. What the backend
// reports (actions, alerts) is in incident_session_feed.cpp.
#include "models/incident_session.h"

#include "models/audit_log.h"
#include "models/console_database_writer.h"
#include "models/incident_store.h"
#include "models/models_tr.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace opsdeck::models {
namespace {
QString qs(const std::string &s) { return QString::fromStdString(s); }
std::string ss(const QString &s) { return s.toStdString(); }

QString explanationFor(OpenFailure failure)
{
    switch (failure) {
    case OpenFailure::Corrupt:
        return Tr::tr("The incident database is damaged. OpsDeck will not write to it. You can "
                      "restore the automatic backup or start a new database; the damaged file "
                      "is moved aside, never deleted.");
    case OpenFailure::Locked:
        return Tr::tr("Another program (perhaps another OpsDeck) is writing to the incident "
                      "database. You can open it read-only, or close the other program and "
                      "start OpsDeck again.");
    case OpenFailure::Unreadable:
        return Tr::tr("The incident database cannot be read (permissions, missing directory "
                      "or disk error). You can start a new database after moving the file aside.");
    case OpenFailure::TooNew:
        return Tr::tr("The incident database was written by a newer OpsDeck. This version "
                      "will not change it; you can open it read-only.");
    case OpenFailure::None:
        break;
    }
    return {};
}
} // namespace

QString recoveryLabel(DatabaseRecovery recovery)
{
    switch (recovery) {
    case DatabaseRecovery::OpenReadOnly:
        return Tr::tr("Open read-only");
    case DatabaseRecovery::RestoreBackup:
        return Tr::tr("Restore automatic backup");
    case DatabaseRecovery::StartFresh:
        return Tr::tr("Move aside and start fresh");
    }
    return {};
}

IncidentSession::IncidentSession(QObject *parent) : QObject(parent)
{
    m_user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME", QStringLiteral("operator")));
}

IncidentSession::~IncidentSession()
{
    attach(nullptr);
    closeDatabase();
}

QString IncidentSession::defaultDatabasePath() { return qs(ConsoleDatabase::defaultPath()); }

void IncidentSession::closeDatabase()
{
    m_writer.reset(); // drains and joins: every queued write is committed
    m_readStore.reset();
    m_read.reset();
    m_incidents.clear();
    m_links.clear();
}

DatabaseProblem IncidentSession::open(const QString &path)
{
    closeDatabase();
    m_path = path;
    return adopt(ConsoleDatabase::open(ss(path)), false);
}

DatabaseProblem IncidentSession::recover(DatabaseRecovery choice)
{
    closeDatabase();
    const std::string path = ss(m_path);
    switch (choice) {
    case DatabaseRecovery::OpenReadOnly: {
        OpenOptions options;
        options.readOnly = true;
        return adopt(ConsoleDatabase::open(path, options), true);
    }
    case DatabaseRecovery::RestoreBackup:
        return adopt(ConsoleDatabase::restoreBackup(path), false);
    case DatabaseRecovery::StartFresh:
        return adopt(ConsoleDatabase::startFresh(path), false);
    }
    return {};
}

DatabaseProblem IncidentSession::adopt(OpenResult opened, bool readOnly)
{
    DatabaseProblem problem;
    problem.path = m_path;
    if (!opened.ok()) {
        problem.failure = opened.failure;
        problem.message = qs(opened.message);
        problem.explanation = explanationFor(opened.failure);
        const QString backup = qs(ConsoleDatabase::backupPathFor(ss(m_path)));
        if (QFileInfo::exists(backup))
            problem.backupPath = backup;
        switch (opened.failure) {
        case OpenFailure::Locked:
        case OpenFailure::TooNew:
            problem.offers = {DatabaseRecovery::OpenReadOnly};
            break;
        default:
            if (!problem.backupPath.isEmpty())
                problem.offers.append(DatabaseRecovery::RestoreBackup);
            problem.offers.append(DatabaseRecovery::StartFresh);
            break;
        }
        return problem;
    }
    if (readOnly) {
        m_read = std::move(opened.connection);
    } else {
        m_writer = std::make_unique<ConsoleDatabaseWriter>(std::move(opened.connection));
        // The rolling backup "restore" offers next time; the writer checks integrity
        // first, so a damaged file never replaces the last good backup.
        m_writer->writeBackup();
        OpenOptions readOptions;
        readOptions.readOnly = true;
        OpenResult reader = ConsoleDatabase::open(ss(m_path), readOptions);
        if (!reader.ok()) {
            m_writer.reset();
            problem.failure = reader.failure;
            problem.message = qs(reader.message);
            problem.explanation = explanationFor(reader.failure);
            problem.offers = {DatabaseRecovery::OpenReadOnly};
            return problem;
        }
        m_read = std::move(reader.connection);
    }
    m_readStore = std::make_unique<IncidentStore>(*m_read);
    reloadIncidents();
    return problem;
}

void IncidentSession::setUser(const QString &user)
{
    if (!user.trimmed().isEmpty())
        m_user = user.trimmed();
}

qint64 IncidentSession::nowMs() const
{
    if (m_backend) {
        if (const auto snapshot = m_backend->latestSnapshot())
            return snapshot->epochMs;
    }
    return QDateTime::currentMSecsSinceEpoch();
}

// --- Reads ---------------------------------------------------------------------------

void IncidentSession::reloadIncidents()
{
    m_incidents.clear();
    m_links.clear();
    if (!m_readStore)
        return;
    auto all = m_readStore->incidents();
    if (!all.ok()) {
        Q_EMIT errorOccurred(Tr::tr("Reading incidents: %1").arg(qs(all.error())));
        return;
    }
    for (auto &incident : *all) {
        if (auto links = m_readStore->links(incident.id); links.ok())
            m_links[incident.id] = std::move(*links);
        m_incidents[incident.id] = std::move(incident);
    }
}

std::vector<Incident> IncidentSession::incidents() const
{
    std::vector<Incident> out;
    out.reserve(m_incidents.size());
    for (const auto &[id, incident] : m_incidents)
        out.push_back(incident);
    return out;
}

std::optional<Incident> IncidentSession::incident(int64_t id) const
{
    const auto it = m_incidents.find(id);
    if (it == m_incidents.end())
        return std::nullopt;
    return it->second;
}

#define OPSDECK_READ(call, what)                                                              \
    if (!m_readStore)                                                                         \
        return {};                                                                            \
    auto rows = m_readStore->call;                                                            \
    if (!rows.ok()) {                                                                         \
        Q_EMIT const_cast<IncidentSession *>(this)->errorOccurred(                            \
            Tr::tr("Reading %1: %2").arg(QLatin1String(what), qs(rows.error())));              \
        return {};                                                                            \
    }                                                                                         \
    return std::move(*rows);

std::vector<TimelineEntry> IncidentSession::timeline(int64_t id, int64_t afterEntryId) const
{
    OPSDECK_READ(timeline(id, afterEntryId), "the timeline")
}

std::vector<StatusUpdate> IncidentSession::statusUpdates(int64_t id) const
{
    OPSDECK_READ(statusUpdates(id), "status updates")
}

std::vector<StakeholderNotice> IncidentSession::stakeholderNotices(int64_t id) const
{
    OPSDECK_READ(stakeholderNotices(id), "stakeholder notices")
}

std::vector<FollowUp> IncidentSession::followUps(int64_t id) const
{
    OPSDECK_READ(followUps(id), "follow-ups")
}

std::vector<Acknowledgement> IncidentSession::alertAcknowledgements(const QString &fingerprint) const
{
    OPSDECK_READ(acknowledgements(ss(fingerprint)), "acknowledgements")
}

std::vector<AuditRecord> IncidentSession::auditRecords(int64_t afterId, int limit) const
{
    if (!m_read)
        return {};
    AuditLog audit(*m_read);
    auto rows = audit.records(afterId, limit);
    if (!rows.ok())
        return {};
    return std::move(*rows);
}
#undef OPSDECK_READ

std::vector<IncidentLink> IncidentSession::links(int64_t id) const
{
    const auto it = m_links.find(id);
    return it == m_links.end() ? std::vector<IncidentLink>{} : it->second;
}

std::vector<int64_t> IncidentSession::openIncidentIds() const
{
    std::vector<int64_t> out;
    for (const auto &[id, incident] : m_incidents)
        if (incident.state != IncidentState::Resolved && incident.state != IncidentState::Cancelled)
            out.push_back(id);
    return out;
}

// --- Writes --------------------------------------------------------------------------

bool IncidentSession::requireWritable(const QString &what)
{
    if (m_writer)
        return true;
    Q_EMIT errorOccurred(isOpen() ? Tr::tr("%1: the incident database is open read-only").arg(what)
                                  : Tr::tr("%1: no incident database is open").arg(what));
    return false;
}

void IncidentSession::write(const QString &what, int64_t incidentId, WriteJob job, bool declared)
{
    if (!requireWritable(what))
        return;
    // The writer drains before this object goes (destructor), and Qt drops events
    // posted to a destroyed receiver, so `this` is valid whenever the callback runs.
    m_writer->submit([this, job = std::move(job), what, incidentId,
                      declared](ConsoleDatabaseWriter::Context &context) {
        Result<int64_t> result = job(context.incidents, context.audit);
        QMetaObject::invokeMethod(
            this, [this, what, incidentId, result, declared]() {
                afterWrite(what, incidentId, result, declared);
            },
            Qt::QueuedConnection);
    });
}

void IncidentSession::afterWrite(const QString &what, int64_t incidentId,
                                 const Result<int64_t> &result, bool declared)
{
    if (!result.ok())
        Q_EMIT errorOccurred(Tr::tr("%1: %2").arg(what, qs(result.error())));
    reloadIncidents();
    const int64_t id = declared && result.ok() ? *result : incidentId;
    Q_EMIT incidentsChanged();
    if (id > 0) {
        Q_EMIT incidentChanged(id);
        Q_EMIT timelineChanged(id);
    } else if (id < 0) {
        // -1: an action or alert change that touched every open incident, and the audit log.
        for (const int64_t open : openIncidentIds())
            Q_EMIT timelineChanged(open);
        Q_EMIT auditAppended();
    }
    if (declared && result.ok())
        Q_EMIT incidentDeclared(id);
}

void IncidentSession::waitForWrites()
{
    if (m_writer)
        m_writer->submit([](ConsoleDatabaseWriter::Context &) { return 0; }).wait();
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
}

namespace {
Result<int64_t> fromStatus(const Status &status, int64_t id)
{
    if (!status.ok())
        return Error{status.error()};
    return id;
}
} // namespace

void IncidentSession::declareIncident(const NewIncident &incident, const QStringList &services)
{
    NewIncident copy = incident;
    if (copy.createdAtMs == 0)
        copy.createdAtMs = nowMs();
    if (copy.commander.empty())
        copy.commander = ss(m_user);
    const std::string actor = ss(m_user);
    std::vector<std::string> serviceNames;
    for (const QString &service : services)
        if (!service.trimmed().isEmpty())
            serviceNames.push_back(ss(service.trimmed()));
    // What already fires for it starts its timeline (what fires later arrives by itself).
    std::vector<TimelineEntry> firing = alreadyFiring(copy.sourceFingerprint, serviceNames);
    write(Tr::tr("Declaring \"%1\"").arg(qs(copy.title)), 0,
          [copy, actor, serviceNames, firing](IncidentStore &store, AuditLog &) mutable -> Result<int64_t> {
              auto id = store.createIncident(copy, actor);
              if (!id.ok())
                  return id;
              for (const auto &service : serviceNames)
                  if (Status linked = store.addLink({*id, IncidentLinkKind::Service, service});
                      !linked.ok())
                      return Error{linked.error()};
              for (auto &entry : firing)
                  entry.incidentId = *id;
              if (!firing.empty())
                  if (auto added = store.appendTimelineBatch(firing); !added.ok())
                      return Error{added.error()};
              return id;
          },
          true);
}

void IncidentSession::setState(int64_t id, IncidentState state)
{
    const std::string actor = ss(m_user);
    const int64_t at = nowMs();
    write(Tr::tr("Moving incident %1 to %2").arg(id).arg(QLatin1String(incidentStateName(state))), id,
          [=](IncidentStore &store, AuditLog &) { return fromStatus(store.setState(id, state, actor, at), id); });
}

void IncidentSession::reopen(int64_t id, const QString &reason)
{
    const std::string actor = ss(m_user), why = ss(reason);
    const int64_t at = nowMs();
    write(Tr::tr("Reopening incident %1").arg(id), id, [=](IncidentStore &store, AuditLog &) {
        return fromStatus(store.reopen(id, actor, why, at), id);
    });
}

void IncidentSession::acknowledge(int64_t id, const QString &comment)
{
    const std::string actor = ss(m_user);
    const int64_t at = nowMs();
    write(Tr::tr("Acknowledging incident %1").arg(id), id, [=](IncidentStore &store, AuditLog &) {
        return fromStatus(store.acknowledgeIncident(id, actor, at), id);
    });
    // The source alert too, as the queue's first-class acknowledgement: the snapshot
    // that shows it acknowledged puts it in the acknowledgements table and timeline.
    const auto found = incident(id);
    if (!found || found->sourceFingerprint.empty() || !m_backend)
        return;
    bool ok = false;
    const auto fp = qs(found->sourceFingerprint).toULongLong(&ok, 16);
    if (!ok)
        return;
    const auto queued = m_backend->latestSnapshot() ? m_backend->latestSnapshot()->alerts : nullptr;
    if (queued) {
        for (const auto &alert : *queued)
            if (alert.alert.fingerprint == fp && (alert.resolved || alert.ack))
                return; // nothing left to acknowledge
    }
    QCoro::connect(m_backend->acknowledge(fp, m_user, comment), this,
                   [this](const backends::Status &status) {
                       if (!status)
                           Q_EMIT errorOccurred(Tr::tr("Acknowledging the alert: %1")
                                                    .arg(qs(status.error())));
                   });
}

void IncidentSession::handOverCommand(int64_t id, const QString &newCommander)
{
    const std::string actor = ss(m_user), to = ss(newCommander.trimmed());
    const int64_t at = nowMs();
    write(Tr::tr("Handing over incident %1").arg(id), id, [=](IncidentStore &store, AuditLog &) {
        return fromStatus(store.handOverCommand(id, to, actor, at), id);
    });
}

void IncidentSession::assignRole(int64_t id, IncidentRole role, const QString &person)
{
    const std::string actor = ss(m_user), who = ss(person.trimmed());
    const int64_t at = nowMs();
    write(Tr::tr("Assigning a role on incident %1").arg(id), id, [=](IncidentStore &store, AuditLog &) {
        return fromStatus(store.assignRole(id, role, who, actor, at), id);
    });
}

void IncidentSession::releaseRole(int64_t id, IncidentRole role, const QString &person)
{
    const std::string actor = ss(m_user), who = ss(person.trimmed());
    const int64_t at = nowMs();
    write(Tr::tr("Releasing a role on incident %1").arg(id), id, [=](IncidentStore &store, AuditLog &) {
        return fromStatus(store.releaseRole(id, role, who, actor, at), id);
    });
}

void IncidentSession::linkService(int64_t id, const QString &service)
{
    const std::string name = ss(service.trimmed());
    write(Tr::tr("Linking %1 to incident %2").arg(service).arg(id), id,
          [=](IncidentStore &store, AuditLog &) {
              return fromStatus(store.addLink({id, IncidentLinkKind::Service, name}), id);
          });
}

void IncidentSession::addNote(int64_t id, const QString &text)
{
    if (text.trimmed().isEmpty()) {
        Q_EMIT errorOccurred(Tr::tr("A note needs some text"));
        return;
    }
    TimelineEntry entry{0, id, nowMs(), TimelineKind::Note, ss(m_user), ss(text.trimmed()), "{}", {}};
    write(Tr::tr("Adding a note to incident %1").arg(id), id,
          [entry](IncidentStore &store, AuditLog &) { return store.appendTimeline(entry); });
}

void IncidentSession::pinMetricSnapshot(int64_t id, const QImage &chart, const QString &query,
                                        qint64 startMs, qint64 endMs)
{
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (chart.isNull() || !chart.save(&buffer, "PNG")) {
        Q_EMIT errorOccurred(Tr::tr("Pinning a metric snapshot: the chart image is empty"));
        return;
    }
    const QJsonObject payload{{QStringLiteral("query"), query},
                              {QStringLiteral("startMs"), startMs},
                              {QStringLiteral("endMs"), endMs}};
    TimelineEntry entry{0,
                        id,
                        nowMs(),
                        TimelineKind::MetricSnapshot,
                        ss(m_user),
                        ss(Tr::tr("Pinned %1").arg(query)),
                        QJsonDocument(payload).toJson(QJsonDocument::Compact).toStdString(),
                        png.toStdString()};
    write(Tr::tr("Pinning a metric snapshot"), id,
          [entry](IncidentStore &store, AuditLog &) { return store.appendTimeline(entry); });
}

void IncidentSession::postStatusUpdate(const StatusUpdate &update)
{
    StatusUpdate copy = update;
    if (copy.stampedAtMs == 0)
        copy.stampedAtMs = nowMs();
    const std::string actor = ss(m_user);
    write(Tr::tr("Posting a status update"), copy.incidentId,
          [copy, actor](IncidentStore &store, AuditLog &) { return store.addStatusUpdate(copy, actor); });
}

void IncidentSession::notifyStakeholder(int64_t id, Stakeholder stakeholder)
{
    const std::string actor = ss(m_user);
    const int64_t at = nowMs();
    write(Tr::tr("Recording a stakeholder notice"), id, [=](IncidentStore &store, AuditLog &) {
        return store.notifyStakeholder(id, stakeholder, actor, at);
    });
}

void IncidentSession::addFollowUp(int64_t id, const QString &text, const QString &owner)
{
    FollowUp followUp{0, id, ss(text.trimmed()), ss(owner.trimmed()), false, nowMs()};
    write(Tr::tr("Adding a follow-up"), id,
          [followUp](IncidentStore &store, AuditLog &) { return store.addFollowUp(followUp); });
}

void IncidentSession::setFollowUpDone(int64_t followUpId, int64_t incidentId, bool done)
{
    write(Tr::tr("Updating a follow-up"), incidentId, [=](IncidentStore &store, AuditLog &) {
        return fromStatus(store.setFollowUpDone(followUpId, done), incidentId);
    });
}

} // namespace opsdeck::models
