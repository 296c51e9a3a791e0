#include "actions_view.h"

#include "action_confirm_dialog_preview.h"
#include "actions_view_p.h"
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
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <QCoro/QCoroTask>

namespace opsdeck::widgets {

using actions_view_parts::kOrchestrator;
using actions_view_parts::makeGroup;

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
