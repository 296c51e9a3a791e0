#pragma once
// The runbook's response procedure for the incident's severity as a checklist (each
// step with its one-click action; a step ticks itself when the timeline shows it done,
// whoever did it and however), and the stakeholder matrix as a checklist whose open
// items turn red once overdue on the backend's clock. Given the console's
// ActionPermissions, a step whose action the cluster refuses to this user is greyed out
// with the server's reason.
#include "backends/sim/simulation.h"
#include "models/incident_session.h"
#include "models/response_plan.h"

#include <QPointer>
#include <QWidget>

class QGridLayout;
class QLabel;
class QPushButton;

namespace opsdeck::widgets {

class ActionPermissions;

class ResponsePanel : public QWidget {
    Q_OBJECT
public:
    explicit ResponsePanel(models::IncidentSession *session, QWidget *parent = nullptr);

    void setIncident(int64_t incidentId);
    void reload();        // after the incident or its timeline changed
    void updateClock();   // deadlines only
    // Whom the action steps ask whether they are allowed (not owned; null: never greyed
    // out, the confirmation still checks).
    void setActionPermissions(ActionPermissions *permissions);

    // For tests: which procedure steps are ticked, by id, and the overdue stakeholders.
    QStringList doneSteps() const;
    QStringList overdueStakeholders() const;
    QPushButton *stepButton(const QString &stepId) const;
    QPushButton *notifyButton(models::Stakeholder stakeholder) const;

Q_SIGNALS:
    // A step's one click (Action steps): the lead routes it to the confirmation dialog.
    void actionRequested(const opsdeck::sim::ActionSpec &action);

private:
    void rebuildSteps();
    void updateStepPermissions();

    models::IncidentSession *m_session;
    QPointer<ActionPermissions> m_permissions;
    int64_t m_incident = 0;
    int m_severity = 0;
    std::vector<models::ProcedureStep> m_steps;
    QLabel *m_procedureTitle;
    QGridLayout *m_stepGrid;
    struct StepRow { QLabel *tick; QLabel *title; QPushButton *button; };
    std::vector<StepRow> m_stepRows;
    QStringList m_done;
    QGridLayout *m_stakeholderGrid;
    struct DutyRow { QLabel *name; QLabel *due; QPushButton *button; };
    std::vector<DutyRow> m_dutyRows;
    QStringList m_overdue;
};

} // namespace opsdeck::widgets
