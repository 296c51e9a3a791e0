#pragma once
// The status-page composer, following the runbook's template: Issue, Status, Impact,
// Started, then the update text; each posted update is stamped and listed; the page
// exports as Markdown; a reminder says when the next update is due for the severity
// (red once overdue, on the backend's clock).
#include "models/incident_session.h"

#include <QWidget>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTextBrowser;

namespace opsdeck::widgets {

class StatusPagePanel : public QWidget {
    Q_OBJECT
public:
    explicit StatusPagePanel(models::IncidentSession *session, QWidget *parent = nullptr);

    void setIncident(int64_t incidentId);
    void reload();
    void updateReminder(); // cheap: call on every clock tick
    QString markdown() const;
    bool exportMarkdown(const QString &path, QString *error) const;

    // Fills the form's fields (tests and the postmortem's defaults use them too).
    void setFields(const QString &issue, const QString &status, const QString &impact,
                   const QString &text);
    void post();
    QLabel *reminder() const { return m_reminder; }

private:
    models::IncidentSession *m_session;
    int64_t m_incident = 0;
    QLineEdit *m_issue;
    QComboBox *m_status;
    QLineEdit *m_impact;
    QLabel *m_started;
    QPlainTextEdit *m_text;
    QPushButton *m_post;
    QPushButton *m_export;
    QLabel *m_reminder;
    QTextBrowser *m_preview;
};

} // namespace opsdeck::widgets
