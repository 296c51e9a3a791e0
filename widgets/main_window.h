#pragma once
// The console's main window: simulation banner, clock toolbar (pause / speed), the views
// (dashboards, alert queue, ...) as dock widgets the user can rearrange, menus, shortcuts
// and the status bar. Wiring only: state lives in the backend and the models; this class
// builds the UI and forwards intent.
//
// Every view is a QDockWidget so a commander can put the map, the dashboards and the alert
// queue side by side on a wall screen, or stack them as tabs on a laptop; the arrangement is
// saved in QSettings and restored on the next start (restoreLayout / saveLayout).
#include "../backends/cluster_backend.h"

#include <QMainWindow>

#include <map>
#include <vector>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;
class QMenuBar;

namespace opsdeck::models {
class ClusterStatus;
class HealthHistoryModel;
class IncidentSession;
}

namespace opsdeck::widgets {

class ActionsView;
class AlertQueueView;
class DashboardView;
class IncidentsView;
class RemediationController;
class InstructorPanel;
class ServiceMapView;
class SimulationBanner;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // Wall: map, dashboards and alert queue visible at once (the commander's layout).
    // Tabs: one view at a time, filling the window (laptops, screenshots of one view).
    enum class Layout { Wall, Tabs };

    // `incidents`: the incident store the Incidents view works on; null leaves that view
    // out (tests of other views).
    explicit MainWindow(backends::ClusterBackend *backend,
                        models::IncidentSession *incidents = nullptr, QWidget *parent = nullptr);
    ~MainWindow() override;

    // "dashboards", "alerts", ... in the order of the View menu (Ctrl+1, Ctrl+2, ...).
    static QStringList knownViews();
    // Shows and raises the named view; false for an unknown name.
    bool setView(const QString &name);
    // The view most recently raised or focused.
    QString currentView() const;
    QDockWidget *viewDock(const QString &name) const;
    // The dock's title as the user sees it ("Alerts (3)").
    QString viewTitle(const QString &name) const;

    void applyLayout(Layout layout);
    static Result<Layout> layoutFromName(const QString &name); // "wall", "tabs"
    // Restores the geometry and dock arrangement saved by the last session and from then
    // on saves it when the window closes. False (and the current layout kept) when nothing
    // was saved or the saved state belongs to another set of views.
    bool restoreLayout();
    void saveLayout() const;

    backends::ClusterBackend *backend() const { return m_backend; }
    models::HealthHistoryModel *history() const { return m_history; }
    models::ClusterStatus *status() const { return m_status; }
    DashboardView *dashboards() const { return m_dashboards; }
    AlertQueueView *alerts() const { return m_alerts; }
    ServiceMapView *serviceMap() const { return m_map; }
    ActionsView *actions() const { return m_actions; }
    RemediationController *remediation() const { return m_remediation; }
    IncidentsView *incidents() const { return m_incidents; } // null without a session
    InstructorPanel *instructor() const { return m_instructor; } // null unless simulating
    QString componentFilter() const { return m_componentFilter; }
    // The status bar's firing counts, "P1 2 · P2 1" ("no alerts firing" when none).
    QString alertCountsText() const;
    SimulationBanner *banner() const { return m_banner; }
    QAction *pauseAction() const { return m_pauseAction; }
    QAction *speedAction(backends::SimSpeed speed) const;
    QMenu *faultMenu() const { return m_faultMenu; }
    // View > Sound on new P1 alerts (off by default, remembered in QSettings).
    QAction *soundAction() const { return m_soundAction; }
    int attentionSoundsPlayed() const { return m_soundsPlayed; }
    QMenu *fileMenu() const { return m_fileMenu; }
    QString connectionText() const;

public Q_SLOTS:
    // Narrows dashboards, alerts and actions to one component (the map's selection);
    // empty shows everything again.
    void setComponentFilter(const QString &component);
    // Every action the UI asks for goes through here: confirmation, then the backend.
    void requestAction(const opsdeck::sim::ActionSpec &action);
    // From the selected alert when one is selected in the queue, else by hand.
    void declareIncident();

protected:
    void closeEvent(QCloseEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct View {
        QString name;
        QDockWidget *dock = nullptr;
        QWidget *widget = nullptr;
    };
    QDockWidget *addView(const QString &name, const QString &title, QWidget *widget);
    int64_t pinTarget(models::IncidentSession *incidents) const; // 0: none open
    void buildToolBar();
    void buildMenus();
    void buildViewMenu(QMenu *menu);
    void buildStatusBar();
    void updateClock();
    void askAndScale();
    void saveScreenshot();
    void showShortcuts();
    void showMessage(const QString &text, bool error = false);
    void fetchNewEvents(const backends::SnapshotPtr &snapshot);
    void updateAlertCounts();

    backends::ClusterBackend *m_backend;
    models::HealthHistoryModel *m_history = nullptr;
    models::ClusterStatus *m_status = nullptr;
    QMenuBar *m_menuBar = nullptr;
    SimulationBanner *m_banner = nullptr;
    std::vector<View> m_viewList;
    QString m_currentView;
    bool m_persistLayout = false;
    DashboardView *m_dashboards = nullptr;
    AlertQueueView *m_alerts = nullptr;
    ServiceMapView *m_map = nullptr;
    ActionsView *m_actions = nullptr;
    RemediationController *m_remediation = nullptr;
    IncidentsView *m_incidents = nullptr;
    InstructorPanel *m_instructor = nullptr;
    QString m_componentFilter;
    QLabel *m_alertCountsLabel = nullptr;
    QAction *m_pauseAction = nullptr;
    QActionGroup *m_speedGroup = nullptr;
    std::map<backends::SimSpeed, QAction *> m_speedActions;
    QMenu *m_faultMenu = nullptr;
    QMenu *m_fileMenu = nullptr;
    QAction *m_soundAction = nullptr;
    int m_soundsPlayed = 0;
    qint64 m_lastSoundMs = 0;
    QLabel *m_clockLabel = nullptr;
    QLabel *m_elapsedLabel = nullptr;
    QLabel *m_connectionLabel = nullptr;
    QLabel *m_factsLabel = nullptr;
    QLabel *m_speedLabel = nullptr;
    std::size_t m_eventsRequested = 0; // events asked from the backend so far
};

} // namespace opsdeck::widgets
