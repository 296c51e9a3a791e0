// The main window's menus, toolbar and status bar: the verbs and the at-a-glance facts.
// Kept apart from main_window.cpp (views and layout) so each reads in one sitting.
#include "main_window.h"

#include "../models/alert_queue_model.h"
#include "../models/cluster_status.h"
#include "alert_queue_view.h"
#include "incidents/incidents_view.h"
#include "remediation_controller.h"
#include "cluster_summary_panel.h"
#include "dashboard_view.h"
#include "sim_labels.h"
#include "theme.h"
#include "widgets_tr.h"

#include <QActionGroup>
#include <QDateTime>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QToolBar>

#include <QCoro/QCoroTask>

namespace opsdeck::widgets {

namespace {
QLabel *chip(const QString &text, const QColor &background, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; font-weight: bold;"
                                        " padding: 1px 10px; border-radius: 3px; }")
                             .arg(background.name()));
    return label;
}
} // namespace

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

    const bool controllable = m_backend->supportsClockControl();
    m_pauseAction->setEnabled(controllable);
    for (auto &[speed, action] : m_speedActions)
        action->setEnabled(controllable);
}

void MainWindow::buildMenus()
{
    QMenu *file = m_fileMenu = m_menuBar->addMenu(Tr::tr("&File"));
    QAction *shot = file->addAction(Tr::tr("Save &screenshot…"), this, &MainWindow::saveScreenshot);
    shot->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    file->addSeparator();
    QAction *quit = file->addAction(Tr::tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    buildViewMenu(m_menuBar->addMenu(Tr::tr("&View")));

    QMenu *alertMenu = m_menuBar->addMenu(Tr::tr("A&lerts"));
    QAction *search = alertMenu->addAction(Tr::tr("&Search alerts"), this, [this]() {
        setView(QStringLiteral("alerts"));
        m_alerts->focusSearch();
    });
    search->setShortcut(QKeySequence::Find);
    QAction *ack = alertMenu->addAction(Tr::tr("&Acknowledge selected…"), this, [this]() {
        setView(QStringLiteral("alerts"));
        m_alerts->askAndAcknowledge();
    });
    ack->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));

    QMenu *simulation = m_menuBar->addMenu(Tr::tr("&Simulation"));
    simulation->addAction(m_pauseAction);
    QMenu *speedMenu = simulation->addMenu(Tr::tr("Speed"));
    for (auto speed : backends::allSpeeds())
        speedMenu->addAction(m_speedActions.at(speed));
    simulation->setEnabled(m_backend->supportsClockControl());

    QMenu *instructor = m_menuBar->addMenu(Tr::tr("&Instructor"));
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

    // The frequent ones; each opens the same confirmation as the Actions view (what will
    // change, the kubectl equivalent, typed name for destructive ones) before anything runs.
    QMenu *actions = m_menuBar->addMenu(Tr::tr("&Actions"));
    const auto simple = [this, actions](const QString &title, sim::ActionKind kind,
                                        const std::string &target) {
        actions->addAction(title, this, [this, kind, target]() {
            sim::ActionSpec spec;
            spec.kind = kind;
            spec.target = target;
            requestAction(spec);
        });
    };
    //: Actions menu entries; each asks for confirmation first
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
    actions->addSeparator();
    QAction *all = actions->addAction(Tr::tr("All actions, Diagnose, deploys…"), this,
                                      [this]() { setView(QStringLiteral("actions")); });
    all->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));

    QMenu *incidentMenu = m_menuBar->addMenu(Tr::tr("I&ncidents"));
    QAction *declare = incidentMenu->addAction(Tr::tr("&Declare incident…"), this,
                                               &MainWindow::declareIncident);
    declare->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    incidentMenu->setEnabled(m_incidents != nullptr);

    QMenu *help = m_menuBar->addMenu(Tr::tr("&Help"));
    QAction *keys = help->addAction(Tr::tr("&Keyboard shortcuts"), this, &MainWindow::showShortcuts);
    keys->setShortcut(QKeySequence::HelpContents);
}

void MainWindow::buildViewMenu(QMenu *menu)
{
    // Ctrl+1, Ctrl+2, ...: the views in the order they were added.
    int index = 0;
    for (const View &view : m_viewList) {
        QAction *show = menu->addAction(view.dock->windowTitle(), this,
                                        [this, name = view.name]() { setView(name); });
        if (index < 9)
            show->setShortcut(QKeySequence(int(Qt::CTRL) | int(Qt::Key_1 + index)));
        ++index;
        // The title changes ("Alerts (3)"); keep the menu entry in step.
        connect(view.dock, &QDockWidget::windowTitleChanged, show, &QAction::setText);
    }
    menu->addSeparator();
    QMenu *layouts = menu->addMenu(Tr::tr("&Layout"));
    //: Layout with the main views side by side
    layouts->addAction(Tr::tr("&Commander wall (views side by side)"), this,
                       [this]() { applyLayout(Layout::Wall); });
    //: Layout with one view at a time
    layouts->addAction(Tr::tr("&Tabs (one view at a time)"), this,
                       [this]() { applyLayout(Layout::Tabs); });
    QMenu *panels = menu->addMenu(Tr::tr("Show or hide &views"));
    for (const View &view : m_viewList)
        panels->addAction(view.dock->toggleViewAction());

    QMenu *themes = menu->addMenu(Tr::tr("&Theme"));
    auto *group = new QActionGroup(themes);
    const QString current = QSettings().value(QStringLiteral("appearance/theme"),
                                              QStringLiteral("system")).toString();
    const std::pair<QString, QString> choices[] = {
        //: Theme choice: follow the desktop's light or dark setting
        {QStringLiteral("system"), Tr::tr("Follow the &system")},
        {QStringLiteral("light"), Tr::tr("&Light")},
        {QStringLiteral("dark"), Tr::tr("&Dark")},
    };
    for (const auto &[mode, label] : choices) {
        QAction *choice = themes->addAction(label, this, [mode]() {
            QSettings().setValue(QStringLiteral("appearance/theme"), mode);
            theme::apply(*qApp, mode);
        });
        choice->setCheckable(true);
        choice->setChecked(theme::currentMode() == mode || (theme::currentMode().isEmpty() && current == mode));
        group->addAction(choice);
    }

    menu->addSeparator();
    // The bell for a new P1, for a commander who looks away from the wall; off by default
    // because a shared room does not want every console beeping.
    m_soundAction = menu->addAction(Tr::tr("&Sound on new P1 alerts"));
    m_soundAction->setObjectName(QStringLiteral("soundOnP1"));
    m_soundAction->setCheckable(true);
    m_soundAction->setChecked(QSettings().value(QStringLiteral("alerts/soundOnP1"), false).toBool());
    connect(m_soundAction, &QAction::toggled, this,
            [](bool on) { QSettings().setValue(QStringLiteral("alerts/soundOnP1"), on); });
    connect(m_alerts, &AlertQueueView::newP1Firing, this, [this]() {
        if (!m_soundAction->isChecked())
            return;
        // Several P1s in one burst ring once: a bell per alert would only be noise.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        if (m_soundsPlayed > 0 && now - m_lastSoundMs < 2000)
            return;
        m_lastSoundMs = now;
        ++m_soundsPlayed;
        QApplication::beep();
    });
}

void MainWindow::showShortcuts()
{
    // Built from the actions themselves, so the list cannot drift from what works.
    QStringList rows;
    const auto collect = [&rows](const auto &self, QMenu *menu) -> void {
        for (QAction *action : menu->actions()) {
            if (action->menu()) {
                self(self, action->menu());
                continue;
            }
            if (action->shortcut().isEmpty())
                continue;
            rows << QStringLiteral("<tr><td><b>%1</b></td><td>&nbsp;&nbsp;%2</td></tr>")
                        .arg(action->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped(),
                             action->text().remove(QLatin1Char('&')).toHtmlEscaped());
        }
    };
    for (QAction *top : m_menuBar->actions())
        if (top->menu())
            collect(collect, top->menu());
    if (m_pauseAction && !m_pauseAction->shortcut().isEmpty() && rows.filter(QStringLiteral("Space")).isEmpty())
        rows.prepend(QStringLiteral("<tr><td><b>%1</b></td><td>&nbsp;&nbsp;%2</td></tr>")
                         .arg(m_pauseAction->shortcut().toString(QKeySequence::NativeText),
                              Tr::tr("Pause / play the simulation")));
    QMessageBox box(QMessageBox::NoIcon, Tr::tr("Keyboard shortcuts"),
                    QStringLiteral("<table>%1</table>").arg(rows.join(QString())), QMessageBox::Close,
                    this);
    box.exec();
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
    //: Alert queue view title; %1 is the number of firing alerts
    if (QDockWidget *dock = viewDock(QStringLiteral("alerts")))
        dock->setWindowTitle(Tr::tr("Alerts (%1)").arg(total));
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

void MainWindow::requestAction(const sim::ActionSpec &action)
{
    m_remediation->request(action);
}

void MainWindow::declareIncident()
{
    if (!m_incidents)
        return;
    setView(QStringLiteral("incidents"));
    // The selected alert, if any, is the reason; otherwise an empty declaration.
    const bool fromAlert = m_alerts->table()->selectionModel()
                           && m_alerts->table()->selectionModel()->hasSelection();
    if (!fromAlert || !m_alerts->declareIncidentFromSelected())
        m_incidents->declareManually();
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
    requestAction(spec);
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
                       if (events && m_dashboards->summary())
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
