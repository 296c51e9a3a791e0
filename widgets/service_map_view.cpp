#include "service_map_view.h"

#include "map_palette.h"
#include "widgets_tr.h"

#include <QAccessible>
#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QInputDialog>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

namespace opsdeck::widgets {

using map::MapNode;

ServiceMapView::ServiceMapView(backends::ClusterBackend *backend, QWidget *parent)
    : QWidget(parent), m_backend(backend), m_model(new ServiceMapModel(this))
{
    setObjectName(QStringLiteral("serviceMap"));
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
    setAccessibleName(Tr::tr("Service map"));
    m_replicaPrompt = [this](const QString &id, int current) -> std::optional<int> {
        bool ok = false;
        //: Scale dialog from the service map's context menu
        const int n = QInputDialog::getInt(this, Tr::tr("Scale %1").arg(map::componentTitle(id)),
                                           Tr::tr("Replicas of deployment/%1 in %2:").arg(id, activeRegion()),
                                           current, 0, 20000, 1, &ok);
        return ok ? std::optional<int>(n) : std::nullopt;
    };
    m_figuresRepaint.setSingleShot(true);
    m_figuresRepaint.setInterval(500);
    connect(&m_figuresRepaint, &QTimer::timeout, this, qOverload<>(&QWidget::update));
    connect(m_model, &ServiceMapModel::stateChanged, this, &ServiceMapView::onStateChanged);
    if (backend) {
        connect(backend, &backends::ClusterBackend::snapshotPublished, this, &ServiceMapView::setSnapshot);
        if (backends::SnapshotPtr latest = backend->latestSnapshot())
            setSnapshot(latest);
    }
}

ServiceMapView::~ServiceMapView() = default;

void ServiceMapView::setSnapshot(const backends::SnapshotPtr &snapshot)
{
    if (snapshot)
        m_model->setSnapshot(*snapshot);
}

QSize ServiceMapView::sizeHint() const { return {1280, 760}; }
QSize ServiceMapView::minimumSizeHint() const { return {480, 300}; }

void ServiceMapView::onStateChanged()
{
    const map::MapState &state = m_model->state();
    QString signature;
    for (const map::MapRegion &r : state.regions)
        signature += QStringLiteral("%1:%2:%3:%4;").arg(r.name).arg(r.healthy).arg(r.active).arg(qRound(r.trafficWeight * 100));
    for (const map::MapNode &n : state.nodes) {
        signature += n.id + QLatin1Char('=') + QString::number(int(n.health)) + QLatin1Char(',');
        for (const map::RegionCell &c : n.regions)
            signature += QString::number(int(c.health));
        signature += QLatin1Char(';');
    }
    signature += QString::number(state.clusterAlerts.size());
    relayout();
    updateAccessibleText();
    if (signature != m_paintedSignature) {
        m_paintedSignature = signature;
        m_figuresRepaint.stop();
        update();
    } else if (!m_figuresRepaint.isActive()) {
        m_figuresRepaint.start();
    }
}

void ServiceMapView::relayout()
{
    // The full design below ~70 % of its size is too small to read from a distance: a
    // side dock gets the compact design instead, which keeps fewer figures but larger.
    m_layout = map::layoutMap(m_model->state());
    const double fullScale = std::min(width() / m_layout.canvas.width(), height() / m_layout.canvas.height());
    if (fullScale < 0.7 && width() > 0)
        m_layout = map::layoutMap(m_model->state(), true, height() * map::kCompactCanvasWidth / width());
    m_layoutSize = size();
    updateTransform();
}

void ServiceMapView::ensureLayout() const
{
    if (m_layoutSize != size())
        const_cast<ServiceMapView *>(this)->relayout();
}

bool ServiceMapView::isCompact() const
{
    ensureLayout();
    return m_layout.compact;
}

void ServiceMapView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    relayout();
}

void ServiceMapView::updateTransform()
{
    const QSizeF canvas = m_layout.canvas.isEmpty() ? QSizeF(map::kCanvasWidth, 980) : m_layout.canvas;
    const double s = std::min(width() / canvas.width(), height() / canvas.height());
    const double dx = (width() - canvas.width() * s) / 2, dy = (height() - canvas.height() * s) / 2;
    m_toWidget = QTransform(s, 0, 0, s, dx, dy);
    m_toCanvas = m_toWidget.inverted();
}

void ServiceMapView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Window));
    if (m_model->rowCount() == 0) {
        p.setPen(palette().color(QPalette::WindowText));
        QFont f = font();
        f.setPixelSize(22);
        p.setFont(f);
        p.drawText(rect(), Qt::AlignCenter, Tr::tr("Waiting for the first snapshot of the cluster…"));
        return;
    }
    ensureLayout();
    p.setTransform(m_toWidget);
    map::PaintOptions o;
    o.palette = palette();
    o.selectedRow = m_model->rowOf(m_selected);
    o.focusRow = hasFocus() ? m_focusRow : -1;
    o.hoverRow = m_hoverRow;
    map::paintMap(p, m_model->state(), m_layout, o);
}

int ServiceMapView::nodeAt(const QPoint &widgetPos) const
{
    ensureLayout();
    const QPointF c = m_toCanvas.map(QPointF(widgetPos));
    for (std::size_t i = 0; i < m_layout.nodes.size(); ++i)
        if (m_layout.nodes[i].contains(c))
            return int(i);
    return -1;
}

QRect ServiceMapView::nodeRect(const QString &componentId) const
{
    ensureLayout();
    const int row = m_model->rowOf(componentId);
    if (row < 0 || std::size_t(row) >= m_layout.nodes.size())
        return {};
    return m_toWidget.mapRect(m_layout.nodes[std::size_t(row)]).toAlignedRect();
}

QString ServiceMapView::focusedComponent() const
{
    return m_focusRow >= 0 && m_focusRow < m_model->rowCount() ? m_model->node(m_focusRow).id : QString();
}

void ServiceMapView::select(int row, bool notify)
{
    const QString id = row >= 0 && row < m_model->rowCount() ? m_model->node(row).id : QString();
    if (id == m_selected)
        return;
    m_selected = id;
    update();
    updateAccessibleText();
    if (notify)
        Q_EMIT componentSelected(id);
}

void ServiceMapView::setSelectedComponent(const QString &componentId)
{
    select(m_model->rowOf(componentId), false);
}

void ServiceMapView::setFocusRow(int row)
{
    m_focusRow = row;
    update();
    updateAccessibleText();
}

void ServiceMapView::mousePressEvent(QMouseEvent *event)
{
    setFocus(Qt::MouseFocusReason);
    const int row = nodeAt(event->position().toPoint());
    if (event->button() == Qt::LeftButton) {
        select(row, true);
        if (row >= 0)
            setFocusRow(row);
    } else if (event->button() == Qt::RightButton && row >= 0) {
        setFocusRow(row);
    }
    QWidget::mousePressEvent(event);
}

void ServiceMapView::mouseMoveEvent(QMouseEvent *event)
{
    const int row = nodeAt(event->position().toPoint());
    if (row != m_hoverRow) {
        m_hoverRow = row;
        setCursor(row >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
        update();
    }
    QWidget::mouseMoveEvent(event);
}

void ServiceMapView::leaveEvent(QEvent *event)
{
    m_hoverRow = -1;
    update();
    QWidget::leaveEvent(event);
}

void ServiceMapView::keyPressEvent(QKeyEvent *event)
{
    const int rows = m_model->rowCount();
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
        if (m_focusRow >= 0)
            select(m_focusRow, true);
        return;
    case Qt::Key_Escape:
        if (!m_selected.isEmpty()) {
            select(-1, true);
            return;
        }
        break;
    case Qt::Key_Right:
    case Qt::Key_Down:
        if (rows > 0)
            setFocusRow((m_focusRow + 1) % rows);
        return;
    case Qt::Key_Left:
    case Qt::Key_Up:
        if (rows > 0)
            setFocusRow(m_focusRow <= 0 ? rows - 1 : m_focusRow - 1);
        return;
    case Qt::Key_Menu:
        if (m_focusRow >= 0) {
            const QRect r = nodeRect(m_model->node(m_focusRow).id);
            QContextMenuEvent menu(QContextMenuEvent::Keyboard, r.center(), mapToGlobal(r.center()));
            contextMenuEvent(&menu);
        }
        return;
    default:
        break;
    }
    QWidget::keyPressEvent(event);
}

void ServiceMapView::focusInEvent(QFocusEvent *event)
{
    const int rows = m_model->rowCount();
    if (event->reason() == Qt::TabFocusReason || (m_focusRow < 0 && rows > 0))
        m_focusRow = rows > 0 ? 0 : -1;
    else if (event->reason() == Qt::BacktabFocusReason)
        m_focusRow = rows - 1;
    update();
    updateAccessibleText();
    QWidget::focusInEvent(event);
}

void ServiceMapView::focusOutEvent(QFocusEvent *event)
{
    update();
    QWidget::focusOutEvent(event);
}

bool ServiceMapView::focusNextPrevChild(bool next)
{
    // Tab walks the nodes first; past the last (or before the first) it leaves the map.
    const int rows = m_model->rowCount();
    if (hasFocus() && rows > 0) {
        const int target = m_focusRow + (next ? 1 : -1);
        if (target >= 0 && target < rows) {
            setFocusRow(target);
            return true;
        }
    }
    return QWidget::focusNextPrevChild(next);
}

bool ServiceMapView::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int row = nodeAt(help->pos());
        if (row >= 0)
            QToolTip::showText(help->globalPos(), toolTipFor(row), this, nodeRect(m_model->node(row).id));
        else
            QToolTip::hideText();
        return true;
    }
    if (event->type() == QEvent::KeyPress) {
        // Shift+F10 is the other keyboard spelling of "context menu".
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_F10 && key->modifiers() == Qt::ShiftModifier) {
            QKeyEvent menu(QEvent::KeyPress, Qt::Key_Menu, Qt::NoModifier);
            keyPressEvent(&menu);
            return true;
        }
    }
    return QWidget::event(event);
}

QString ServiceMapView::toolTipFor(int row) const
{
    const MapNode &n = m_model->node(row);
    QString html = QStringLiteral("<b style='font-size:large'>%1</b> &nbsp;<code>deployment/%2</code><br>")
                       .arg(n.title.toHtmlEscaped(), n.id.toHtmlEscaped());
    html += Tr::tr("State: <b>%1</b>").arg(map::healthLabel(n.health));
    for (const QString &reason : n.reasons)
        html += QStringLiteral("<br>• ") + reason.toHtmlEscaped();
    html += QStringLiteral("<table cellspacing=0 cellpadding=3 style='margin-top:6px'><tr><th align=left>%1</th>"
                           "<th>%2</th><th>%3</th><th>%4</th><th>%5</th><th>%6</th><th>%7</th></tr>")
                .arg(Tr::tr("Region"), Tr::tr("State"), Tr::tr("Ready"), Tr::tr("Requests"), Tr::tr("Errors"),
                     Tr::tr("p99"), Tr::tr("Utilization"));
    for (const map::RegionCell &c : n.regions)
        html += QStringLiteral("<tr><td>%1</td><td align=center><font color='%2'>■</font> %3</td><td align=right>%4/%5</td>"
                               "<td align=right>%6</td><td align=right>%7</td><td align=right>%8</td><td align=right>%9</td></tr>")
                    .arg(c.region.toHtmlEscaped(), map::healthColor(c.health).name(), map::healthLabel(c.health))
                    .arg(c.ready)
                    .arg(c.desired)
                    .arg(map::formatRate(c.requestsPerSec), map::formatRatio(c.errorRatio),
                         map::formatSeconds(c.latencyP99Sec), map::formatRatio(c.utilization));
    html += QStringLiteral("</table>");
    if (!n.alerts.empty()) {
        html += Tr::tr("<b>Firing alerts</b>");
        for (const map::NodeAlert &a : n.alerts)
            html += QStringLiteral("<br>%1 %2%3%4")
                        .arg(a.severity, a.name.toHtmlEscaped(),
                             a.region.isEmpty() ? QString() : QStringLiteral(" (") + a.region + QLatin1Char(')'),
                             a.summary.isEmpty() ? QString() : QStringLiteral(": ") + a.summary.toHtmlEscaped());
    }
    html += QStringLiteral("<br><i>") + Tr::tr("Click to filter the console to it; right-click for actions.") +
            QStringLiteral("</i>");
    return html;
}

QString ServiceMapView::activeRegion() const
{
    for (const map::MapRegion &r : m_model->state().regions)
        if (r.active)
            return r.name;
    return {};
}

void ServiceMapView::updateAccessibleText()
{
    QStringList parts;
    if (m_focusRow >= 0 && m_focusRow < m_model->rowCount()) {
        const MapNode &n = m_model->node(m_focusRow);
        parts << Tr::tr("%1, %2, %3 of %4 ready").arg(n.title, map::healthLabel(n.health)).arg(n.ready).arg(n.desired);
        if (!n.reasons.isEmpty())
            parts << n.reasons.first();
    }
    if (!m_selected.isEmpty())
        parts << Tr::tr("selected: %1").arg(map::componentTitle(m_selected));
    const QString text = parts.join(QStringLiteral("; "));
    if (text != accessibleDescription()) {
        setAccessibleDescription(text);
        if (hasFocus()) {
            QAccessibleEvent ev(this, QAccessible::DescriptionChanged);
            QAccessible::updateAccessibility(&ev);
        }
    }
}

} // namespace opsdeck::widgets
