#pragma once
// The recent-actions record the Actions view shows: one row per action the console sent,
// newest first, with when (cluster time), who, what, the result (running / ok / failed and
// why) and the kubectl equivalent. Filled by RemediationController only.
#include "../backends/cluster_backend.h"

#include <QAbstractTableModel>

#include <deque>

namespace opsdeck::widgets {

class RemediationLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, WhoColumn, ActionColumn, ResultColumn, CommandColumn, ColumnCount };
    enum State { Running, Succeeded, Failed };
    enum Role { StateRole = Qt::UserRole + 1, TargetRole, KindRole };

    struct Entry {
        int id = 0;
        qint64 epochMs = 0;     // cluster clock when asked (0: unknown)
        QString who;
        sim::ActionSpec spec;
        QString what;           // describeAction(spec)
        State state = Running;
        QString message;        // result message, or why it failed
        QString kubectl;
    };

    explicit RemediationLogModel(QObject *parent = nullptr);

    // Adds a running entry at the top; returns its id for finish().
    int start(const sim::ActionSpec &spec, const QString &who, qint64 epochMs, const QString &kubectlPreview);
    void finish(int id, const sim::ActionResult &result);

    const Entry *entry(int row) const;
    int runningCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::deque<Entry> m_entries; // newest first
    int m_nextId = 1;
    static constexpr int kMaxEntries = 500;
};

} // namespace opsdeck::widgets
