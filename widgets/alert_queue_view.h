#pragma once
// The console's alert queue: a sortable, filterable table over AlertQueueModel with the
// on-call verbs (acknowledge, silence for 15m / 1h / 4h). Fed by the backend's snapshots;
// acknowledge and silence go back to the backend, whose next snapshot shows the result.
// New P1 alerts flash their row for a moment (no focus change: the operator may be typing)
// and are announced by newP1Firing (the main window may sound the bell for them).
#include "../backends/cluster_backend.h"

#include <QIcon>
#include <QSortFilterProxyModel>
#include <QWidget>

#include <array>
#include <map>
#include <set>

class QAction;
class QLineEdit;
class QTableView;
class QTimer;
class QToolButton;

namespace opsdeck::models {
class AlertQueueModel;
}

namespace opsdeck::widgets {

// Filters by severity (P1..P4 each on or off) and by a search text matched against the
// alert name, service and summary; sorts on AlertQueueModel::SortRole. Adds the severity
// icon and the flash highlight of new P1 rows.
class AlertFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit AlertFilterProxy(QObject *parent = nullptr);

    void setSeverityShown(int severity, bool shown); // 1..4 = P1..P4
    bool severityShown(int severity) const;
    void setSearchText(const QString &text);
    QString searchText() const { return m_search; }
    // Only alerts about this component (the service map's selection); alerts that name no
    // component at all (cluster-wide ones) stay, since they concern every component.
    // Empty: all.
    void setComponentFilter(const QString &component);
    QString componentFilter() const { return m_component; }

    // Highlight the row of `fingerprint` for a few blinks (a timer on the background).
    void flash(quint64 fingerprint);
    bool isFlashing(quint64 fingerprint) const { return m_flashTicksLeft.count(fingerprint) > 0; }

    // The coloured severity disc shown in the Severity column and on the filter buttons.
    QIcon severityIcon(int severity) const;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void onFlashTick();
    void refreshFlashRows(const std::set<quint64> &fingerprints);

    std::array<bool, 5> m_severityShown{true, true, true, true, true}; // P1..P4, unknown
    QString m_search;
    QString m_component;
    std::map<quint64, int> m_flashTicksLeft; // fingerprint -> remaining half-blinks
    bool m_flashOn = false;
    QTimer *m_flashTimer = nullptr;
    mutable std::array<QIcon, 5> m_icons; // by severity, 0 = unknown; drawn on first use
};

class AlertQueueView : public QWidget {
    Q_OBJECT
public:
    explicit AlertQueueView(backends::ClusterBackend *backend, QWidget *parent = nullptr);
    ~AlertQueueView() override;

    models::AlertQueueModel *model() const { return m_model; }
    AlertFilterProxy *proxy() const { return m_proxy; }
    QTableView *table() const { return m_table; }
    QLineEdit *searchBox() const { return m_search; }
    QToolButton *severityButton(int severity) const; // 1..4
    QAction *acknowledgeAction() const { return m_ackAction; }
    QAction *declareIncidentAction() const { return m_declareAction; }

    // Who acknowledges and silences (default: the login name, else "operator").
    void setOperatorName(const QString &name) { m_operator = name; }
    QString operatorName() const { return m_operator; }

    // Firing, unsilenced alerts by severity (index 1..4 = P1..P4) as of the last snapshot.
    std::array<int, 5> firingCounts() const { return m_firing; }

    // The verbs, on the selected row; without the dialogs (tests and shortcuts use them).
    // Return false when nothing is selected; the outcome arrives as actionFinished.
    bool acknowledgeSelected(const QString &comment);
    bool silenceSelected(qint64 durationMs, const QString &comment = {});
    // Ask for an optional comment, then acknowledge (the Ctrl+K / button path).
    void askAndAcknowledge();
    void focusSearch();
    // Emits declareIncidentRequested for the selected alert; false when none is selected.
    bool declareIncidentFromSelected();

public Q_SLOTS:
    void showSnapshot(const opsdeck::backends::SnapshotPtr &snapshot);
    // Narrows the queue to one component (empty: all), with a chip saying so.
    void setComponentFilter(const QString &component);

Q_SIGNALS:
    void firingCountsChanged();
    void actionFinished(const QString &message, bool ok);
    // The user asked to open an incident for this alert (the incidents view takes it).
    void declareIncidentRequested(const opsdeck::telemetry::alerting::QueuedAlert &alert);
    // A P1 started firing since the last snapshot (not one of a backlog seen at start-up).
    void newP1Firing(const opsdeck::telemetry::alerting::QueuedAlert &alert);

private:
    void buildToolBar(QWidget *bar);
    void showContextMenu(const QPoint &pos);
    void updateActions();
    int selectedSourceRow() const;

    backends::ClusterBackend *m_backend;
    models::AlertQueueModel *m_model = nullptr;
    AlertFilterProxy *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QLineEdit *m_search = nullptr;
    QToolButton *m_componentChip = nullptr;
    std::array<QToolButton *, 5> m_severityButtons{};
    QAction *m_ackAction = nullptr;
    QAction *m_declareAction = nullptr;
    std::map<qint64, QAction *> m_silenceActions; // duration ms -> action
    QToolButton *m_silenceButton = nullptr;
    QString m_operator;
    std::array<int, 5> m_firing{};
    std::set<quint64> m_seen; // fingerprints shown before: only new P1s flash
    bool m_firstSnapshot = true;
};

} // namespace opsdeck::widgets
