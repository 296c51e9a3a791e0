#include "models/timeline_model.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

namespace opsdeck::models {

TimelineModel::TimelineModel(QObject *parent) : QAbstractListModel(parent) {}

int TimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant TimelineModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TimelineEntry &e = m_entries[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return QStringLiteral("%1  %2  %3: %4")
            .arg(QDateTime::fromMSecsSinceEpoch(e.timeMs, Qt::UTC).toString(Qt::ISODate),
                 QString::fromLatin1(timelineKindName(e.kind)), QString::fromStdString(e.actor),
                 QString::fromStdString(e.text));
    case TimeMsRole: return qint64(e.timeMs);
    case KindRole: return int(e.kind);
    case KindNameRole: return QString::fromLatin1(timelineKindName(e.kind));
    case ActorRole: return QString::fromStdString(e.actor);
    case TextRole: return QString::fromStdString(e.text);
    case PayloadRole:
        return QJsonDocument::fromJson(QByteArray::fromStdString(e.payloadJson)).object().toVariantMap();
    case PayloadJsonRole: return QString::fromStdString(e.payloadJson);
    case EntryIdRole: return qint64(e.id);
    case HasAttachmentRole: return !e.attachment.empty();
    default: return {};
    }
}

QHash<int, QByteArray> TimelineModel::roleNames() const
{
    auto names = QAbstractListModel::roleNames();
    names.insert(TimeMsRole, "timeMs");
    names.insert(KindRole, "kind");
    names.insert(KindNameRole, "kindName");
    names.insert(ActorRole, "actor");
    names.insert(TextRole, "text");
    names.insert(PayloadRole, "payload");
    names.insert(PayloadJsonRole, "payloadJson");
    names.insert(EntryIdRole, "entryId");
    names.insert(HasAttachmentRole, "hasAttachment");
    return names;
}

void TimelineModel::setEntries(std::vector<TimelineEntry> entries)
{
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

void TimelineModel::appendEntries(const std::vector<TimelineEntry> &entries)
{
    std::vector<const TimelineEntry *> fresh;
    int64_t last = lastEntryId();
    for (const TimelineEntry &e : entries) {
        if (e.id > last) {
            fresh.push_back(&e);
            last = e.id;
        }
    }
    if (fresh.empty())
        return;
    const int first = int(m_entries.size());
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    for (const TimelineEntry *e : fresh)
        m_entries.push_back(*e);
    endInsertRows();
}

TimelineKindFilterModel::TimelineKindFilterModel(QObject *parent) : QSortFilterProxyModel(parent) {}

void TimelineKindFilterModel::setKindMask(uint32_t mask)
{
    if (mask == m_mask)
        return;
    // A full invalidate (one layoutChanged, mapping rebuilt on next access) rather than
    // invalidateRowsFilter(): the latter emits one rowsInserted per contiguous run, and
    // widening a 1-in-9 filter on 100k interleaved entries took seconds that way.
    m_mask = mask;
    invalidate();
}

bool TimelineKindFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    // Read the entry directly: going through data() would box a QVariant per row, which
    // dominates the filter time on a 100k-entry timeline.
    if (const auto *timeline = qobject_cast<const TimelineModel *>(sourceModel()))
        return m_mask & timelineKindBit(timeline->entry(sourceRow).kind);
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    return m_mask & (1u << index.data(TimelineModel::KindRole).toUInt());
}

} // namespace opsdeck::models
