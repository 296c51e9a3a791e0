#pragma once
// THE one path every remediation in the console goes through: the Actions view, the
// service map's context menu, alert rows, incident checklists and Diagnose all call
// request(). It opens the confirmation (what changes, kubectl, type-to-confirm for the
// destructive ones), and on accept sends the action to ClusterBackend::apply with the
// operator's name, records it (who / what / when / result) and reports the outcome.
// Its permissions() tell the views beforehand which actions the cluster refuses, so
// they grey those buttons out with the reason.
#include "../backends/cluster_backend.h"
#include "action_confirm_dialog.h"

#include <QObject>
#include <QPointer>

#include <vector>

class QWidget;

namespace opsdeck::widgets {

class ActionConfirmDialog;
class ActionPermissions;
class RemediationLogModel;

class RemediationController : public QObject {
    Q_OBJECT
public:
    // `dialogParent`: the window the confirmation is centred on (not owned).
    RemediationController(backends::ClusterBackend *backend, QWidget *dialogParent, QObject *parent = nullptr);
    ~RemediationController() override;

    backends::ClusterBackend *backend() const { return m_backend; }
    RemediationLogModel *log() const { return m_log; }
    // May the current user do an action? Cached answers of the cluster, for the views.
    ActionPermissions *permissions() const { return m_permissions; }

    // QSettings "operator/name", else the OS login name, else "operator".
    QString operatorName() const;
    void setOperatorName(const QString &name); // also stored in QSettings

    // The confirmation currently open (null when none): tests and the lead's shortcuts.
    ActionConfirmDialog *pendingDialog() const { return m_dialog; }
    int inFlightCount() const { return m_inFlight; }

public Q_SLOTS:
    // Confirm, then apply one action. A new request replaces a confirmation still open.
    void request(const opsdeck::sim::ActionSpec &spec);
    // Several actions confirmed together and applied in order (the runbook's scaling
    // presets, the security procedure). Stops at the first failure: later steps assume it.
    void requestBatch(const QString &title, const std::vector<opsdeck::sim::ActionSpec> &specs);

Q_SIGNALS:
    void confirmationOpened(opsdeck::widgets::ActionConfirmDialog *dialog);
    void cancelled(const opsdeck::sim::ActionSpec &spec);
    void actionStarted(const opsdeck::sim::ActionSpec &spec);
    void actionFinished(const opsdeck::sim::ActionSpec &spec, const opsdeck::sim::ActionResult &result);

private:
    void applyFrom(std::vector<sim::ActionSpec> specs, std::size_t index);

    backends::ClusterBackend *m_backend;
    QPointer<QWidget> m_dialogParent;
    RemediationLogModel *m_log;
    ActionPermissions *m_permissions;
    QPointer<ActionConfirmDialog> m_dialog;
    QString m_operator; // explicit override; empty: settings / login name
    int m_inFlight = 0;
};

} // namespace opsdeck::widgets
