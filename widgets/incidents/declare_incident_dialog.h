#pragma once
// "Declare incident": title, severity (suggested from the alert and the runbook's
// classification table, editable), commander, services the incident is about.
#include "backends/telemetry/alerting/alert_queue.h"
#include "models/incident_records.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;

namespace opsdeck::widgets {

class DeclareIncidentDialog : public QDialog {
    Q_OBJECT
public:
    explicit DeclareIncidentDialog(const QString &commander, QWidget *parent = nullptr);

    // Fills the form from an alert: its summary as the title, its severity label as the
    // suggested class (unknown: P3), its service labels, and the alert as the source.
    void suggestFromAlert(const telemetry::alerting::QueuedAlert &alert);
    static int suggestedSeverity(const telemetry::alerting::QueuedAlert &alert);

    models::NewIncident incident() const;
    QStringList services() const;
    int severity() const;
    void setTitle(const QString &title);
    void setSeverity(int severity);

private:
    void updateHint();

    QLineEdit *m_title = nullptr;
    QComboBox *m_severity = nullptr;
    QLabel *m_hint = nullptr;
    QLineEdit *m_commander = nullptr;
    QLineEdit *m_services = nullptr;
    QLabel *m_source = nullptr;
    std::string m_fingerprint;
};

} // namespace opsdeck::widgets
