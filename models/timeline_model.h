#pragma once
// One incident's timeline as a list. Loaded whole with setEntries() (a reset), then
// grown with appendEntries() (beginInsertRows, never a reset) as the writer reports
// commits. TimelineKindFilterModel narrows it to a set of kinds.
#include "models/incident_records.h"

#include <QAbstractListModel>
#include <QSortFilterProxyModel>

#include <vector>

namespace opsdeck::models {

class TimelineModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Roles {
        TimeMsRole = Qt::UserRole, // qint64 epoch ms
        KindRole,                  // int, a TimelineKind
        KindNameRole,              // QString, e.g. "alert_firing"
        ActorRole,
        TextRole,
        PayloadRole,               // QVariantMap parsed from the JSON payload
        PayloadJsonRole,           // QString, the JSON as stored
        EntryIdRole,               // qint64
        HasAttachmentRole,         // bool (e.g. a snapshot PNG)
        NUM_ROLES
    };

    explicit TimelineModel(QObject *parent = nullptr);
    ~TimelineModel() override = default;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setEntries(std::vector<TimelineEntry> entries);
    // Appends entries newer than the last one held; older or duplicate ids are skipped,
    // so replaying a commit notification is harmless.
    void appendEntries(const std::vector<TimelineEntry> &entries);
    const TimelineEntry &entry(int row) const { return m_entries[size_t(row)]; }
    int64_t lastEntryId() const { return m_entries.empty() ? 0 : m_entries.back().id; }

private:
    std::vector<TimelineEntry> m_entries;
};

class TimelineKindFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit TimelineKindFilterModel(QObject *parent = nullptr);
    ~TimelineKindFilterModel() override = default;

    // A mask of timelineKindBit(kind); kAllTimelineKinds shows everything.
    void setKindMask(uint32_t mask);
    uint32_t kindMask() const { return m_mask; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    uint32_t m_mask = kAllTimelineKinds;
};

} // namespace opsdeck::models
