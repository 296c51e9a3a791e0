#include "checklist_widget.h"

#include "theme.h"
#include "widgets_tr.h"

#include <QCheckBox>
#include <QLabel>
#include <QVBoxLayout>

namespace opsdeck::widgets {

namespace {
QString itemText(PreDeploymentChecklist::Item item)
{
    switch (item) {
    case PreDeploymentChecklist::TestsPassing:
        return Tr::tr("All tests passing in CI");
    case PreDeploymentChecklist::SecurityScan:
        return Tr::tr("Security scan completed");
    case PreDeploymentChecklist::Benchmarks:
        return Tr::tr("Performance benchmarks within tolerance");
    case PreDeploymentChecklist::RollbackPlan:
        return Tr::tr("Rollback plan: a previous revision to roll back to");
    case PreDeploymentChecklist::ChangeApproval:
        return Tr::tr("Change approval obtained");
    case PreDeploymentChecklist::OnCallNotified:
        return Tr::tr("On-call engineer notified");
    case PreDeploymentChecklist::CalendarUpdated:
        return Tr::tr("Deployment calendar updated");
    case PreDeploymentChecklist::ItemCount:
        break;
    }
    return {};
}

QString shortText(PreDeploymentChecklist::Item item)
{
    switch (item) {
    case PreDeploymentChecklist::TestsPassing:
        return Tr::tr("CI tests");
    case PreDeploymentChecklist::SecurityScan:
        return Tr::tr("security scan");
    case PreDeploymentChecklist::Benchmarks:
        return Tr::tr("benchmarks");
    case PreDeploymentChecklist::RollbackPlan:
        return Tr::tr("rollback plan");
    case PreDeploymentChecklist::ChangeApproval:
        return Tr::tr("change approval");
    case PreDeploymentChecklist::OnCallNotified:
        return Tr::tr("on-call notified");
    case PreDeploymentChecklist::CalendarUpdated:
        return Tr::tr("calendar");
    case PreDeploymentChecklist::ItemCount:
        break;
    }
    return {};
}
} // namespace

bool hasRollbackTarget(const sim::Inventory &inventory, const std::string &region, const std::string &name, QString *detail)
{
    const sim::Deployment *dep = nullptr;
    for (const auto &d : inventory.deployments)
        if (d.name == name && d.region == region && d.ns == "chatgpt-agent")
            dep = &d;
    if (!dep) {
        if (detail)
            *detail = Tr::tr("no deployment %1 in %2").arg(QString::fromStdString(name), QString::fromStdString(region));
        return false;
    }
    const sim::ReplicaSet *best = nullptr;
    for (const auto &rs : inventory.replicaSets)
        if (rs.deployment == dep->name && rs.ns == dep->ns && rs.revision < dep->revision && (!best || rs.revision > best->revision))
            best = &rs;
    if (detail) {
        *detail = best && !best->podTemplate.containers.empty()
                      ? Tr::tr("revision %1 (%2)").arg(best->revision).arg(QString::fromStdString(best->podTemplate.containers.front().image))
                      : Tr::tr("deployment/%1 has no previous revision").arg(QString::fromStdString(name));
    }
    return best != nullptr;
}

PreDeploymentChecklist::PreDeploymentChecklist(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("preDeploymentChecklist"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    for (int i = 0; i < ItemCount; ++i) {
        auto *box = new QCheckBox(itemText(static_cast<Item>(i)), this);
        box->setObjectName(QStringLiteral("check%1").arg(i));
        connect(box, &QCheckBox::toggled, this, &PreDeploymentChecklist::onChanged);
        layout->addWidget(box);
        m_boxes.push_back(box);
    }
    // Filled from the cluster only: a person ticking it would be vouching for nothing.
    checkBox(RollbackPlan)->setEnabled(false);
    checkBox(RollbackPlan)->setText(itemText(RollbackPlan) + Tr::tr(" — waiting for the cluster"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("checklistStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    m_lastComplete = true; // force the first completeChanged(false)
    onChanged();
}

bool PreDeploymentChecklist::isChecked(Item item) const { return checkBox(item)->isChecked(); }

bool PreDeploymentChecklist::isFromCluster(Item item) const { return item == RollbackPlan; }

bool PreDeploymentChecklist::setChecked(Item item, bool checked)
{
    if (static_cast<int>(item) >= ItemCount || isFromCluster(item))
        return false;
    checkBox(item)->setChecked(checked);
    return true;
}

bool PreDeploymentChecklist::isComplete() const { return missing().isEmpty(); }

QStringList PreDeploymentChecklist::missing() const
{
    QStringList out;
    for (int i = 0; i < ItemCount; ++i)
        if (!m_boxes[static_cast<std::size_t>(i)]->isChecked())
            out << shortText(static_cast<Item>(i));
    return out;
}

QString PreDeploymentChecklist::missingText() const
{
    const QStringList m = missing();
    return m.isEmpty() ? Tr::tr("Checklist complete: deploys are enabled.") : Tr::tr("Missing: %1").arg(m.join(QStringLiteral(", ")));
}

void PreDeploymentChecklist::resetManualItems()
{
    for (int i = 0; i < ItemCount; ++i)
        if (!isFromCluster(static_cast<Item>(i)))
            m_boxes[static_cast<std::size_t>(i)]->setChecked(false);
}

void PreDeploymentChecklist::updateFromSnapshot(const backends::SnapshotPtr &snapshot)
{
    if (!snapshot || !snapshot->inventory)
        return;
    QString detail;
    const bool ok = hasRollbackTarget(*snapshot->inventory, snapshot->health.activeRegion, "agent-orchestrator", &detail);
    QCheckBox *box = checkBox(RollbackPlan);
    box->setText(itemText(RollbackPlan) + QStringLiteral(" — ") + detail);
    box->setToolTip(Tr::tr("Filled from the cluster: kubectl rollout history deployment/agent-orchestrator"));
    if (box->isChecked() != ok)
        box->setChecked(ok);
}

void PreDeploymentChecklist::onChanged()
{
    const bool complete = isComplete();
    m_status->setText(missingText());
    m_status->setStyleSheet(QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg((complete ? theme::ok() : theme::p2()).name()));
    if (complete != m_lastComplete) {
        m_lastComplete = complete;
        Q_EMIT completeChanged(complete);
    }
    Q_EMIT itemsChanged();
}

} // namespace opsdeck::widgets
