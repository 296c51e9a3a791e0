#pragma once
// The console's main window: simulation banner, clock toolbar (pause / speed), the
// dashboards, instructor and action menus, status bar. Wiring only: state lives in the
// backend and the models; this class builds the UI and forwards intent.
#include "../backends/cluster_backend.h"

#include <QMainWindow>

#include <map>

class QAction;
class QActionGroup;
class QComboBox;
class QLabel;
class QMenu;
class QTabWidget;

namespace opsdeck::models {
class ClusterStatus;
class HealthHistoryModel;
}

namespace opsdeck::widgets {

class AlertQueueView;
class DashboardView;
class SimulationBanner;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(backends::ClusterBackend *backend, QWidget *parent = nullptr);
    ~MainWindow() override;

    // "dashboards", "alerts"; map / actions / incidents as they arrive.
    static QStringList knownViews();
    bool setView(const QString &name);
    QString currentView() const;

    backends::ClusterBackend *backend() const { return m_backend; }
    models::HealthHistoryModel *history() const { return m_history; }
    models::ClusterStatus *status() const { return m_status; }
    DashboardView *dashboards() const { return m_dashboards; }
    AlertQueueView *alerts() const { return m_alerts; }
    QTabWidget *tabs() const { return m_views; }
    // The status bar's firing counts, "P1 2 · P2 1" ("no alerts firing" when none).
    QString alertCountsText() const;
    SimulationBanner *banner() const { return m_banner; }
    QAction *pauseAction() const { return m_pauseAction; }
    QAction *speedAction(backends::SimSpeed speed) const;
    QMenu *faultMenu() const { return m_faultMenu; }
    QString connectionText() const;

private:
    void buildToolBar();
    void buildMenus();
    void buildStatusBar();
    void updateClock();
    void setChartWindow(int index);
    void runAction(const sim::ActionSpec &action);
    void askAndScale();
    void saveScreenshot();
    void showMessage(const QString &text, bool error = false);
    void fetchNewEvents(const backends::SnapshotPtr &snapshot);
    void updateAlertCounts();

    backends::ClusterBackend *m_backend;
    models::HealthHistoryModel *m_history = nullptr;
    models::ClusterStatus *m_status = nullptr;
    SimulationBanner *m_banner = nullptr;
    QTabWidget *m_views = nullptr;
    DashboardView *m_dashboards = nullptr;
    AlertQueueView *m_alerts = nullptr;
    QLabel *m_alertCountsLabel = nullptr;
    QAction *m_pauseAction = nullptr;
    QActionGroup *m_speedGroup = nullptr;
    std::map<backends::SimSpeed, QAction *> m_speedActions;
    QMenu *m_faultMenu = nullptr;
    QComboBox *m_windowCombo = nullptr;
    QLabel *m_clockLabel = nullptr;
    QLabel *m_elapsedLabel = nullptr;
    QLabel *m_connectionLabel = nullptr;
    QLabel *m_factsLabel = nullptr;
    QLabel *m_speedLabel = nullptr;
    std::size_t m_eventsRequested = 0; // events asked from the backend so far
};

} // namespace opsdeck::widgets
