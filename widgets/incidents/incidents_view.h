#pragma once
// The Incidents tab: every incident in a list (severity colour, state, commander, age,
// response countdown) and the selected one in detail (IncidentDetailPanel). Declaring
// from an alert or by hand opens DeclareIncidentDialog (non-blocking) and selects the
// new incident once it is stored.
//
// Wiring (the lead): actionRequested -> the remediation confirmation dialog (this view
// never calls ClusterBackend::apply); showDashboardsAt -> the dashboards at that moment;
// the alert queue's "declare" -> declareFromAlert; a shortcut -> declareManually.
#include "backends/cluster_backend.h"
#include "models/incident_list_model.h"
#include "models/incident_session.h"

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace opsdeck::widgets {

class DeclareIncidentDialog;
class IncidentDetailPanel;

class IncidentsView : public QWidget {
    Q_OBJECT
public:
    IncidentsView(backends::ClusterBackend *backend, models::IncidentSession *session,
                  QWidget *parent = nullptr);

    int64_t selectedIncident() const;
    void selectIncident(int64_t incidentId);
    IncidentDetailPanel *detail() const { return m_detail; }
    QTableView *list() const { return m_list; }
    models::IncidentListModel *listModel() const { return m_model; }
    // The declare dialog while it is open (tests accept it), else null.
    DeclareIncidentDialog *declareDialog() const { return m_dialog; }

public Q_SLOTS:
    void declareFromAlert(const opsdeck::telemetry::alerting::QueuedAlert &alert);
    void declareManually();

Q_SIGNALS:
    void actionRequested(const opsdeck::sim::ActionSpec &action);
    void showDashboardsAt(qint64 epochMs);

private:
    void reloadList();
    void onClock();
    void openDeclareDialog(DeclareIncidentDialog *dialog);

    backends::ClusterBackend *m_backend;
    models::IncidentSession *m_session;
    models::IncidentListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_list;
    QLabel *m_summary;
    IncidentDetailPanel *m_detail;
    DeclareIncidentDialog *m_dialog = nullptr;
    int64_t m_selectWhenDeclared = -1;
    qint64 m_lastClockMs = 0;
};

} // namespace opsdeck::widgets
