#pragma once
// The runbook's dependency graph, live: load balancer -> API gateway -> orchestrator ->
// its nine dependencies, each node coloured by health (its firing alerts and its golden
// signals against the runbook's thresholds) with replicas, request rate, errors and p99,
// and a region strip that says which region takes the traffic.
//
// Custom painted on a fixed logical canvas scaled to fit, so the picture keeps its
// proportions (and stays readable from across the room) at any size.
//
// Selection: click or Enter selects a node (componentSelected(id)); a click on the
// background or Esc clears it (componentSelected("")). Tab / Shift+Tab and the arrow
// keys walk the nodes. The context menu (right click, Menu key, Shift+F10) offers
// Scale…, Restart and Rollback as actionRequested(ActionSpec): the map never applies
// anything itself; the owner routes the request to the confirmation dialog. Given the
// console's ActionPermissions, entries the cluster refuses to this user are greyed out
// with the server's reason as their tooltip.
#include "map_layout.h"
#include "service_map_model.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <optional>

class QMenu;

namespace opsdeck::widgets {

class ActionPermissions;

class ServiceMapView : public QWidget {
    Q_OBJECT
public:
    // Follows the backend's snapshots (and shows the latest one at once, if any).
    explicit ServiceMapView(backends::ClusterBackend *backend, QWidget *parent = nullptr);
    ~ServiceMapView() override;

    ServiceMapModel *model() const { return m_model; }
    QString selectedComponent() const { return m_selected; }
    QString focusedComponent() const;

    // Where a node is drawn, in widget coordinates (empty rect if unknown): for tests
    // and for anchoring popups.
    QRect nodeRect(const QString &componentId) const;

    // The context menu for a node, as the right click shows it (caller owns it).
    QMenu *createContextMenu(const QString &componentId, QWidget *parent = nullptr);

    // Asks how many replicas "Scale…" should set (per region); nullopt cancels. The
    // default asks with a QInputDialog; tests replace it.
    using ReplicaPrompt = std::function<std::optional<int>(const QString &componentId, int current)>;
    void setReplicaPrompt(ReplicaPrompt prompt) { m_replicaPrompt = std::move(prompt); }

    bool isCompact() const; // the side-dock design is in use at the current size

    // Whom the context menu asks whether an action is allowed (not owned; null: never
    // greyed out, the confirmation still checks).
    void setActionPermissions(ActionPermissions *permissions);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public Q_SLOTS:
    void setSnapshot(const opsdeck::backends::SnapshotPtr &snapshot);
    // Selects (or with "" clears) without emitting: for the owner mirroring a selection
    // made elsewhere (e.g. in the alert queue).
    void setSelectedComponent(const QString &componentId);

Q_SIGNALS:
    void componentSelected(const QString &componentId); // "" = selection cleared
    void actionRequested(const opsdeck::sim::ActionSpec &action);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;
    void focusOutEvent(QFocusEvent *event) override;
    bool focusNextPrevChild(bool next) override;
    bool event(QEvent *event) override;

private:
    void relayout();
    // Hidden widgets get their resize events late (at show): geometry queries lay out
    // for the current size themselves.
    void ensureLayout() const;
    void updateTransform();
    int nodeAt(const QPoint &widgetPos) const;  // row, or -1
    void select(int row, bool notify);
    void setFocusRow(int row);
    void requestAction(sim::ActionKind kind, const QString &componentId);
    sim::ActionSpec actionSpec(sim::ActionKind kind, const QString &componentId) const;
    void updateMenuPermissions(QMenu *menu, const QString &componentId);
    QString toolTipFor(int row) const;
    QString activeRegion() const;
    void updateAccessibleText();
    void onStateChanged();

    QPointer<backends::ClusterBackend> m_backend;
    QPointer<ActionPermissions> m_permissions;
    ServiceMapModel *m_model = nullptr;
    map::MapLayout m_layout;
    QSize m_layoutSize;       // widget size m_layout was made for
    QTransform m_toWidget;    // canvas -> widget
    QTransform m_toCanvas;    // widget -> canvas
    QString m_selected;
    int m_focusRow = -1;
    int m_hoverRow = -1;
    ReplicaPrompt m_replicaPrompt;
    // Colours and regions repaint at once; figures alone at most twice a second, since a
    // full repaint costs a few ms and snapshots come ten times a second.
    QString m_paintedSignature;
    QTimer m_figuresRepaint;
};

} // namespace opsdeck::widgets
