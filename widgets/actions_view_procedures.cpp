// ActionsView's procedures: the runbook's groups of buttons and what each asks for, apart from the view's state handling.
#include "actions_view.h"

#include "actions_view_p.h"
#include "checklist_widget.h"
#include "remediation_controller.h"
#include "theme.h"
#include "widgets_tr.h"

#include <QComboBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace opsdeck::widgets {

using actions_view_parts::kOrchestrator;
using actions_view_parts::makeGroup;

namespace {
const QStringList kToolServices{QStringLiteral("browser-tool"), QStringLiteral("code-executor"), QStringLiteral("tool-api-gateway")};

// The runbook's manual scaling procedures (agent-orchestrator / virtual-computer / model-server).
struct Preset {
    int orchestrator, virtualComputer, modelServer;
};
constexpr Preset kHighLoad{50, 100, 20};
constexpr Preset kScaleDown{10, 30, 5};
} // namespace

namespace actions_view_parts {

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

} // namespace actions_view_parts

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

} // namespace opsdeck::widgets
