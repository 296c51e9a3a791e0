// ServiceMapView's context menu (Scale…, Restart, Rollback as ActionSpecs, greyed out when refused), apart from painting and input.
#include "service_map_view.h"

#include "remediation_controller_permissions.h"
#include "widgets_tr.h"

#include <QContextMenuEvent>
#include <QMenu>

namespace opsdeck::widgets {

void ServiceMapView::setActionPermissions(ActionPermissions *permissions) { m_permissions = permissions; }

namespace {
// The context menu's entries, by object name (tests and updateMenuPermissions find them so).
struct MenuAction {
    const char *name;
    sim::ActionKind kind;
    const char *text; // translated where shown
};
//: Service map context menu: runbook actions on the clicked component
constexpr MenuAction kMenuActions[] = {{"scale", sim::ActionKind::Scale, QT_TRANSLATE_NOOP("OpsDeck::Widgets", "Scale…")},
                                       {"restart", sim::ActionKind::Restart, QT_TRANSLATE_NOOP("OpsDeck::Widgets", "Restart")},
                                       {"rollback", sim::ActionKind::Rollback, QT_TRANSLATE_NOOP("OpsDeck::Widgets", "Rollback")}};
} // namespace

QMenu *ServiceMapView::createContextMenu(const QString &componentId, QWidget *parent)
{
    auto *menu = new QMenu(parent ? parent : this);
    const QString title = map::componentTitle(componentId);
    menu->setTitle(title);
    menu->addSection(title);
    menu->setToolTipsVisible(true); // a greyed-out entry says why
    for (const MenuAction &entry : kMenuActions) {
        QAction *action = menu->addAction(Tr::tr(entry.text));
        action->setObjectName(QLatin1String(entry.name));
        const sim::ActionKind kind = entry.kind;
        connect(action, &QAction::triggered, this, [this, kind, componentId] { requestAction(kind, componentId); });
    }
    if (m_permissions) {
        updateMenuPermissions(menu, componentId);
        // The cluster may answer while the menu is open (which may outlive the map when
        // the caller gave it another parent).
        connect(m_permissions, &ActionPermissions::answersChanged, menu,
                [map = QPointer<ServiceMapView>(this), menu, componentId] {
                    if (map)
                        map->updateMenuPermissions(menu, componentId);
                });
    }
    return menu;
}

void ServiceMapView::updateMenuPermissions(QMenu *menu, const QString &componentId)
{
    if (!m_permissions)
        return;
    for (const MenuAction &entry : kMenuActions) {
        auto *action = menu->findChild<QAction *>(QLatin1String(entry.name));
        if (!action)
            continue;
        const PermissionAnswer answer = m_permissions->answerFor(actionSpec(entry.kind, componentId));
        action->setEnabled(answer.permits());
        action->setToolTip(answer.toolTip()); // empty: back to the default (its text)
    }
}

void ServiceMapView::contextMenuEvent(QContextMenuEvent *event)
{
    int row = event->reason() == QContextMenuEvent::Keyboard ? m_focusRow : nodeAt(event->pos());
    if (row < 0)
        return;
    select(row, true); // acting on a node also makes it the one the console shows
    QMenu *menu = createContextMenu(m_model->node(row).id);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->globalPos());
}

sim::ActionSpec ServiceMapView::actionSpec(sim::ActionKind kind, const QString &componentId) const
{
    sim::ActionSpec spec;
    spec.kind = kind;
    spec.target = componentId.toStdString();
    if (const QString region = activeRegion(); !region.isEmpty())
        spec.params["region"] = region.toStdString();
    return spec;
}

void ServiceMapView::requestAction(sim::ActionKind kind, const QString &componentId)
{
    sim::ActionSpec spec = actionSpec(kind, componentId);
    if (kind == sim::ActionKind::Scale) {
        int current = 0;
        const int row = m_model->rowOf(componentId);
        if (row >= 0)
            for (const map::RegionCell &c : m_model->node(row).regions)
                if (c.region == activeRegion())
                    current = c.desired;
        const std::optional<int> replicas = m_replicaPrompt ? m_replicaPrompt(componentId, current) : std::nullopt;
        if (!replicas)
            return;
        spec.params["replicas"] = std::to_string(*replicas);
    }
    Q_EMIT actionRequested(spec);
}

} // namespace opsdeck::widgets
