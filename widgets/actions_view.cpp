#include "actions_view.h"

#include "action_confirm_dialog_preview.h"
#include "actions_view_rollout.h"
#include "checklist_widget.h"
#include "diagnose_panel.h"
#include "remediation_controller.h"
#include "remediation_controller_log.h"
#include "remediation_controller_permissions.h"
#include "theme.h"
#include "widgets_tr.h"

#include <QComboBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <QCoro/QCoroTask>

namespace opsdeck::widgets {

namespace {
const QStringList kToolServices{QStringLiteral("browser-tool"), QStringLiteral("code-executor"), QStringLiteral("tool-api-gateway")};
const QString kOrchestrator = QStringLiteral("agent-orchestrator");

// The runbook's manual scaling procedures (agent-orchestrator / virtual-computer / model-server).
struct Preset {
    int orchestrator, virtualComputer, modelServer;
};
constexpr Preset kHighLoad{50, 100, 20};
constexpr Preset kScaleDown{10, 30, 5};

QGroupBox *makeGroup(const QString &title, QWidget *parent)
{
    auto *group = new QGroupBox(title, parent);
    group->setStyleSheet(QStringLiteral("QGroupBox { font-weight: bold; font-size: 15px; margin-top: 14px; padding-top: 8px; } "
                                        "QGroupBox::title { subcontrol-origin: margin; left: 6px; padding: 0 4px; }"));
    auto *grid = new QGridLayout(group);
    grid->setHorizontalSpacing(14);
    grid->setVerticalSpacing(8);
    return group;
}
} // namespace

ActionsView::ActionsView(backends::ClusterBackend *backend, RemediationController *controller, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
    , m_controller(controller)
{
    setObjectName(QStringLiteral("actionsView"));
    auto *layout = new QVBoxLayout(this);

    // Header: what is being shown and the target deployment every per-deployment action uses.
    auto *header = new QHBoxLayout;
    m_filterLabel = new QLabel(this);
    QFont hf = m_filterLabel->font();
    hf.setPointSizeF(hf.pointSizeF() * 1.3);
    hf.setBold(true);
    m_filterLabel->setFont(hf);
    header->addWidget(m_filterLabel);
    m_clearFilter = new QPushButton(Tr::tr("Show all"), this);
    m_clearFilter->setObjectName(QStringLiteral("clearFilter"));
    connect(m_clearFilter, &QPushButton::clicked, this, [this] { setComponentFilter({}); });
    header->addWidget(m_clearFilter);
    header->addStretch(1);
    header->addWidget(new QLabel(Tr::tr("Target deployment:"), this));
    m_deployment = new QComboBox(this);
    m_deployment->setObjectName(QStringLiteral("deployment"));
    m_deployment->setMinimumWidth(200);
    m_deployment->addItem(kOrchestrator);
    header->addWidget(m_deployment);
    layout->addLayout(header);
    m_permissionHint = new QLabel(this);
    m_permissionHint->setObjectName(QStringLiteral("permissionHint"));
    m_permissionHint->setWordWrap(true);
    m_permissionHint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_permissionHint->hide();
    layout->addWidget(m_permissionHint);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    auto *scroll = new QScrollArea(splitter);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(buildProcedures());
    splitter->addWidget(scroll);
    splitter->addWidget(buildSidebar());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    layout->addWidget(splitter, 1);

    connect(m_backend, &backends::ClusterBackend::snapshotPublished, this, &ActionsView::showSnapshot);
    connect(m_controller, &RemediationController::actionFinished, this, &ActionsView::onActionFinished);
    // Every change, not only completeness: the "Deploy disabled: missing ..." line must
    // name exactly what the checklist still lacks (e.g. after the cluster fills an item).
    connect(m_checklist, &PreDeploymentChecklist::itemsChanged, this, &ActionsView::updateButtons);
    connect(m_version, &QLineEdit::textChanged, this, &ActionsView::updateButtons);
    // Another target deployment is another question to the cluster.
    connect(m_deployment, &QComboBox::currentTextChanged, this, &ActionsView::updateButtons);
    connect(m_controller->permissions(), &ActionPermissions::answersChanged, this, &ActionsView::updateButtons);
    setComponentFilter({});
    updateButtons();
    if (const auto snap = m_backend->latestSnapshot())
        showSnapshot(snap);
}

ActionsView::~ActionsView() = default;

QPushButton *ActionsView::addAction(QGroupBox *group, const QString &name, const QString &title, const QString &explanation,
                                    QStringList components)
{
    auto *grid = static_cast<QGridLayout *>(group->layout());
    auto *cell = new QWidget(group);
    auto *v = new QVBoxLayout(cell);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    auto *button = new QPushButton(title, cell);
    button->setObjectName(name);
    button->setMinimumHeight(40);
    button->setStyleSheet(QStringLiteral("QPushButton { font-size: 14px; font-weight: bold; padding: 6px 14px; text-align: left; }"));
    v->addWidget(button);
    auto *label = new QLabel(explanation, cell);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("QLabel { color: %1; font-weight: normal; font-size: 12px; }").arg(theme::muted().name()));
    v->addWidget(label);
    // Two columns of actions from the group's "base" row on (rows above hold inputs).
    const int slot = group->property("slot").toInt();
    grid->addWidget(cell, group->property("base").toInt() + slot / 2, slot % 2, Qt::AlignTop);
    group->setProperty("slot", slot + 1);
    m_entries.push_back({button, cell, group, std::move(components), {}, false});
    return button;
}

QWidget *ActionsView::buildProcedures()
{
    auto *page = new QWidget;
    auto *v = new QVBoxLayout(page);
    // addAction() just appended b's entry: it learns what a click asks for, so the
    // cluster can be asked beforehand whether this user may.
    auto request = [this](QPushButton *b, auto makeSpec) {
        m_entries.back().specs = [makeSpec] { return std::vector<sim::ActionSpec>{makeSpec()}; };
        connect(b, &QPushButton::clicked, this, [this, makeSpec] { m_controller->request(makeSpec()); });
    };

    // --- Deploy & rollback --------------------------------------------------------------
    QGroupBox *deploy = makeGroup(Tr::tr("Deploy && rollback"), page);
    m_groups.push_back(deploy);
    request(addAction(deploy, QStringLiteral("rollback"), Tr::tr("↩ Roll back"),
                      Tr::tr("kubectl rollout undo: the target deployment goes back to its previous revision.")),
            [this] { return spec(sim::ActionKind::Rollback, selectedDeployment()); });
    request(addAction(deploy, QStringLiteral("restart"), Tr::tr("⟳ Restart"),
                      Tr::tr("Rolling restart of the target deployment, same image (frees leaked memory, crash loops).")),
            [this] { return spec(sim::ActionKind::Restart, selectedDeployment()); });
    auto *deployGrid = static_cast<QGridLayout *>(deploy->layout());
    auto *versionRow = new QWidget(deploy);
    auto *vr = new QHBoxLayout(versionRow);
    vr->setContentsMargins(0, 6, 0, 0);
    vr->addWidget(new QLabel(Tr::tr("Version to deploy:"), versionRow));
    m_version = new QLineEdit(versionRow);
    m_version->setObjectName(QStringLiteral("version"));
    m_version->setPlaceholderText(Tr::tr("tag or image, e.g. v2.15.0"));
    vr->addWidget(m_version, 1);
    deployGrid->addWidget(versionRow, 1, 0, 1, 2);
    auto *checklistTitle = new QLabel(Tr::tr("Pre-deployment checklist (runbook)"), deploy);
    deployGrid->addWidget(checklistTitle, 2, 0, 1, 2);
    m_checklist = new PreDeploymentChecklist(deploy);
    deployGrid->addWidget(m_checklist, 3, 0, 1, 2);
    auto version = [this] { return m_version->text().trimmed().toStdString(); };
    deploy->setProperty("base", 4);
    deploy->setProperty("slot", 0);
    auto needsDeployChecks = [this] { m_entries.back().needsDeployChecks = true; };
    request(addAction(deploy, QStringLiteral("deploy"), Tr::tr("⇪ Deploy version"),
                      Tr::tr("kubectl set image on the target deployment: rolling update to the version above.")),
            [this, version] {
                sim::ActionSpec s = spec(sim::ActionKind::SetImage, selectedDeployment());
                s.params["image"] = version();
                return s;
            });
    needsDeployChecks();
    request(addAction(deploy, QStringLiteral("canary"), Tr::tr("◔ Canary 5 %"),
                      Tr::tr("agent-orchestrator canary in chatgpt-agent-canary taking 5 % of traffic."), {kOrchestrator}),
            [this, version] {
                sim::ActionSpec s = spec(sim::ActionKind::Canary, kOrchestrator.toStdString());
                s.params["image"] = version();
                s.params["percent"] = "5";
                return s;
            });
    needsDeployChecks();
    request(addAction(deploy, QStringLiteral("progressive"), Tr::tr("▤ Progressive rollout"),
                      Tr::tr("5 → 25 → 50 → 100 % with health checks every 30 s; rolls back by itself on failure."),
                      {kOrchestrator}),
            [this, version] {
                sim::ActionSpec s = spec(sim::ActionKind::ProgressiveRollout, kOrchestrator.toStdString());
                s.params["image"] = version();
                return s;
            });
    needsDeployChecks();
    m_deployBlocked = new QLabel(deploy);
    m_deployBlocked->setObjectName(QStringLiteral("deployBlocked"));
    m_deployBlocked->setWordWrap(true);
    deployGrid->addWidget(m_deployBlocked, 6, 0, 1, 2);
    v->addWidget(deploy);

    // --- Scale ----------------------------------------------------------------------------
    QGroupBox *scale = makeGroup(Tr::tr("Scale"), page);
    m_groups.push_back(scale);
    auto *scaleGrid = static_cast<QGridLayout *>(scale->layout());
    auto *replicaRow = new QWidget(scale);
    auto *rr = new QHBoxLayout(replicaRow);
    rr->setContentsMargins(0, 0, 0, 0);
    rr->addWidget(new QLabel(Tr::tr("Replicas:"), replicaRow));
    m_replicas = new QSpinBox(replicaRow);
    m_replicas->setObjectName(QStringLiteral("replicas"));
    m_replicas->setRange(0, 20000);
    m_replicas->setValue(10);
    m_replicas->setMinimumWidth(90);
    rr->addWidget(m_replicas);
    rr->addStretch(1);
    scaleGrid->addWidget(replicaRow, 0, 0, 1, 2);
    scale->setProperty("base", 1);
    request(addAction(scale, QStringLiteral("scale"), Tr::tr("⇅ Scale target deployment"),
                      Tr::tr("kubectl scale to the replica count above (0 asks you to type the name).")),
            [this] {
                sim::ActionSpec s = spec(sim::ActionKind::Scale, selectedDeployment());
                s.params["replicas"] = std::to_string(m_replicas->value());
                return s;
            });
    const QStringList presetTargets{kOrchestrator, QStringLiteral("virtual-computer"), QStringLiteral("model-server")};
    auto preset = [this](const Preset &p) {
        std::vector<sim::ActionSpec> specs;
        const std::pair<const char *, int> steps[] = {
            {"agent-orchestrator", p.orchestrator}, {"virtual-computer", p.virtualComputer}, {"model-server", p.modelServer}};
        for (const auto &[target, replicas] : steps) {
            sim::ActionSpec s = spec(sim::ActionKind::Scale, target);
            s.params["replicas"] = std::to_string(replicas);
            specs.push_back(s);
        }
        return specs;
    };
    connect(addAction(scale, QStringLiteral("presetHighLoad"), Tr::tr("▲ High load event"),
                      Tr::tr("Runbook preset: orchestrator 50, virtual-computer 100, model-server 20."), presetTargets),
            &QPushButton::clicked, this,
            [this, preset] { m_controller->requestBatch(Tr::tr("Scale for a high load event"), preset(kHighLoad)); });
    m_entries.back().specs = [preset] { return preset(kHighLoad); };
    connect(addAction(scale, QStringLiteral("presetScaleDown"), Tr::tr("▼ Scale down after event"),
                      Tr::tr("Runbook preset: orchestrator 10, virtual-computer 30, model-server 5."), presetTargets),
            &QPushButton::clicked, this,
            [this, preset] { m_controller->requestBatch(Tr::tr("Scale down after the event"), preset(kScaleDown)); });
    m_entries.back().specs = [preset] { return preset(kScaleDown); };
    v->addWidget(scale);

    // --- Traffic & regions ----------------------------------------------------------------
    QGroupBox *traffic = makeGroup(Tr::tr("Traffic && regions"), page);
    m_groups.push_back(traffic);
    auto *trafficGrid = static_cast<QGridLayout *>(traffic->layout());
    auto *regionRow = new QWidget(traffic);
    auto *rg = new QHBoxLayout(regionRow);
    rg->setContentsMargins(0, 0, 0, 0);
    rg->addWidget(new QLabel(Tr::tr("Fail over to:"), regionRow));
    m_region = new QComboBox(regionRow);
    m_region->setObjectName(QStringLiteral("region"));
    m_region->setMinimumWidth(140);
    rg->addWidget(m_region);
    rg->addStretch(1);
    trafficGrid->addWidget(regionRow, 0, 0, 1, 2);
    traffic->setProperty("base", 1);
    const QStringList edge{QStringLiteral("load-balancer"), QStringLiteral("api-gateway"), kOrchestrator};
    request(addAction(traffic, QStringLiteral("failover"), Tr::tr("⇄ Regional failover"),
                      Tr::tr("Route all traffic to the chosen region through DNS (about 2 min). Type to confirm."), edge),
            [this] {
                sim::ActionSpec s = spec(sim::ActionKind::Failover);
                s.params["region"] = m_region->currentText().toStdString();
                return s;
            });
    request(addAction(traffic, QStringLiteral("circuitBreaker"), Tr::tr("⊘ Arm circuit breakers"),
                      Tr::tr("Calls to dependencies failing > 30 % fail fast; failing tools degrade tasks."),
                      edge + kToolServices),
            [this] {
                sim::ActionSpec s = spec(sim::ActionKind::CircuitBreaker, kOrchestrator.toStdString());
                s.params["enabled"] = "true";
                return s;
            });
    v->addWidget(traffic);

    // --- Safety & security ----------------------------------------------------------------
    QGroupBox *safety = makeGroup(Tr::tr("Safety && security"), page);
    m_groups.push_back(safety);
    const QStringList safetyComponents{QStringLiteral("safety-filter"), QStringLiteral("permission-manager"), kOrchestrator};
    request(addAction(safety, QStringLiteral("safetyMode"), Tr::tr("⛨ Enable safety mode"),
                      Tr::tr("Stricter prompt filters; sheds 30 % of free-tier load (enable_safety_mode.sh)."), safetyComponents),
            [this] {
                sim::ActionSpec s = spec(sim::ActionKind::SafetyMode, kOrchestrator.toStdString());
                s.params["enabled"] = "true";
                return s;
            });
    request(addAction(safety, QStringLiteral("isolate"), Tr::tr("⛔ Isolate virtual computers"),
                      Tr::tr("Security procedure step 1: quarantine sandboxes, egress denied. Type to confirm."),
                      QStringList{QStringLiteral("virtual-computer")} + kToolServices),
            [this] { return spec(sim::ActionKind::IsolateResources, "virtual-computer"); });
    request(addAction(safety, QStringLiteral("rotateCredentials"), Tr::tr("🔑 Rotate credentials"),
                      Tr::tr("New agent credentials; orchestrator and tool gateway restart rolling."),
                      {kOrchestrator, QStringLiteral("tool-api-gateway"), QStringLiteral("permission-manager")}),
            [this] { return spec(sim::ActionKind::RotateCredentials); });
    request(addAction(safety, QStringLiteral("updateFilters"), Tr::tr("✎ Update prompt filters"),
                      Tr::tr("Load the new injection patterns into the safety filters (about 1 min)."),
                      {QStringLiteral("safety-filter")}),
            [this] { return spec(sim::ActionKind::UpdatePromptFilters); });
    request(addAction(safety, QStringLiteral("deleteFailedPods"), Tr::tr("🗑 Delete failed pods"),
                      Tr::tr("Remove pods in phase Failed of the target deployment so they are replaced.")),
            [this] { return spec(sim::ActionKind::DeleteFailedPods, selectedDeployment()); });
    v->addWidget(safety);

    // --- Data ----------------------------------------------------------------------------
    QGroupBox *data = makeGroup(Tr::tr("Data"), page);
    m_groups.push_back(data);
    const QStringList db{QStringLiteral("state-db")};
    request(addAction(data, QStringLiteral("backup"), Tr::tr("⬇ Back up state DB"),
                      Tr::tr("pg_dump of agent_state now (automatic backups run every 15 min)."), db),
            [this] { return spec(sim::ActionKind::Backup, "state-db"); });
    request(addAction(data, QStringLiteral("restore"), Tr::tr("⬆ Restore state DB"),
                      Tr::tr("From the latest clean backup; DB offline about 8 min. Type to confirm."), db),
            [this] { return spec(sim::ActionKind::Restore, "state-db"); });
    request(addAction(data, QStringLiteral("increaseDbPool"), Tr::tr("⇡ Increase DB pool"),
                      Tr::tr("Connection pool 2.5 × larger (the P2 investigation's remedy for pool exhaustion)."), db),
            [this] { return spec(sim::ActionKind::IncreaseDbPool, "state-db"); });
    v->addWidget(data);
    v->addStretch(1);
    return page;
}

QWidget *ActionsView::buildSidebar()
{
    auto *side = new QWidget;
    auto *v = new QVBoxLayout(side);
    v->setContentsMargins(6, 0, 0, 0);

    m_lastResult = new QLabel(Tr::tr("No action taken yet in this session."), side);
    m_lastResult->setObjectName(QStringLiteral("lastResult"));
    m_lastResult->setWordWrap(true);
    m_lastResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_lastResult->setMinimumHeight(48);
    m_lastResult->setStyleSheet(QStringLiteral("QLabel { padding: 8px; border-radius: 4px; background: %1; font-size: 14px; }")
                                    .arg(theme::panel().name()));
    v->addWidget(m_lastResult);

    QGroupBox *rollout = makeGroup(Tr::tr("Progressive rollout"), side);
    m_rollout = new RolloutProgressPanel(rollout);
    static_cast<QGridLayout *>(rollout->layout())->addWidget(m_rollout, 0, 0);
    v->addWidget(rollout);

    QGroupBox *diagnose = makeGroup(Tr::tr("Diagnose (P2 performance investigation)"), side);
    m_diagnose = new DiagnosePanel(m_backend, m_controller, diagnose);
    static_cast<QGridLayout *>(diagnose->layout())->addWidget(m_diagnose, 0, 0);
    v->addWidget(diagnose);

    QGroupBox *recent = makeGroup(Tr::tr("Recent actions"), side);
    m_recentProxy = new QSortFilterProxyModel(this);
    m_recentProxy->setSourceModel(m_controller->log());
    m_recentProxy->setFilterRole(RemediationLogModel::TargetRole);
    m_recent = new QTableView(recent);
    m_recent->setObjectName(QStringLiteral("recentActions"));
    m_recent->setModel(m_recentProxy);
    m_recent->verticalHeader()->hide();
    m_recent->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_recent->setWordWrap(false);
    // Time and who fit their contents; what and the result get room; the command (long)
    // takes the rest and shows in full in the tooltip.
    QHeaderView *header = m_recent->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(RemediationLogModel::TimeColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(RemediationLogModel::WhoColumn, QHeaderView::ResizeToContents);
    header->resizeSection(RemediationLogModel::ActionColumn, 190);
    header->resizeSection(RemediationLogModel::ResultColumn, 260);
    header->setStretchLastSection(true);
    m_recent->setTextElideMode(Qt::ElideRight);
    m_recent->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_recent->setMinimumHeight(160);
    static_cast<QGridLayout *>(recent->layout())->addWidget(m_recent, 0, 0);
    v->addWidget(recent, 1);
    return side;
}

QPushButton *ActionsView::button(const QString &name) const
{
    for (const auto &e : m_entries)
        if (e.button->objectName() == name)
            return e.button;
    return nullptr;
}

sim::ActionSpec ActionsView::spec(sim::ActionKind kind, const std::string &target) const
{
    sim::ActionSpec s;
    s.kind = kind;
    s.target = target;
    return s;
}

std::string ActionsView::selectedDeployment() const
{
    const QString name = m_deployment->currentText().trimmed();
    return (name.isEmpty() ? kOrchestrator : name).toStdString();
}

void ActionsView::setComponentFilter(const QString &component)
{
    m_filter = component.trimmed();
    m_filterLabel->setText(m_filter.isEmpty() ? Tr::tr("All actions") : Tr::tr("Actions for %1").arg(m_filter));
    m_clearFilter->setVisible(!m_filter.isEmpty());
    if (!m_filter.isEmpty()) {
        const int index = m_deployment->findText(m_filter);
        if (index >= 0)
            m_deployment->setCurrentIndex(index);
    }
    for (const auto &e : m_entries)
        e.cell->setVisible(m_filter.isEmpty() || e.components.isEmpty() || e.components.contains(m_filter));
    for (QGroupBox *g : m_groups) {
        bool any = false;
        for (const auto &e : m_entries)
            any = any || (e.group == g && !e.cell->isHidden());
        g->setVisible(any);
    }
    m_recentProxy->setFilterRegularExpression(
        m_filter.isEmpty() ? QString() : QStringLiteral("^(%1)?$").arg(QRegularExpression::escape(m_filter)));
}

void ActionsView::updateDeploymentChoices(const sim::Inventory &inventory, const std::string &region)
{
    QStringList names, regions;
    for (const auto &d : inventory.deployments)
        if (d.region == region && d.ns == "chatgpt-agent")
            names << QString::fromStdString(d.name);
    names.sort();
    names.removeDuplicates();
    for (const auto &r : inventory.regions)
        if (r.name != region)
            regions << QString::fromStdString(r.name);
    if (names != m_deploymentNames && !names.isEmpty()) {
        const QString current = m_deployment->currentText();
        m_deploymentNames = names;
        m_deployment->clear();
        m_deployment->addItems(names);
        const int keep = m_deployment->findText(current.isEmpty() ? kOrchestrator : current);
        m_deployment->setCurrentIndex(keep >= 0 ? keep : std::max(0, m_deployment->findText(kOrchestrator)));
    }
    if (regions != m_regionNames) {
        m_regionNames = regions;
        m_region->clear();
        m_region->addItems(regions);
    }
}

void ActionsView::showSnapshot(const backends::SnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    if (snapshot->inventory)
        updateDeploymentChoices(*snapshot->inventory, snapshot->health.activeRegion);
    m_checklist->updateFromSnapshot(snapshot);
    m_rollout->setNow(snapshot->timeMs);
    if (snapshot->eventCount > m_eventsSeen)
        fetchEvents();
}

void ActionsView::fetchEvents()
{
    if (m_fetchingEvents)
        return;
    m_fetchingEvents = true;
    QCoro::connect(m_backend->events(m_eventsSeen), this, [this](const Result<std::vector<sim::SimEvent>> &events) {
        m_fetchingEvents = false;
        if (!events)
            return; // the next snapshot asks again
        m_eventsSeen += events->size();
        m_rollout->addEvents(*events);
        if (const auto snap = m_backend->latestSnapshot(); snap && snap->eventCount > m_eventsSeen)
            fetchEvents();
    });
}

void ActionsView::onActionFinished(const sim::ActionSpec &spec, const sim::ActionResult &result)
{
    const QString what = describeAction(spec);
    const QString message = QString::fromStdString(result.message);
    m_lastResult->setText(result.ok ? Tr::tr("✔ %1 — %2").arg(what, message) : Tr::tr("✖ %1 FAILED — %2").arg(what, message));
    m_lastResult->setStyleSheet(QStringLiteral("QLabel { padding: 8px; border-radius: 4px; background: %1; color: white; "
                                               "font-size: 14px; font-weight: bold; }")
                                    .arg((result.ok ? theme::ok() : theme::p1()).darker(170).name()));
    if (result.ok && (spec.kind == sim::ActionKind::SetImage || spec.kind == sim::ActionKind::Canary ||
                      spec.kind == sim::ActionKind::ProgressiveRollout))
        m_checklist->resetManualItems(); // the next deploy is checked again
    // The action's own event arrives with the next snapshot; ask now so progress shows at once.
    fetchEvents();
}

} // namespace opsdeck::widgets
