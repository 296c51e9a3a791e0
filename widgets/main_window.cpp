#include "main_window.h"

#include "../models/cluster_status.h"
#include "../models/health_history_model.h"
#include "../models/alert_queue_model.h"
#include "alert_queue_view.h"
#include "cluster_summary_panel.h"
#include "dashboard_view.h"
#include "sim_labels.h"
#include "simulation_banner.h"
#include "theme.h"
#include "widgets_tr.h"

#include <QActionGroup>
#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QTabWidget>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QVBoxLayout>

#include <QCoro/QCoroTask>

namespace opsdeck::widgets {

namespace {
constexpr qint64 kMinuteMs = 60 * 1000;
const char *const kDashboardsView = "dashboards";
const char *const kAlertsView = "alerts";

QLabel *chip(const QString &text, const QColor &background, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; font-weight: bold;"
                                        " padding: 1px 10px; border-radius: 3px; }")
                             .arg(background.name()));
    return label;
}
} // namespace

MainWindow::MainWindow(backends::ClusterBackend *backend, QWidget *parent)
    : QMainWindow(parent)
    , m_backend(backend)
{
    setObjectName(QStringLiteral("opsdeckMainWindow"));
    //: Main window title; %1 is the cluster ("Simulation (seed 1, default)")
    setWindowTitle(Tr::tr("OpsDeck — %1").arg(backend->displayName()));

    m_history = new models::HealthHistoryModel(2880, this);
    m_status = new models::ClusterStatus(backend, this);
    connect(backend, &backends::ClusterBackend::snapshotPublished, m_history,
            &models::HealthHistoryModel::onSnapshot);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    if (backend->connectionState() == backends::ConnectionState::Simulation) {
        m_banner = new SimulationBanner(central);
        layout->addWidget(m_banner);
    }
    m_views = new QTabWidget(central);
    m_views->setObjectName(QStringLiteral("mainTabs"));
    m_views->setDocumentMode(true);
    m_dashboards = new DashboardView(m_history, m_views);
    //: Main window tab
    m_views->addTab(m_dashboards, Tr::tr("Dashboards"));
    m_alerts = new AlertQueueView(backend, m_views);
    m_views->addTab(m_alerts, QString());
    connect(m_alerts, &AlertQueueView::firingCountsChanged, this, &MainWindow::updateAlertCounts);
    connect(m_alerts, &AlertQueueView::actionFinished, this,
            [this](const QString &message, bool ok) { showMessage(message, !ok); });
    layout->addWidget(m_views, 1);
    setCentralWidget(central);

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
        m_dashboards->summary()->showSnapshot(latest);
        fetchNewEvents(latest);
    }
    updateClock();
    updateAlertCounts();
    resize(1600, 1000);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildToolBar()
{
    auto *bar = addToolBar(Tr::tr("Simulation clock"));
    bar->setObjectName(QStringLiteral("clockToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    m_pauseAction = new QAction(this);
    m_pauseAction->setCheckable(true);
    m_pauseAction->setShortcut(QKeySequence(Qt::Key_Space));
    m_pauseAction->setShortcutContext(Qt::WindowShortcut);
    connect(m_pauseAction, &QAction::triggered, this, [this](bool paused) {
        const auto status = m_backend->setPaused(paused);
        if (!status)
            showMessage(QString::fromStdString(status.error()), true);
    });
    bar->addAction(m_pauseAction);

    m_speedGroup = new QActionGroup(this);
    m_speedGroup->setExclusive(true);
    for (backends::SimSpeed speed : backends::allSpeeds()) {
        auto *action = new QAction(models::ClusterStatus::speedLabel(speed), m_speedGroup);
        action->setCheckable(true);
        //: Tooltip of a simulation speed button
        action->setToolTip(speed == backends::SimSpeed::Max
                               ? Tr::tr("Run the simulation as fast as possible")
                               : Tr::tr("Simulated time runs %1 times faster than real time")
                                     .arg(QString::fromLatin1(backends::speedName(speed))));
        connect(action, &QAction::triggered, this, [this, speed]() {
            const auto status = m_backend->setSpeed(speed);
            if (!status)
                showMessage(QString::fromStdString(status.error()), true);
        });
        m_speedActions[speed] = action;
        bar->addAction(action);
    }

    bar->addSeparator();
    m_clockLabel = new QLabel(this);
    QFont clockFont = font();
    clockFont.setPointSizeF(clockFont.pointSizeF() * 1.5);
    clockFont.setWeight(QFont::Bold);
    clockFont.setStyleHint(QFont::Monospace);
    clockFont.setFamily(QStringLiteral("monospace"));
    m_clockLabel->setFont(clockFont);
    m_clockLabel->setContentsMargins(12, 0, 8, 0);
    m_clockLabel->setToolTip(Tr::tr("Simulated wall-clock time (UTC)"));
    bar->addWidget(m_clockLabel);
    m_elapsedLabel = new QLabel(this);
    QFont elapsedFont = clockFont;
    elapsedFont.setPointSizeF(clockFont.pointSizeF() * 0.8);
    elapsedFont.setWeight(QFont::Normal);
    m_elapsedLabel->setFont(elapsedFont);
    m_elapsedLabel->setToolTip(Tr::tr("Simulated time since the scenario started"));
    bar->addWidget(m_elapsedLabel);

    auto *spacer = new QWidget(this);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    bar->addWidget(new QLabel(Tr::tr("Window "), this));
    m_windowCombo = new QComboBox(this);
    //: Chart time window choices
    m_windowCombo->addItem(Tr::tr("Last 15 min"), QVariant::fromValue<qint64>(15 * kMinuteMs));
    m_windowCombo->addItem(Tr::tr("Last 1 h"), QVariant::fromValue<qint64>(60 * kMinuteMs));
    connect(m_windowCombo, &QComboBox::currentIndexChanged, this, &MainWindow::setChartWindow);
    bar->addWidget(m_windowCombo);
    m_dashboards->setWindowMs(15 * kMinuteMs);

    const bool controllable = m_backend->supportsClockControl();
    m_pauseAction->setEnabled(controllable);
    for (auto &[speed, action] : m_speedActions)
        action->setEnabled(controllable);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(Tr::tr("&File"));
    file->addAction(Tr::tr("Save &screenshot…"), this, &MainWindow::saveScreenshot);
    file->addSeparator();
    QAction *quit = file->addAction(Tr::tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(Tr::tr("&View"));
    QAction *dashboards = view->addAction(Tr::tr("&Dashboards"), this,
                                          [this]() { setView(QString::fromLatin1(kDashboardsView)); });
    dashboards->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    QAction *alerts = view->addAction(Tr::tr("&Alerts"), this,
                                      [this]() { setView(QString::fromLatin1(kAlertsView)); });
    alerts->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));

    QMenu *alertMenu = menuBar()->addMenu(Tr::tr("A&lerts"));
    QAction *search = alertMenu->addAction(Tr::tr("&Search alerts"), this, [this]() {
        setView(QString::fromLatin1(kAlertsView));
        m_alerts->focusSearch();
    });
    search->setShortcut(QKeySequence::Find);
    QAction *ack = alertMenu->addAction(Tr::tr("&Acknowledge selected…"), this, [this]() {
        setView(QString::fromLatin1(kAlertsView));
        m_alerts->askAndAcknowledge();
    });
    ack->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));

    QMenu *simulation = menuBar()->addMenu(Tr::tr("&Simulation"));
    simulation->addAction(m_pauseAction);
    QMenu *speedMenu = simulation->addMenu(Tr::tr("Speed"));
    for (auto speed : backends::allSpeeds())
        speedMenu->addAction(m_speedActions.at(speed));
    simulation->setEnabled(m_backend->supportsClockControl());

    QMenu *instructor = menuBar()->addMenu(Tr::tr("&Instructor"));
    m_faultMenu = instructor->addMenu(Tr::tr("Inject &fault"));
    m_faultMenu->setObjectName(QStringLiteral("injectFaultMenu"));
    QMenu *clearMenu = instructor->addMenu(Tr::tr("&Clear fault"));
    for (sim::FaultKind kind : sim::allFaults()) {
        QAction *inject = m_faultMenu->addAction(faultTitle(kind), this, [this, kind]() {
            const auto status = m_backend->injectFault(sim::FaultSpec{kind, {}, {}});
            if (status)
                showMessage(Tr::tr("Injected fault: %1").arg(faultTitle(kind)));
            else
                showMessage(QString::fromStdString(status.error()), true);
        });
        inject->setData(QString::fromLatin1(sim::faultName(kind)));
        clearMenu->addAction(faultTitle(kind), this, [this, kind]() {
            const auto status = m_backend->clearFault(kind);
            if (status)
                showMessage(Tr::tr("Cleared fault: %1").arg(faultTitle(kind)));
            else
                showMessage(QString::fromStdString(status.error()), true);
        });
    }
    instructor->setEnabled(m_backend->connectionState() == backends::ConnectionState::Simulation);

    // A basic set; the full remediation UI (confirmation with the kubectl equivalent,
    // audit log) comes with the actions view.
    QMenu *actions = menuBar()->addMenu(Tr::tr("&Actions"));
    const auto simple = [this, actions](const QString &title, sim::ActionKind kind,
                                        const std::string &target) {
        actions->addAction(title, this, [this, kind, target]() {
            sim::ActionSpec spec;
            spec.kind = kind;
            spec.target = target;
            runAction(spec);
        });
    };
    //: Actions menu entries; they act on the cluster immediately
    simple(Tr::tr("Roll back agent-orchestrator"), sim::ActionKind::Rollback, "agent-orchestrator");
    actions->addAction(Tr::tr("Scale deployment…"), this, &MainWindow::askAndScale);
    simple(Tr::tr("Delete failed pods"), sim::ActionKind::DeleteFailedPods, {});
    simple(Tr::tr("Restart model-server"), sim::ActionKind::Restart, "model-server");
    actions->addSeparator();
    simple(Tr::tr("Fail over to the secondary region"), sim::ActionKind::Failover, {});
    simple(Tr::tr("Enable safety mode"), sim::ActionKind::SafetyMode, {});
    simple(Tr::tr("Increase DB connection pool"), sim::ActionKind::IncreaseDbPool, {});
    actions->addSeparator();
    simple(Tr::tr("Back up state database"), sim::ActionKind::Backup, {});
    simple(Tr::tr("Restore state database"), sim::ActionKind::Restore, {});
    simple(Tr::tr("Rotate credentials"), sim::ActionKind::RotateCredentials, {});
}

void MainWindow::buildStatusBar()
{
    m_connectionLabel = chip(QString(), theme::simulation(), this);
    if (m_backend->connectionState() != backends::ConnectionState::Simulation)
        m_connectionLabel->setStyleSheet(QString());
    m_factsLabel = new QLabel(this);
    m_speedLabel = new QLabel(this);
    m_alertCountsLabel = new QLabel(this);
    m_alertCountsLabel->setObjectName(QStringLiteral("alertCounts"));
    m_alertCountsLabel->setTextFormat(Qt::RichText);
    statusBar()->addPermanentWidget(m_alertCountsLabel);
    statusBar()->addPermanentWidget(m_factsLabel);
    statusBar()->addPermanentWidget(m_speedLabel);
    statusBar()->insertWidget(0, m_connectionLabel);
}

QAction *MainWindow::speedAction(backends::SimSpeed speed) const
{
    auto it = m_speedActions.find(speed);
    return it == m_speedActions.end() ? nullptr : it->second;
}

QString MainWindow::connectionText() const
{
    return m_connectionLabel->text();
}

QStringList MainWindow::knownViews()
{
    return {QString::fromLatin1(kDashboardsView), QString::fromLatin1(kAlertsView)};
}

bool MainWindow::setView(const QString &name)
{
    if (name == QLatin1String(kDashboardsView)) {
        m_views->setCurrentWidget(m_dashboards);
        return true;
    }
    if (name == QLatin1String(kAlertsView)) {
        m_views->setCurrentWidget(m_alerts);
        return true;
    }
    return false;
}

QString MainWindow::currentView() const
{
    if (m_views->currentWidget() == m_dashboards)
        return QString::fromLatin1(kDashboardsView);
    if (m_views->currentWidget() == m_alerts)
        return QString::fromLatin1(kAlertsView);
    return {};
}

QString MainWindow::alertCountsText() const
{
    QStringList parts;
    const auto counts = m_alerts->firingCounts();
    for (int severity = 1; severity <= 4; ++severity)
        if (counts[size_t(severity)] > 0)
            parts << QStringLiteral("P%1 %2").arg(severity).arg(counts[size_t(severity)]);
    //: Status bar when no alert is firing
    return parts.isEmpty() ? Tr::tr("no alerts firing") : parts.join(QStringLiteral(" · "));
}

void MainWindow::updateAlertCounts()
{
    const auto counts = m_alerts->firingCounts();
    int total = 0;
    QStringList parts;
    for (int severity = 1; severity <= 4; ++severity) {
        const int n = counts[size_t(severity)];
        total += n;
        if (n == 0)
            continue;
        const QColor colour =
            models::AlertQueueModel::severityColor(telemetry::alerting::Severity(severity));
        parts << QStringLiteral("<span style=\"color:%1; font-weight:bold\">P%2 %3</span>")
                     .arg(colour.name())
                     .arg(severity)
                     .arg(n);
    }
    m_alertCountsLabel->setText(parts.isEmpty() ? alertCountsText().toHtmlEscaped()
                                                : parts.join(QStringLiteral(" · ")));
    m_alertCountsLabel->setToolTip(Tr::tr("Firing, unsilenced alerts by severity"));
    //: Main window tab; %1 is the number of firing alerts
    m_views->setTabText(m_views->indexOf(m_alerts), Tr::tr("Alerts (%1)").arg(total));
}

void MainWindow::updateClock()
{
    m_clockLabel->setText(m_status->clockText());
    m_elapsedLabel->setText(m_status->elapsedText());
    const bool paused = m_status->isPaused();
    m_pauseAction->setChecked(paused);
    //: Toolbar button: shows what pressing it does
    m_pauseAction->setText(paused ? Tr::tr("Play") : Tr::tr("Pause"));
    m_pauseAction->setIcon(style()->standardIcon(paused ? QStyle::SP_MediaPlay
                                                        : QStyle::SP_MediaPause));
    m_pauseAction->setToolTip(paused ? Tr::tr("Resume simulated time (Space)")
                                     : Tr::tr("Pause simulated time (Space)"));
    if (QAction *action = speedAction(m_status->speed()))
        action->setChecked(true);
    m_connectionLabel->setText(m_status->connectionText());
    m_factsLabel->setText(m_status->statusFactsText());
    //: Status bar: simulation speed, "speed 60×" or "speed 60× (paused)"
    m_speedLabel->setText(paused ? Tr::tr("speed %1 (paused)").arg(m_status->speedText())
                                 : Tr::tr("speed %1").arg(m_status->speedText()));
}

void MainWindow::setChartWindow(int index)
{
    const qint64 windowMs = m_windowCombo->itemData(index).value<qint64>();
    m_dashboards->setWindowMs(windowMs > 0 ? windowMs : 15 * kMinuteMs);
}

void MainWindow::runAction(const sim::ActionSpec &action)
{
    const QString name = QString::fromLatin1(sim::actionName(action.kind));
    QCoro::connect(m_backend->apply(action), this, [this, name](const Result<sim::ActionResult> &r) {
        if (!r) {
            showMessage(Tr::tr("%1 failed: %2").arg(name, QString::fromStdString(r.error())), true);
            return;
        }
        const QString message = QString::fromStdString(r->message);
        showMessage(r->ok ? Tr::tr("%1: %2").arg(name, message)
                          : Tr::tr("%1 refused: %2").arg(name, message),
                    !r->ok);
    });
}

void MainWindow::askAndScale()
{
    QStringList deployments;
    if (auto latest = m_backend->latestSnapshot(); latest && latest->inventory) {
        for (const auto &dep : latest->inventory->deployments)
            if (!deployments.contains(QString::fromStdString(dep.name)))
                deployments.append(QString::fromStdString(dep.name));
    }
    if (deployments.isEmpty()) {
        showMessage(Tr::tr("No deployments to scale"), true);
        return;
    }
    bool ok = false;
    const QString target = QInputDialog::getItem(this, Tr::tr("Scale deployment"),
                                                 Tr::tr("Deployment:"), deployments, 0, false, &ok);
    if (!ok)
        return;
    const int replicas = QInputDialog::getInt(this, Tr::tr("Scale deployment"),
                                              Tr::tr("Replicas for %1:").arg(target), 10, 0,
                                              10000, 1, &ok);
    if (!ok)
        return;
    sim::ActionSpec spec;
    spec.kind = sim::ActionKind::Scale;
    spec.target = target.toStdString();
    spec.params["replicas"] = std::to_string(replicas);
    runAction(spec);
}

void MainWindow::saveScreenshot()
{
    const QString path = QFileDialog::getSaveFileName(this, Tr::tr("Save screenshot"),
                                                      QStringLiteral("opsdeck.png"),
                                                      Tr::tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    if (!grab().save(path, "PNG"))
        showMessage(Tr::tr("Could not write %1").arg(path), true);
}

void MainWindow::fetchNewEvents(const backends::SnapshotPtr &snapshot)
{
    if (!snapshot || snapshot->eventCount <= m_eventsRequested)
        return;
    const std::size_t from = m_eventsRequested;
    m_eventsRequested = snapshot->eventCount;
    const std::size_t count = snapshot->eventCount - from;
    QCoro::connect(m_backend->events(from), this,
                   [this, count](const Result<std::vector<sim::SimEvent>> &events) {
                       // The worker may have moved on: take only what this snapshot counted,
                       // the next snapshot asks for the rest.
                       if (events)
                           m_dashboards->summary()->appendEvents(std::vector<sim::SimEvent>(
                               events->begin(),
                               events->begin() + std::ptrdiff_t(std::min(count, events->size()))));
                       else
                           showMessage(QString::fromStdString(events.error()), true);
                   });
}

void MainWindow::showMessage(const QString &text, bool error)
{
    statusBar()->showMessage(error ? Tr::tr("Error: %1").arg(text) : text, 15000);
}

} // namespace opsdeck::widgets
