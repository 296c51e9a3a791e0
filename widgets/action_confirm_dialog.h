#pragma once
// The one confirmation every remediation passes: it says exactly what will change (old →
// new, from the current inventory), shows the equivalent kubectl command (selectable, with
// a Copy button), and for destructive actions (failover, restore, scale to 0, isolate)
// keeps OK disabled until the operator has typed the target's name. Escape cancels.
// Several actions (a scaling preset) are confirmed together, each listed.
#include "action_confirm_dialog_preview.h"

#include <QDialog>

#include <vector>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace opsdeck::widgets {

class ActionConfirmDialog : public QDialog {
    Q_OBJECT
public:
    ActionConfirmDialog(const QString &title, std::vector<ActionPreview> previews, QWidget *parent = nullptr);

    const std::vector<ActionPreview> &previews() const { return m_previews; }
    // Empty when nothing needs typing; else the exact text that enables OK.
    QString requiredConfirmation() const { return m_required; }
    QLineEdit *confirmField() const { return m_confirm; } // null when not destructive
    QPushButton *okButton() const { return m_ok; }
    QPushButton *copyButton() const { return m_copy; }
    QString kubectlText() const;
    QStringList changeLines() const;
    // The cluster said no (RBAC): Apply stays disabled and the reason is shown.
    void setNotAllowed(const QString &reason);
    QString notAllowedReason() const { return m_notAllowed; }

private:
    void updateOk();

    std::vector<ActionPreview> m_previews;
    QString m_required;
    QLineEdit *m_confirm = nullptr;
    QPlainTextEdit *m_kubectl = nullptr;
    QPushButton *m_ok = nullptr;
    QPushButton *m_copy = nullptr;
    QString m_notAllowed;
    QLabel *m_notAllowedLabel = nullptr;
};

} // namespace opsdeck::widgets
