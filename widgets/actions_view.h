#pragma once
// The "Actions" view: the runbook's procedures as big buttons with a one-line
// explanation each, grouped as the runbook groups them (Deploy & rollback, Scale, Traffic
// & regions, Safety & security, Data); deploys gated by the pre-deployment checklist;
// progressive rollout progress per stage; Diagnose; and the recent-actions record (time,
// who, what, result, kubectl). Every button goes through RemediationController::request,
// so every action is confirmed and recorded the same way as from anywhere else. Buttons
// the cluster refuses to this user (RemediationController::permissions) are greyed out
// with the server's reason, and a line above them says why.
#include "../backends/cluster_backend.h"

#include <QWidget>

#include <functional>
#include <vector>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;

namespace opsdeck::widgets {

class DiagnosePanel;
class PreDeploymentChecklist;
class RemediationController;
class RolloutProgressPanel;

class ActionsView : public QWidget {
    Q_OBJECT
public:
    ActionsView(backends::ClusterBackend *backend, RemediationController *controller, QWidget *parent = nullptr);
    ~ActionsView() override;

    RemediationController *controller() const { return m_controller; }
    PreDeploymentChecklist *checklist() const { return m_checklist; }
    RolloutProgressPanel *rolloutPanel() const { return m_rollout; }
    DiagnosePanel *diagnosePanel() const { return m_diagnose; }
    QTableView *recentActions() const { return m_recent; }
    QComboBox *deploymentBox() const { return m_deployment; }
    QLineEdit *versionField() const { return m_version; }
    QSpinBox *replicasBox() const { return m_replicas; }
    QLabel *lastResultLabel() const { return m_lastResult; }
    // "Read-only: ..." when the cluster refuses some of these actions; hidden otherwise.
    QLabel *permissionHint() const { return m_permissionHint; }
    // Buttons by object name ("rollback", "scale", "deploy", "canary", "progressive",
    // "presetHighLoad", "presetScaleDown", "failover", ...); null when unknown.
    QPushButton *button(const QString &name) const;
    QString componentFilter() const { return m_filter; }

public Q_SLOTS:
    // Show the actions that concern `component` ("" = all), preselect it as the target
    // deployment, and filter the recent actions to it. Driven by the service map.
    void setComponentFilter(const QString &component);
    void showSnapshot(const opsdeck::backends::SnapshotPtr &snapshot);

private:
    struct Entry {
        QPushButton *button = nullptr;
        QWidget *cell = nullptr;       // button + explanation, hidden by the filter
        QGroupBox *group = nullptr;
        QStringList components;        // empty: concerns any deployment (uses the selector)
        // What a click would ask for now: whose permission decides the button's state.
        std::function<std::vector<sim::ActionSpec>()> specs;
        bool needsDeployChecks = false; // deploys: also the checklist and a version
    };

    QWidget *buildProcedures();
    QWidget *buildSidebar();
    QPushButton *addAction(QGroupBox *group, const QString &name, const QString &title, const QString &explanation,
                           QStringList components = {});
    sim::ActionSpec spec(sim::ActionKind kind, const std::string &target = {}) const;
    std::string selectedDeployment() const;
    // Enabled = the cluster permits it (and, for deploys, checklist and version are done).
    void updateButtons();
    void showPermissionHint(int denied, const QStringList &deniedReasons, const QStringList &unanswered);
    void updateDeploymentChoices(const sim::Inventory &inventory, const std::string &region);
    void fetchEvents();
    void onActionFinished(const sim::ActionSpec &spec, const sim::ActionResult &result);

    backends::ClusterBackend *m_backend;
    RemediationController *m_controller;
    QString m_filter;
    std::vector<Entry> m_entries;
    std::vector<QGroupBox *> m_groups;
    QLabel *m_filterLabel = nullptr;
    QPushButton *m_clearFilter = nullptr;
    QComboBox *m_deployment = nullptr;
    QLineEdit *m_version = nullptr;
    QSpinBox *m_replicas = nullptr;
    QComboBox *m_region = nullptr;
    QLabel *m_deployBlocked = nullptr;
    QLabel *m_permissionHint = nullptr;
    PreDeploymentChecklist *m_checklist = nullptr;
    RolloutProgressPanel *m_rollout = nullptr;
    DiagnosePanel *m_diagnose = nullptr;
    QLabel *m_lastResult = nullptr;
    QTableView *m_recent = nullptr;
    QSortFilterProxyModel *m_recentProxy = nullptr;
    std::size_t m_eventsSeen = 0;
    bool m_fetchingEvents = false;
    QStringList m_deploymentNames;
    QStringList m_regionNames;
};

} // namespace opsdeck::widgets
