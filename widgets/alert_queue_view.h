#pragma once
// The console's alert queue: a sortable, filterable table over AlertQueueModel with the
// on-call verbs (acknowledge, silence for 15m / 1h / 4h). Fed by the backend's snapshots;
// acknowledge and silence go back to the backend, whose next snapshot shows the result.
// New P1 alerts flash their row for a moment (no focus change: the operator may be typing)
// and are announced by newP1Firing (the main window may sound the bell for them).
#include "../backends/cluster_backend.h"
#include "alert_filter_proxy.h"

#include <QWidget>

#include <array>
#include <map>
#include <set>

class QAction;
class QLineEdit;
class QTableView;
class QToolButton;

namespace opsdeck::models {
class AlertQueueModel;
}

namespace opsdeck::widgets {

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
