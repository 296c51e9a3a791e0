#include "alert_queue_model.h"

#include "models_tr.h"

#include <QDateTime>
#include <QTimeZone>

#include <limits>
#include <unordered_map>
#include <unordered_set>

namespace opsdeck::models {

namespace alerting = telemetry::alerting;

namespace {

bool sameAck(const std::optional<alerting::Acknowledgement> &a,
             const std::optional<alerting::Acknowledgement> &b)
{
    if (a.has_value() != b.has_value())
        return false;
    return !a || (a->by == b->by && a->comment == b->comment && a->atMs == b->atMs);
}

// Everything a cell, tooltip or role shows; labels are equal by fingerprint.
bool sameRow(const alerting::QueuedAlert &a, const alerting::QueuedAlert &b)
{
    return a.alert.annotations == b.alert.annotations && a.alert.startsAtMs == b.alert.startsAtMs
        && a.alert.endsAtMs == b.alert.endsAtMs && a.alert.value == b.alert.value
        && a.resolved == b.resolved && a.status.state == b.status.state
        && a.status.silencedBy == b.status.silencedBy && a.status.inhibitedBy == b.status.inhibitedBy
        && sameAck(a.ack, b.ack) && a.outcome == b.outcome && a.countdownMs == b.countdownMs
        && a.deadlineMs == b.deadlineMs;
}

QString fromStd(const std::string &s) { return QString::fromStdString(s); }

QString annotation(const alerting::QueuedAlert &a, const char *name)
{
    auto it = a.alert.annotations.find(name);
    return it == a.alert.annotations.end() ? QString() : fromStd(it->second);
}

QString stateText(const alerting::QueuedAlert &a)
{
    if (a.resolved)
        return Tr::tr("resolved");
    if (!a.status.silencedBy.empty())
        return Tr::tr("silenced");
    if (!a.status.inhibitedBy.empty())
        return Tr::tr("inhibited");
    return Tr::tr("firing");
}

QString utcText(qint64 epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, QTimeZone::utc())
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

AlertQueueModel::AlertQueueModel(QObject *parent) : QAbstractTableModel(parent) {}

int AlertQueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AlertQueueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant AlertQueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0
        || section >= NUM_COLUMNS)
        return {};
    switch (Columns(section)) {
    case SeverityColumn: return Tr::tr("Severity");
    case AlertColumn: return Tr::tr("Alert");
    case ServiceColumn: return Tr::tr("Service");
    case StateColumn: return Tr::tr("State");
    case SinceColumn: return Tr::tr("Since");
    case ValueColumn: return Tr::tr("Value");
    case SummaryColumn: return Tr::tr("Summary");
    //: Time left to respond, from the runbook's response time for the severity
    case DeadlineColumn: return Tr::tr("Deadline");
    case AcknowledgedByColumn: return Tr::tr("Acknowledged by");
    case NUM_COLUMNS: break;
    }
    return {};
}

QVariant AlertQueueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QueuedAlert &a = m_rows[size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole: return displayData(a, column);
    case SortRole: return sortData(a, column);
    case Qt::ToolTipRole: return toolTip(a);
    case Qt::DecorationRole:
        return column == SeverityColumn ? QVariant(severityColor(a.severity)) : QVariant();
    case Qt::ForegroundRole:
        if (column == SeverityColumn)
            return severityColor(a.severity);
        if (column == DeadlineColumn && a.outcome == alerting::ResponseOutcome::Pending
            && a.countdownMs && *a.countdownMs < 0)
            return severityColor(alerting::Severity::P1); // overdue reads as an emergency
        if (a.resolved || a.status.state == alerting::AlertStatus::State::Suppressed)
            return severityColor(alerting::Severity::P4); // greyed: nothing to do right now
        return {};
    case FingerprintRole: return QVariant::fromValue<quint64>(a.alert.fingerprint);
    case SeverityRole: return int(a.severity);
    case ResolvedRole: return a.resolved;
    case SuppressedRole: return a.status.state == alerting::AlertStatus::State::Suppressed;
    case DeadlineMsRole: return a.deadlineMs ? QVariant(qint64(*a.deadlineMs)) : QVariant();
    default: return {};
    }
}

QVariant AlertQueueModel::displayData(const QueuedAlert &a, int column) const
{
    switch (Columns(column)) {
    case SeverityColumn: return fromStd(alerting::severityName(a.severity));
    case AlertColumn: return fromStd(a.alert.labels.get("alertname"));
    case ServiceColumn: return fromStd(a.alert.labels.get("service"));
    case StateColumn: return stateText(a);
    case SinceColumn: return utcText(a.alert.startsAtMs);
    case ValueColumn:
        return a.alert.value.empty() ? annotation(a, "value") : fromStd(a.alert.value);
    case SummaryColumn: {
        const QString summary = annotation(a, "summary");
        return summary.isEmpty() ? annotation(a, "description") : summary;
    }
    case DeadlineColumn: return deadlineText(a);
    case AcknowledgedByColumn: return a.ack ? fromStd(a.ack->by) : QString();
    case NUM_COLUMNS: break;
    }
    return {};
}

QVariant AlertQueueModel::sortData(const QueuedAlert &a, int column) const
{
    switch (Columns(column)) {
    case SeverityColumn: return int(a.severity);
    case StateColumn: return int(a.resolved ? 3 : a.status.state == alerting::AlertStatus::State::Suppressed ? 2 : 1);
    case SinceColumn: return qint64(a.alert.startsAtMs);
    case DeadlineColumn:
        // Unknown deadlines and stopped countdowns sort after the running ones.
        if (!a.countdownMs)
            return std::numeric_limits<qint64>::max();
        return a.outcome == alerting::ResponseOutcome::Pending
            ? qint64(*a.countdownMs)
            : std::numeric_limits<qint64>::max() / 2 + qint64(*a.countdownMs);
    case ValueColumn: {
        bool ok = false;
        const double v = displayData(a, column).toString().toDouble(&ok);
        return ok ? QVariant(v) : displayData(a, column);
    }
    default: return displayData(a, column);
    }
}

QString AlertQueueModel::toolTip(const QueuedAlert &a) const
{
    QString tip = fromStd(a.alert.labels.toString()).toHtmlEscaped();
    for (const auto &[name, value] : a.alert.annotations)
        tip += QStringLiteral("<br><b>%1</b>: %2").arg(fromStd(name).toHtmlEscaped(),
                                                     fromStd(value).toHtmlEscaped());
    if (!a.status.silencedBy.empty())
        tip += QStringLiteral("<br>") + Tr::tr("Silenced by %1").arg(fromStd(a.status.silencedBy.front()));
    if (!a.status.inhibitedBy.empty())
        tip += QStringLiteral("<br>") + Tr::tr("Inhibited by alert %1").arg(fromStd(a.status.inhibitedBy.front()));
    if (a.ack)
        tip += QStringLiteral("<br>") + Tr::tr("Acknowledged by %1 at %2: %3")
                   .arg(fromStd(a.ack->by), utcText(a.ack->atMs), fromStd(a.ack->comment).toHtmlEscaped());
    return tip;
}

QString AlertQueueModel::formatDuration(qint64 ms)
{
    const qint64 totalSeconds = ms / 1000;
    const qint64 days = totalSeconds / 86400, hours = totalSeconds / 3600 % 24,
                 minutes = totalSeconds / 60 % 60, seconds = totalSeconds % 60;
    if (days > 0)
        return Tr::tr("%1d %2h").arg(days).arg(hours);
    if (hours > 0)
        return Tr::tr("%1h %2m").arg(hours).arg(minutes, 2, 10, QLatin1Char('0'));
    if (minutes > 0)
        return Tr::tr("%1m %2s").arg(minutes).arg(seconds);
    return Tr::tr("%1s").arg(seconds);
}

QString AlertQueueModel::deadlineText(const QueuedAlert &a)
{
    using alerting::ResponseOutcome;
    if (!a.countdownMs)
        return QString();
    switch (a.outcome) {
    case ResponseOutcome::Pending:
        if (*a.countdownMs < 0)
            //: The response deadline has passed; %1 is how long ago, e.g. "2m 10s"
            return Tr::tr("OVERDUE %1").arg(formatDuration(-*a.countdownMs));
        return formatDuration(*a.countdownMs);
    case ResponseOutcome::Met: return Tr::tr("met");
    case ResponseOutcome::Breached:
        return Tr::tr("breached by %1").arg(formatDuration(-*a.countdownMs));
    case ResponseOutcome::NoDeadline: break;
    }
    return QString();
}

QColor AlertQueueModel::severityColor(alerting::Severity severity)
{
    switch (severity) {
    case alerting::Severity::P1: return QColor(0xd3, 0x2f, 0x2f);  // red
    case alerting::Severity::P2: return QColor(0xf5, 0x9e, 0x0b);  // amber
    case alerting::Severity::P3: return QColor(0x1e, 0x6f, 0xd9);  // blue
    case alerting::Severity::P4:
    case alerting::Severity::Unknown: break;
    }
    return QColor(0x80, 0x80, 0x80); // grey
}

int AlertQueueModel::rowOf(Fingerprint fp) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].alert.fingerprint == fp)
            return int(i);
    return -1;
}

void AlertQueueModel::setAlerts(const std::vector<QueuedAlert> &alerts, qint64 nowMs)
{
    m_nowMs = nowMs;
    std::unordered_map<Fingerprint, const QueuedAlert *> incoming;
    for (const auto &a : alerts)
        incoming.emplace(a.alert.fingerprint, &a);

    // Gone: remove bottom-up in contiguous runs, so row numbers above stay valid.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (incoming.count(m_rows[size_t(row)].alert.fingerprint))
            continue;
        const int last = row;
        while (row > 0 && !incoming.count(m_rows[size_t(row - 1)].alert.fingerprint))
            --row;
        beginRemoveRows({}, row, last);
        m_rows.erase(m_rows.begin() + row, m_rows.begin() + last + 1);
        endRemoveRows();
    }

    // Still there: update in place, one dataChanged per run of changed rows.
    int runStart = -1;
    auto flushRun = [&](int endRow) {
        if (runStart >= 0)
            Q_EMIT dataChanged(index(runStart, 0), index(endRow, NUM_COLUMNS - 1));
        runStart = -1;
    };
    std::unordered_set<Fingerprint> present;
    for (int row = 0; row < int(m_rows.size()); ++row) {
        QueuedAlert &current = m_rows[size_t(row)];
        present.insert(current.alert.fingerprint);
        const QueuedAlert &next = *incoming.at(current.alert.fingerprint);
        if (sameRow(current, next)) {
            flushRun(row - 1);
            continue;
        }
        current = next;
        if (runStart < 0)
            runStart = row;
    }
    flushRun(int(m_rows.size()) - 1);

    // New: appended in the snapshot's order (severity, then age).
    std::vector<const QueuedAlert *> added;
    for (const auto &a : alerts)
        if (!present.count(a.alert.fingerprint)) {
            present.insert(a.alert.fingerprint); // a snapshot never repeats one, but be safe
            added.push_back(&a);
        }
    if (!added.empty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (const QueuedAlert *a : added)
            m_rows.push_back(*a);
        endInsertRows();
    }
}

} // namespace opsdeck::models
