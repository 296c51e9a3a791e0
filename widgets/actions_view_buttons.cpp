// ActionsView: which buttons are enabled, and why not. Two things can grey a button out:
// the cluster refusing the action to this user (asked beforehand through
// RemediationController::permissions, a SelfSubjectAccessReview on a real cluster), and
// for deploys the pre-deployment checklist and the version field.
#include "actions_view.h"

#include "checklist_widget.h"
#include "remediation_controller.h"
#include "remediation_controller_permissions.h"
#include "theme.h"
#include "widgets_tr.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace opsdeck::widgets {

namespace {
QString boldLabelStyle(const QColor &colour)
{
    return QStringLiteral("QLabel { font-weight: bold; color: %1; }").arg(colour.name());
}
} // namespace

void ActionsView::updateButtons()
{
    ActionPermissions *permissions = m_controller->permissions();
    const bool haveVersion = !m_version->text().trimmed().isEmpty();
    const bool checklistDone = m_checklist->isComplete();
    int denied = 0;
    QStringList deniedReasons, unanswered;
    QString deployRefused;
    for (const Entry &e : m_entries) {
        const PermissionAnswer answer = e.specs ? permissions->answerForAll(e.specs()) : PermissionAnswer{};
        e.button->setEnabled(answer.permits() && (!e.needsDeployChecks || (haveVersion && checklistDone)));
        e.button->setToolTip(answer.toolTip());
        if (answer.state == PermissionAnswer::State::Denied) {
            ++denied;
            for (const QString &reason : answer.reason.split(QLatin1Char('\n')))
                if (!deniedReasons.contains(reason))
                    deniedReasons << reason;
            if (e.needsDeployChecks && deployRefused.isEmpty())
                deployRefused = answer.reason;
        } else if (answer.state == PermissionAnswer::State::Unanswered && !unanswered.contains(answer.reason)) {
            unanswered << answer.reason;
        }
    }

    // The line under the deploy buttons names what stands in the way, the cluster first:
    // no checklist makes a refused deploy possible.
    QStringList why;
    if (!deployRefused.isEmpty()) {
        //: Under the deploy buttons; %1 is the API server's answer
        m_deployBlocked->setText(Tr::tr("Deploy not allowed for you: %1").arg(deployRefused));
        m_deployBlocked->setStyleSheet(boldLabelStyle(theme::p2()));
    } else {
        if (!haveVersion)
            why << Tr::tr("enter the version to deploy");
        if (!checklistDone)
            why << m_checklist->missingText();
        m_deployBlocked->setText(why.isEmpty() ? Tr::tr("Ready to deploy.")
                                               : Tr::tr("Deploy disabled: %1").arg(why.join(QStringLiteral("; "))));
        m_deployBlocked->setStyleSheet(boldLabelStyle(why.isEmpty() ? theme::ok() : theme::p2()));
    }
    showPermissionHint(denied, deniedReasons, unanswered);
}

// One line above the buttons, so a trainee on a viewer account sees at once why so much
// is grey, instead of hovering over each button.
void ActionsView::showPermissionHint(int denied, const QStringList &deniedReasons, const QStringList &unanswered)
{
    if (denied > 0) {
        const int total = static_cast<int>(m_entries.size());
        //: Above the action buttons; %1 is the API server's first reason
        const QString text = denied == total
                                 ? Tr::tr("Read-only: the cluster allows you none of these actions: %1")
                                       .arg(deniedReasons.value(0))
                                 //: %1 of %2 buttons are greyed out; %3 is the API server's first reason
                                 : Tr::tr("Partly read-only (%1 of %2 actions greyed out): %3")
                                       .arg(denied)
                                       .arg(total)
                                       .arg(deniedReasons.value(0));
        m_permissionHint->setText(text);
        m_permissionHint->setToolTip(deniedReasons.join(QLatin1Char('\n')));
        m_permissionHint->setStyleSheet(boldLabelStyle(theme::p2()));
        m_permissionHint->show();
    } else if (!unanswered.isEmpty()) {
        // Buttons stay enabled (the confirmation asks again); the user should still know.
        //: Above the action buttons; %1 is why asking failed
        m_permissionHint->setText(Tr::tr("Could not ask the API server what you may do: %1").arg(unanswered.value(0)));
        m_permissionHint->setToolTip(unanswered.join(QLatin1Char('\n')));
        m_permissionHint->setStyleSheet(QStringLiteral("QLabel { color: %1; }").arg(theme::muted().name()));
        m_permissionHint->show();
    } else {
        m_permissionHint->clear();
        m_permissionHint->setToolTip({});
        m_permissionHint->hide();
    }
}

} // namespace opsdeck::widgets
