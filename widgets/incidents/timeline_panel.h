#pragma once
// One incident's timeline, reading like the runbook's status-page example: time (UTC),
// an icon per kind, what happened, who. Filter by kind; type a note; select a pinned
// metric snapshot to see its chart, query and range; jump to the dashboards at the
// moment of any entry.
#include "models/incident_session.h"
#include "models/timeline_model.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QToolButton;

namespace opsdeck::widgets {

class TimelinePanel : public QWidget {
    Q_OBJECT
public:
    explicit TimelinePanel(models::IncidentSession *session, QWidget *parent = nullptr);

    void setIncident(int64_t incidentId);
    void reload();
    models::TimelineModel *model() const { return m_model; }
    models::TimelineKindFilterModel *filter() const { return m_filter; }
    QListView *view() const { return m_view; }
    QLineEdit *noteEdit() const { return m_note; }

Q_SIGNALS:
    void showDashboardsAt(qint64 epochMs);

private:
    void onSelectionChanged();
    void applyKindFilter();

    models::IncidentSession *m_session;
    int64_t m_incident = 0;
    models::TimelineModel *m_model;
    models::TimelineKindFilterModel *m_filter;
    QListView *m_view;
    std::vector<QToolButton *> m_kindButtons;
    QLineEdit *m_note;
    QPushButton *m_jump;
    QLabel *m_snapshotImage;
    QLabel *m_snapshotCaption;
};

} // namespace opsdeck::widgets
