#pragma once
// The selected incident: a header that reads from across the room (severity, title,
// state, commander, response countdown), the state buttons (investigating -> identified
// -> monitoring -> resolved, cancelled, reopen), roles and hand-over, then the response
// checklists beside the timeline, status page and postmortem tabs.
#include "backends/sim/simulation.h"
#include "models/incident_report.h"
#include "models/incident_session.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QComboBox;
class QPushButton;
class QTabWidget;
class QTextBrowser;

namespace opsdeck::widgets {

class ResponsePanel;
class StatusPagePanel;
class TimelinePanel;

class IncidentDetailPanel : public QWidget {
    Q_OBJECT
public:
    explicit IncidentDetailPanel(models::IncidentSession *session, QWidget *parent = nullptr);

    void setIncident(int64_t incidentId);
    int64_t incidentId() const { return m_incident; }
    void updateClock();

    ResponsePanel *response() const { return m_response; }
    TimelinePanel *timeline() const { return m_timeline; }
    StatusPagePanel *statusPage() const { return m_statusPage; }
    QTabWidget *tabs() const { return m_tabs; }
    QPushButton *stateButton(models::IncidentState state) const;

    // The postmortem as the export writes it, and the export itself (<base>.md / .html /
    // snapshot PNGs; .pdf too when `pdf`).
    models::IncidentReportInput reportInput() const;
    bool exportPostmortem(const QString &basePath, bool pdf, QString *error) const;

Q_SIGNALS:
    void actionRequested(const opsdeck::sim::ActionSpec &action);
    void showDashboardsAt(qint64 epochMs);

private:
    void reload();
    void reloadPostmortem();

    models::IncidentSession *m_session;
    int64_t m_incident = 0;
    QLabel *m_severity;
    QLabel *m_title;
    QLabel *m_state;
    QLabel *m_countdown;
    QLabel *m_people;
    std::vector<std::pair<models::IncidentState, QPushButton *>> m_stateButtons;
    QPushButton *m_reopen;
    QPushButton *m_handOver;
    QComboBox *m_role;
    QLineEdit *m_person;
    ResponsePanel *m_response;
    QTabWidget *m_tabs;
    TimelinePanel *m_timeline;
    StatusPagePanel *m_statusPage;
    QTextBrowser *m_postmortem;
    QLineEdit *m_followUp;
};

} // namespace opsdeck::widgets
