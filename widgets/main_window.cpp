#include "main_window.h"

#include "../models/cluster_status.h"
#include "../models/health_history_model.h"
#include "../models/incident_session.h"
#include "actions_view.h"
#include "alert_queue_view.h"
#include "cluster_summary_panel.h"
#include "dashboard_view.h"
#include "incidents/incident_detail_panel.h"
#include "incidents/incidents_view.h"
#include "incidents/response_panel.h"
#include "instructor_panel.h"
#include "remediation_controller.h"
#include "remediation_controller_permissions.h"
#include "service_map_view.h"
#include "simulation_banner.h"
#include "theme.h"
#include "widgets_tr.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDockWidget>
#include <QMenuBar>
#include <QScrollArea>
#include <QSettings>
#include <QVBoxLayout>

namespace opsdeck::widgets {

namespace {
constexpr qint64 kMinuteMs = 60 * 1000;
const char *const kDashboardsView = "dashboards";
const char *const kAlertsView = "alerts";
const char *const kMapView = "map";
const char *const kActionsView = "actions";
const char *const kIncidentsView = "incidents";
const char *const kInstructorView = "instructor";

// Bumped whenever the set of docks changes, so a layout saved by an older OpsDeck (with
// other views) is ignored instead of restoring a half-empty window.
constexpr int kLayoutVersion = 3;
constexpr int kScrollAboveWidth = 560;
const char *const kGeometryKey = "mainWindow/geometry";
const char *const kStateKey = "mainWindow/state";
} // namespace

MainWindow::MainWindow(backends::ClusterBackend *backend, models::IncidentSession *incidents,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_backend(backend)
{
    setObjectName(QStringLiteral("opsdeckMainWindow"));
    //: Main window title; %1 is the cluster ("Simulation (seed 1, default)")
    setWindowTitle(Tr::tr("OpsDeck — %1").arg(backend->displayName()));
    setDockNestingEnabled(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks
                   | QMainWindow::AllowTabbedDocks | QMainWindow::GroupedDragging);
    setTabPosition(Qt::AllDockWidgetAreas, QTabWidget::North);

    m_history = new models::HealthHistoryModel(2880, this);
    m_status = new models::ClusterStatus(backend, this);
    connect(backend, &backends::ClusterBackend::snapshotPublished, m_history,
            &models::HealthHistoryModel::onSnapshot);

    // The menu bar and, in simulation, the magenta banner right under it: above every
    // dock, so no arrangement of the views can hide that this is not production.
    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->setSpacing(0);
    m_menuBar = new QMenuBar(top);
    topLayout->addWidget(m_menuBar);
    if (backend->connectionState() == backends::ConnectionState::Simulation) {
        m_banner = new SimulationBanner(top);
        topLayout->addWidget(m_banner);
    }
    setMenuWidget(top);

    m_dashboards = new DashboardView(backend, this);
    //: View (dock) title
    addView(QString::fromLatin1(kDashboardsView), Tr::tr("Dashboards"), m_dashboards);
    connect(m_dashboards, &DashboardView::problem, this,
            [this](const QString &message) { showMessage(message, true); });
    m_alerts = new AlertQueueView(backend, this);
    addView(QString::fromLatin1(kAlertsView), Tr::tr("Alerts"), m_alerts);
    connect(m_alerts, &AlertQueueView::firingCountsChanged, this, &MainWindow::updateAlertCounts);
    connect(m_alerts, &AlertQueueView::actionFinished, this,
            [this](const QString &message, bool ok) { showMessage(message, !ok); });
    m_map = new ServiceMapView(backend, this);
    //: View (dock) title: the live dependency graph
    addView(QString::fromLatin1(kMapView), Tr::tr("Service map"), m_map);
    // The map's selection narrows every other view to that component.
    connect(m_map, &ServiceMapView::componentSelected, this, &MainWindow::setComponentFilter);
    connect(m_map, &ServiceMapView::actionRequested, this, &MainWindow::requestAction);
    // One path for every action, whoever asks (map, actions view, incident checklists,
    // menus): confirmation with the kubectl equivalent, then the backend, then the record.
    m_remediation = new RemediationController(backend, this, this);
    m_alerts->setOperatorName(m_remediation->operatorName());
    // Actions the cluster refuses to this user are greyed out wherever they are offered.
    m_map->setActionPermissions(m_remediation->permissions());
    connect(m_remediation, &RemediationController::actionFinished, this,
            [this](const sim::ActionSpec &spec, const sim::ActionResult &result) {
                const QString name = QString::fromLatin1(sim::actionName(spec.kind));
                const QString message = QString::fromStdString(result.message);
                showMessage(result.ok ? Tr::tr("%1: %2").arg(name, message)
                                      : Tr::tr("%1 failed: %2").arg(name, message),
                            !result.ok);
            });
    m_actions = new ActionsView(backend, m_remediation, this);
    //: View (dock) title: one-click remediation
    addView(QString::fromLatin1(kActionsView), Tr::tr("Actions"), m_actions);
    if (incidents) {
        m_incidents = new IncidentsView(backend, incidents, this);
        //: View (dock) title
        addView(QString::fromLatin1(kIncidentsView), Tr::tr("Incidents"), m_incidents);
        m_incidents->detail()->response()->setActionPermissions(m_remediation->permissions());
        connect(m_incidents, &IncidentsView::actionRequested, this, &MainWindow::requestAction);
        connect(m_alerts, &AlertQueueView::declareIncidentRequested, this,
                [this](const telemetry::alerting::QueuedAlert &alert) {
                    setView(QString::fromLatin1(kIncidentsView));
                    m_incidents->declareFromAlert(alert);
                });
        connect(m_incidents, &IncidentsView::showDashboardsAt, this, [this](qint64 epochMs) {
            setView(QString::fromLatin1(kDashboardsView));
            m_dashboards->showMomentMs(epochMs);
        });
        connect(m_dashboards, &DashboardView::pinRequested, this,
                [this, incidents](const QImage &chart, const QString &title, const QString &query,
                                  qint64 fromMs, qint64 toMs) {
                    const int64_t id = pinTarget(incidents);
                    if (id <= 0) {
                        showMessage(Tr::tr("No open incident to pin \"%1\" to: declare one first")
                                        .arg(title), true);
                        return;
                    }
                    incidents->pinMetricSnapshot(id, chart, query, fromMs, toMs);
                    showMessage(Tr::tr("Pinned \"%1\" to incident #%2").arg(title).arg(id));
                });
        connect(incidents, &models::IncidentSession::errorOccurred, this,
                [this](const QString &message) { showMessage(message, true); });
    }
    if (backend->connectionState() == backends::ConnectionState::Simulation) {
        m_instructor = new InstructorPanel(backend, this);
        //: View (dock) title: fault injection for drills
        addView(QString::fromLatin1(kInstructorView), Tr::tr("Instructor"), m_instructor);
    }

    if (m_dashboards->summary())
        connect(backend, &backends::ClusterBackend::snapshotPublished, m_dashboards->summary(),
                &ClusterSummaryPanel::showSnapshot);
    connect(backend, &backends::ClusterBackend::snapshotPublished, this,
            &MainWindow::fetchNewEvents);
    connect(backend, &backends::ClusterBackend::errorOccurred, this,
            [this](const QString &message) { showMessage(message, true); });

    buildToolBar();
    buildMenus();
    buildStatusBar();
    connect(m_status, &models::ClusterStatus::changed, this, &MainWindow::updateClock);

    if (auto latest = backend->latestSnapshot()) {
        m_history->onSnapshot(latest);
        if (m_dashboards->summary())
            m_dashboards->summary()->showSnapshot(latest);
        fetchNewEvents(latest);
    }
    updateClock();
    updateAlertCounts();
    resize(1600, 1000);
    applyLayout(Layout::Wall);
    setView(QString::fromLatin1(kDashboardsView));
}

MainWindow::~MainWindow() = default;

QDockWidget *MainWindow::addView(const QString &name, const QString &title, QWidget *widget)
{
    auto *dock = new QDockWidget(title, this);
    // The object name is what saveState() keys the arrangement by: keep it stable.
    dock->setObjectName(name + QStringLiteral("Dock"));
    // A view wider than a wall column scrolls inside its dock instead of forcing the window
    // past the screen (the incident detail and the alert toolbar are wide).
    if (widget->minimumSizeHint().width() > kScrollAboveWidth) {
        auto *scroll = new QScrollArea(dock);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidgetResizable(true);
        scroll->setWidget(widget);
        dock->setWidget(scroll);
    } else {
        dock->setWidget(widget);
    }
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable
                      | QDockWidget::DockWidgetClosable);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    connect(dock, &QDockWidget::visibilityChanged, this, [this, name](bool visible) {
        if (visible)
            m_currentView = name;
    });
    m_viewList.push_back(View{name, dock, widget});
    return dock;
}

int64_t MainWindow::pinTarget(models::IncidentSession *incidents) const
{
    // The incident on screen in the Incidents view, else the newest open one.
    if (m_incidents && m_incidents->selectedIncident() > 0) {
        const auto selected = incidents->incident(m_incidents->selectedIncident());
        if (selected && selected->state != models::IncidentState::Resolved
            && selected->state != models::IncidentState::Cancelled)
            return selected->id;
    }
    int64_t newest = 0;
    for (const auto &incident : incidents->incidents())
        if (incident.state != models::IncidentState::Resolved
            && incident.state != models::IncidentState::Cancelled)
            newest = std::max<int64_t>(newest, incident.id);
    return newest;
}

QStringList MainWindow::knownViews()
{
    return {QString::fromLatin1(kDashboardsView), QString::fromLatin1(kAlertsView),
            QString::fromLatin1(kMapView),        QString::fromLatin1(kActionsView),
            QString::fromLatin1(kIncidentsView),  QString::fromLatin1(kInstructorView)};
}

void MainWindow::setComponentFilter(const QString &component)
{
    m_componentFilter = component;
    m_dashboards->setComponentFilter(component);
    m_alerts->setComponentFilter(component);
    m_actions->setComponentFilter(component);
    m_map->setSelectedComponent(component);
    if (!component.isEmpty())
        //: Status bar; %1 is a component such as model-server
        showMessage(Tr::tr("Showing %1 only; Esc on the map or the ✕ chip shows everything")
                        .arg(component));
}

QDockWidget *MainWindow::viewDock(const QString &name) const
{
    for (const View &view : m_viewList)
        if (view.name == name)
            return view.dock;
    return nullptr;
}

QString MainWindow::viewTitle(const QString &name) const
{
    QDockWidget *dock = viewDock(name);
    return dock ? dock->windowTitle() : QString();
}

bool MainWindow::setView(const QString &name)
{
    QDockWidget *dock = viewDock(name);
    if (!dock)
        return false;
    dock->show();
    dock->raise();
    m_currentView = name;
    return true;
}

QString MainWindow::currentView() const
{
    return m_currentView;
}

Result<MainWindow::Layout> MainWindow::layoutFromName(const QString &name)
{
    if (name == QLatin1String("wall"))
        return Layout::Wall;
    if (name == QLatin1String("tabs"))
        return Layout::Tabs;
    return Error{"unknown layout '" + name.toStdString() + "'; available: wall, tabs"};
}

void MainWindow::applyLayout(Layout layout)
{
    const QString raised = m_currentView;
    for (const View &view : m_viewList) {
        view.dock->setFloating(false);
        view.dock->show();
        removeDockWidget(view.dock);
    }
    // The first view (dashboards) anchors the layout. Wall: the service map and the alert
    // queue share a column beside it, map above queue, since those two are what a commander
    // must never lose sight of; every other view stacks as a tab on the dashboards. Tabs:
    // every view stacks on the anchor.
    QDockWidget *anchor = m_viewList.empty() ? nullptr : m_viewList.front().dock;
    QList<QDockWidget *> column;
    for (const View &view : m_viewList) {
        addDockWidget(Qt::LeftDockWidgetArea, view.dock);
        view.dock->show();
        if (view.dock == anchor)
            continue;
        const bool side = view.name == QLatin1String("map") || view.name == QLatin1String(kAlertsView);
        if (layout == Layout::Wall && side) {
            splitDockWidget(column.empty() ? anchor : column.back(), view.dock,
                            column.empty() ? Qt::Horizontal : Qt::Vertical);
            column.push_back(view.dock);
        } else {
            tabifyDockWidget(anchor, view.dock);
        }
    }
    if (anchor && !column.empty()) {
        resizeDocks({anchor, column.front()}, {width() * 11 / 20, width() * 9 / 20}, Qt::Horizontal);
        if (column.size() == 2)
            resizeDocks(column, {height() * 11 / 20, height() * 9 / 20}, Qt::Vertical);
    }
    if (anchor)
        anchor->raise();
    if (!raised.isEmpty())
        setView(raised);
}

bool MainWindow::restoreLayout()
{
    m_persistLayout = true;
    QSettings settings;
    const QByteArray geometry = settings.value(QLatin1String(kGeometryKey)).toByteArray();
    const QByteArray state = settings.value(QLatin1String(kStateKey)).toByteArray();
    if (!geometry.isEmpty())
        restoreGeometry(geometry);
    return !state.isEmpty() && restoreState(state, kLayoutVersion);
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(QLatin1String(kGeometryKey), saveGeometry());
    settings.setValue(QLatin1String(kStateKey), saveState(kLayoutVersion));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_persistLayout)
        saveLayout();
    QMainWindow::closeEvent(event);
}

bool MainWindow::event(QEvent *event)
{
    // The desktop switched between light and dark: follow it when the user chose "system".
    if (event->type() == QEvent::ThemeChange)
        theme::followSystemChange();
    return QMainWindow::event(event);
}

} // namespace opsdeck::widgets
