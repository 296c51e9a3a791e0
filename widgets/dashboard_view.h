#pragma once
// The dashboards: named lists of PromQL panels ("System health", "Business", "GPU
// inference", plus any loaded from a file), one page each, with a picker, time range
// buttons (15 m / 1 h / 6 h / 24 h), "Add panel…" (user panels persist in QSettings),
// alert and action markers on every chart's time axis, and a component filter the
// service map drives. Only the page on screen queries; the others wait.
//
// The legacy constructor (a HealthHistoryModel) still builds the five snapshot tiles, for
// callers not yet moved to the backend one.
#include "../backends/cluster_backend.h"
#include "../models/health_metric.h"
#include "../models/panel_definition.h"
#include "metric_chart.h"

#include <QImage>
#include <QWidget>

#include <array>

class QButtonGroup;
class QLabel;
class QStackedWidget;
class QTabBar;
class QToolButton;

namespace opsdeck::models {
class HealthHistoryModel;
class PanelDataModel;
}

namespace opsdeck::widgets {

class AddPanelDialog;
class ClusterSummaryPanel;
class MetricTile;
class PanelView;

class DashboardView : public QWidget {
    Q_OBJECT
public:
    DashboardView(backends::ClusterBackend *backend, QWidget *parent = nullptr);
    // Legacy: the five runbook tiles over snapshot history (no PromQL, no pickers).
    DashboardView(models::HealthHistoryModel *history, QWidget *parent = nullptr);
    ~DashboardView() override;

    ClusterSummaryPanel *summary() const { return m_summary; }

    // --- Dashboards ------------------------------------------------------------------
    QStringList dashboardNames() const;
    int currentDashboard() const;
    void setCurrentDashboard(int index);
    bool setCurrentDashboard(const QString &name);
    QList<PanelView *> panels(int dashboard) const;
    PanelView *panel(int dashboard, const QString &title) const;
    // Adds dashboards from a YAML/JSON file (see models::parseDashboards); the error
    // says file:line:col and why.
    Result<bool> loadDashboardFile(const QString &path);

    // --- User panels -------------------------------------------------------------------
    // Adds to the current dashboard and remembers it (QSettings) for the next start.
    PanelView *addPanel(const models::PanelDefinition &definition);
    void removePanel(PanelView *panel);
    // Opens the "Add panel" dialog (window-modal, not blocking); accepting adds the panel.
    AddPanelDialog *openAddPanelDialog();

    // --- Time range --------------------------------------------------------------------
    void setRangeMs(qint64 rangeMs);
    qint64 rangeMs() const { return m_rangeMs; }
    void setWindowMs(qint64 windowMs) { setRangeMs(windowMs); } // older name
    static QList<qint64> rangeChoicesMs(); // 15 m, 1 h, 6 h, 24 h
    QToolButton *rangeButton(qint64 rangeMs) const;
    QToolButton *addPanelButton() const { return m_addButton; }

    QString componentFilter() const { return m_component; }
    qint64 momentMs() const { return m_momentMs; } // 0: live
    QToolButton *liveButton() const { return m_liveButton; }
    // For the UI benchmark: every panel queries whether on screen or not, at this step.
    void setAllPagesActive(bool active);
    void setStepOverrideMs(qint64 stepMs);
    const QList<ChartMarker> &markers() const { return m_markers; }

    // Legacy mode only (null otherwise).
    MetricTile *tile(models::HealthMetric metric) const;

public Q_SLOTS:
    // Narrows panels whose query has $component to that component ("" = all).
    void setComponentFilter(const QString &component);
    // Shows every panel around a past moment (a timeline entry), with a "Back to live"
    // button; 0 goes back to following now.
    void showMomentMs(qint64 epochMs);

Q_SIGNALS:
    void currentDashboardChanged(int index);
    // A stored user panel or a dashboard file could not be read: said, not dropped.
    void problem(const QString &message);
    // A panel asked to be pinned: its chart as drawn, the query it ran and the time range.
    void pinRequested(const QImage &chart, const QString &title, const QString &query,
                      qint64 fromMs, qint64 toMs);

private:
    struct Page;
    void buildTopBar();
    int addDashboard(const models::DashboardDefinition &dashboard);
    PanelView *addPanelTo(Page &page, const models::PanelDefinition &definition, bool user);
    void layoutPage(Page &page);
    void loadUserPanels();
    void saveUserPanels(const Page &page);
    void onSnapshot(const backends::SnapshotPtr &snapshot);
    void fetchEvents(std::size_t eventCount);
    void updateMarkers(const backends::SnapshotPtr &snapshot);
    void applyActivity();
    void showProblem(const QString &message);

    backends::ClusterBackend *m_backend = nullptr;
    std::vector<std::unique_ptr<Page>> m_pages;
    QTabBar *m_tabs = nullptr;
    QStackedWidget *m_stack = nullptr;
    QButtonGroup *m_rangeGroup = nullptr;
    QToolButton *m_addButton = nullptr;
    QToolButton *m_liveButton = nullptr;
    qint64 m_momentMs = 0;
    QLabel *m_filterChip = nullptr;
    QToolButton *m_clearFilter = nullptr;
    QLabel *m_problem = nullptr;
    ClusterSummaryPanel *m_summary = nullptr;
    qint64 m_rangeMs = 15 * 60 * 1000;
    QString m_component;
    bool m_allActive = false;
    qint64 m_stepOverrideMs = 0;

    // Markers: events fetched incrementally (one request in flight), alerts from snapshots.
    QList<ChartMarker> m_eventMarkers;
    QList<ChartMarker> m_markers;
    std::size_t m_eventsFetched = 0;
    bool m_eventsInFlight = false;
    qint64 m_epochOffsetMs = 0; // epoch ms - simulated ms
    std::size_t m_markerKey = 0;

    std::array<MetricTile *, models::kHealthMetricCount> m_tiles{};
};

} // namespace opsdeck::widgets
