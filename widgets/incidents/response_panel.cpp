#include "widgets/incidents/response_panel.h"

#include "models/incident_report.h"
#include "widgets/remediation_controller_permissions.h"
#include "widgets/theme.h"
#include "widgets/widgets_tr.h"

#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace opsdeck::widgets {
namespace {
QString stakeholderTitle(models::Stakeholder s)
{
    switch (s) {
    case models::Stakeholder::Engineering: return Tr::tr("Engineering");
    case models::Stakeholder::Product: return Tr::tr("Product");
    case models::Stakeholder::Leadership: return Tr::tr("Leadership");
    case models::Stakeholder::Users: return Tr::tr("Users");
    case models::Stakeholder::NUM_STAKEHOLDERS: break;
    }
    return {};
}

void clearGrid(QGridLayout *grid)
{
    while (QLayoutItem *item = grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

constexpr const char *kTicked = "\u2714"; // heavy check mark
constexpr const char *kOpen = "\u25CB";   // white circle
} // namespace

ResponsePanel::ResponsePanel(models::IncidentSession *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_procedureTitle(new QLabel(this)),
      m_stepGrid(new QGridLayout), m_stakeholderGrid(new QGridLayout)
{
    auto *procedure = new QGroupBox(Tr::tr("Response procedure"), this);
    auto *procedureLayout = new QVBoxLayout(procedure);
    m_procedureTitle->setWordWrap(true);
    procedureLayout->addWidget(m_procedureTitle);
    procedureLayout->addLayout(m_stepGrid);
    m_stepGrid->setColumnStretch(1, 1);
    auto *stakeholders = new QGroupBox(Tr::tr("Stakeholders (runbook matrix)"), this);
    auto *stakeholderLayout = new QVBoxLayout(stakeholders);
    stakeholderLayout->addLayout(m_stakeholderGrid);
    m_stakeholderGrid->setColumnStretch(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(procedure);
    layout->addWidget(stakeholders);
    layout->addStretch();
}

void ResponsePanel::setIncident(int64_t incidentId)
{
    m_incident = incidentId;
    m_severity = 0;
    reload();
}

void ResponsePanel::setActionPermissions(ActionPermissions *permissions)
{
    if (m_permissions)
        disconnect(m_permissions, nullptr, this, nullptr);
    m_permissions = permissions;
    if (permissions)
        connect(permissions, &ActionPermissions::answersChanged, this, &ResponsePanel::updateStepPermissions);
    updateStepPermissions();
}

// Only one-click action steps are the cluster's to refuse; acknowledging and checking are
// the console's own.
void ResponsePanel::updateStepPermissions()
{
    for (size_t i = 0; i < m_steps.size() && i < m_stepRows.size(); ++i) {
        const auto &step = m_steps[i];
        if (step.kind != models::StepKind::Action || !step.action)
            continue;
        const PermissionAnswer answer = m_permissions ? m_permissions->answerFor(*step.action) : PermissionAnswer{};
        m_stepRows[i].button->setEnabled(answer.permits());
        m_stepRows[i].button->setToolTip(answer.toolTip());
    }
}

void ResponsePanel::rebuildSteps()
{
    clearGrid(m_stepGrid);
    m_stepRows.clear();
    m_steps = models::responseProcedure(m_severity);
    m_procedureTitle->setText(m_severity == 1 ? Tr::tr("P1: Service Outage Response (emergency_response.sh)")
                              : m_severity == 2 ? Tr::tr("P2: Performance Degradation (performance_investigation.py)")
                                                : Tr::tr("P%1: basic response").arg(m_severity));
    for (size_t i = 0; i < m_steps.size(); ++i) {
        const auto &step = m_steps[i];
        auto *tick = new QLabel(QString::fromUtf8(kOpen), this);
        QFont tickFont = tick->font();
        tickFont.setPointSizeF(tickFont.pointSizeF() * 1.3);
        tickFont.setBold(true);
        tick->setFont(tickFont);
        auto *title = new QLabel(QStringLiteral("<b>%1. %2</b><br><code>%3</code>")
                                     .arg(i + 1)
                                     .arg(QString::fromStdString(step.title).toHtmlEscaped(),
                                          QString::fromStdString(step.runbookLine).toHtmlEscaped()),
                                 this);
        title->setWordWrap(true);
        const QString label = step.kind == models::StepKind::Acknowledge ? Tr::tr("Acknowledge")
                              : step.kind == models::StepKind::Inspect   ? Tr::tr("Check")
                                                                         : Tr::tr("Do it...");
        auto *button = new QPushButton(label, this);
        button->setObjectName(QStringLiteral("step_%1").arg(QString::fromStdString(step.id)));
        connect(button, &QPushButton::clicked, this, [this, i] {
            const auto &s = m_steps[i];
            switch (s.kind) {
            case models::StepKind::Acknowledge:
                m_session->acknowledge(m_incident);
                break;
            case models::StepKind::Inspect:
                m_session->recordCheck(m_incident, QString::fromStdString(s.id));
                break;
            case models::StepKind::Action:
                if (s.action) {
                    sim::ActionSpec action = *s.action;
                    action.actor = m_session->user().toStdString();
                    Q_EMIT actionRequested(action);
                }
                break;
            }
        });
        m_stepGrid->addWidget(tick, int(i), 0, Qt::AlignTop);
        m_stepGrid->addWidget(title, int(i), 1);
        m_stepGrid->addWidget(button, int(i), 2, Qt::AlignTop);
        m_stepRows.push_back({tick, title, button});
    }
    updateStepPermissions();
}

void ResponsePanel::reload()
{
    const auto incident = m_session->incident(m_incident);
    if (!incident)
        return;
    if (incident->severity != m_severity) {
        m_severity = incident->severity;
        rebuildSteps();
    }
    const auto timeline = m_session->timeline(m_incident);
    m_done.clear();
    for (size_t i = 0; i < m_steps.size(); ++i) {
        const auto doneAt = models::stepDoneAtMs(m_steps[i], *incident, timeline);
        StepRow &row = m_stepRows[i];
        row.tick->setText(QString::fromUtf8(doneAt ? kTicked : kOpen));
        row.tick->setStyleSheet(doneAt ? QStringLiteral("color: %1").arg(theme::ok().name()) : QString());
        row.tick->setToolTip(doneAt ? Tr::tr("Done at %1").arg(models::utcTime(*doneAt)) : Tr::tr("Not done yet"));
        if (doneAt)
            m_done << QString::fromStdString(m_steps[i].id);
    }
    updateClock();
}

void ResponsePanel::updateClock()
{
    const auto incident = m_session->incident(m_incident);
    if (!incident)
        return;
    const auto duties = models::stakeholderChecklist(incident->severity, incident->createdAtMs,
                                                     m_session->stakeholderNotices(m_incident),
                                                     m_session->statusUpdates(m_incident),
                                                     m_session->nowMs());
    if (m_dutyRows.size() != duties.size()) {
        clearGrid(m_stakeholderGrid);
        m_dutyRows.clear();
        for (size_t i = 0; i < duties.size(); ++i) {
            auto *name = new QLabel(this);
            auto *due = new QLabel(this);
            auto *button = new QPushButton(Tr::tr("Notified"), this);
            const auto stakeholder = duties[i].stakeholder;
            button->setObjectName(QStringLiteral("notify_%1").arg(QLatin1String(models::stakeholderName(stakeholder))));
            connect(button, &QPushButton::clicked, this,
                    [this, stakeholder] { m_session->notifyStakeholder(m_incident, stakeholder); });
            m_stakeholderGrid->addWidget(name, int(i), 0);
            m_stakeholderGrid->addWidget(due, int(i), 1);
            m_stakeholderGrid->addWidget(button, int(i), 2);
            m_dutyRows.push_back({name, due, button});
        }
    }
    m_overdue.clear();
    const int64_t now = m_session->nowMs();
    for (size_t i = 0; i < duties.size(); ++i) {
        const auto &duty = duties[i];
        DutyRow &row = m_dutyRows[i];
        const QString who = stakeholderTitle(duty.stakeholder);
        const QString cell = QString::fromStdString(duty.runbookText);
        QString text, colour;
        switch (duty.state) {
        case models::DutyState::Done:
            text = Tr::tr("%1 told at %2").arg(QString::fromUtf8(kTicked), models::utcTime(*duty.doneAtMs));
            colour = theme::ok().name();
            break;
        case models::DutyState::NotRequired:
            text = Tr::tr("%1 (not required)").arg(cell);
            colour = theme::muted().name();
            break;
        case models::DutyState::Overdue:
            text = Tr::tr("%1: OVERDUE by %2").arg(cell, models::humanDuration(now - *duty.dueAtMs));
            colour = theme::p1().name();
            m_overdue << QLatin1String(models::stakeholderName(duty.stakeholder));
            break;
        case models::DutyState::Due:
            text = duty.dueAtMs ? Tr::tr("%1: due in %2").arg(cell, models::humanDuration(*duty.dueAtMs - now))
                                : cell;
            break;
        }
        row.name->setText(QStringLiteral("<b>%1</b>").arg(who));
        row.due->setText(text);
        row.due->setStyleSheet(colour.isEmpty() ? QString()
                                                : QStringLiteral("color: %1; font-weight: %2").arg(colour,
                                                      duty.state == models::DutyState::Overdue ? QStringLiteral("bold")
                                                                                               : QStringLiteral("normal")));
        row.button->setEnabled(duty.state != models::DutyState::Done);
    }
}

QStringList ResponsePanel::doneSteps() const { return m_done; }
QStringList ResponsePanel::overdueStakeholders() const { return m_overdue; }

QPushButton *ResponsePanel::stepButton(const QString &stepId) const
{
    return findChild<QPushButton *>(QStringLiteral("step_%1").arg(stepId));
}

QPushButton *ResponsePanel::notifyButton(models::Stakeholder stakeholder) const
{
    return findChild<QPushButton *>(QStringLiteral("notify_%1").arg(QLatin1String(models::stakeholderName(stakeholder))));
}

} // namespace opsdeck::widgets
