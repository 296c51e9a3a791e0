// AlertFilterProxy (filters, sorting, severity icons, new-P1 flash): apart from AlertQueueView so each reads in one sitting.
#include "alert_filter_proxy.h"

#include "../models/alert_queue_model.h"

#include <QPainter>
#include <QPixmap>
#include <QTimer>

namespace opsdeck::widgets {

namespace alerting = telemetry::alerting;
using models::AlertQueueModel;

namespace {
constexpr int kFlashIntervalMs = 300;
constexpr int kFlashHalfBlinks = 8; // ~2.4 s: noticeable, then it settles

// The label that names what is affected. The runbook rules do not all carry `service`:
// error rules label the `agent`, scrape rules the `job`; show (and silence on) the first
// one present.
const char *const kServiceLabels[] = {"service", "agent", "deployment", "job", "component"};
} // namespace

std::pair<std::string, std::string> AlertFilterProxy::serviceLabel(const telemetry::Labels &labels)
{
    for (const char *name : kServiceLabels)
        if (const std::string &value = labels.get(name); !value.empty())
            return {name, value};
    return {};
}

QIcon AlertFilterProxy::severityIcon(int severity) const
{
    const size_t slot = severity >= 1 && severity <= 4 ? size_t(severity) : 0;
    if (!m_icons[slot].isNull())
        return m_icons[slot];
    // A filled disc in the severity colour with the digit: readable without colour vision.
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(AlertQueueModel::severityColor(slot ? alerting::Severity(slot) : alerting::Severity::Unknown));
    p.drawEllipse(QRectF(2, 2, 28, 28));
    p.setPen(Qt::white);
    QFont font = p.font();
    font.setBold(true);
    font.setPixelSize(18);
    p.setFont(font);
    p.drawText(QRectF(0, 0, 32, 32), Qt::AlignCenter, slot ? QString::number(slot) : QStringLiteral("?"));
    p.end();
    m_icons[slot] = QIcon(pixmap);
    return m_icons[slot];
}

AlertFilterProxy::AlertFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(AlertQueueModel::SortRole);
    setDynamicSortFilter(true);
    m_flashTimer = new QTimer(this);
    m_flashTimer->setInterval(kFlashIntervalMs);
    connect(m_flashTimer, &QTimer::timeout, this, &AlertFilterProxy::onFlashTick);
}

void AlertFilterProxy::setSeverityShown(int severity, bool shown)
{
    if (severity < 1 || severity > 4 || m_severityShown[size_t(severity - 1)] == shown)
        return;
    m_severityShown[size_t(severity - 1)] = shown;
    invalidateRowsFilter();
}

bool AlertFilterProxy::severityShown(int severity) const
{
    return severity >= 1 && severity <= 4 && m_severityShown[size_t(severity - 1)];
}

void AlertFilterProxy::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_search)
        return;
    m_search = trimmed;
    invalidateRowsFilter();
}

void AlertFilterProxy::setComponentFilter(const QString &component)
{
    if (component == m_component)
        return;
    m_component = component;
    invalidateRowsFilter();
}

namespace {
// Whether an alert concerns `component`: one of its naming labels says so (the job and
// deployment are named after the component; a pod starts with it). Alerts with none of
// those labels are cluster-wide and concern every component.
bool concernsComponent(const telemetry::Labels &labels, const std::string &component)
{
    bool named = false;
    for (const char *name : {"service", "agent", "deployment", "job", "component", "app", "container"}) {
        const std::string &value = labels.get(name);
        if (value.empty())
            continue;
        named = true;
        if (value == component)
            return true;
    }
    if (const std::string &pod = labels.get("pod"); !pod.empty()) {
        named = true;
        if (pod.rfind(component + "-", 0) == 0)
            return true;
    }
    return !named;
}
} // namespace

bool AlertFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *source = sourceModel();
    const int severity =
        source->index(sourceRow, 0, sourceParent).data(AlertQueueModel::SeverityRole).toInt();
    if (severity >= 1 && severity <= 5 && !m_severityShown[size_t(severity - 1)])
        return false;
    if (!m_component.isEmpty()) {
        const auto *model = qobject_cast<const AlertQueueModel *>(source);
        if (model && !concernsComponent(model->alertAt(sourceRow).alert.labels,
                                        m_component.toStdString()))
            return false;
    }
    if (m_search.isEmpty())
        return true;
    for (int column : {int(AlertQueueModel::AlertColumn), int(AlertQueueModel::ServiceColumn),
                       int(AlertQueueModel::SummaryColumn)}) {
        if (source->index(sourceRow, column, sourceParent)
                .data()
                .toString()
                .contains(m_search, Qt::CaseInsensitive))
            return true;
    }
    // The service as shown, when it comes from another label than `service`.
    if (const auto *model = qobject_cast<const AlertQueueModel *>(source))
        return QString::fromStdString(serviceLabel(model->alertAt(sourceRow).alert.labels).second)
            .contains(m_search, Qt::CaseInsensitive);
    return false;
}

QVariant AlertFilterProxy::data(const QModelIndex &index, int role) const
{
    if (role == Qt::DisplayRole && index.column() == AlertQueueModel::ServiceColumn) {
        const QString shown = QSortFilterProxyModel::data(index, role).toString();
        if (!shown.isEmpty() || !sourceModel())
            return shown;
        const auto *model = qobject_cast<const AlertQueueModel *>(sourceModel());
        if (!model)
            return shown;
        const int row = mapToSource(index).row();
        return QString::fromStdString(serviceLabel(model->alertAt(row).alert.labels).second);
    }
    if (role == Qt::DisplayRole && index.column() == AlertQueueModel::ValueColumn) {
        // Rule values arrive as full-precision text ("1.78333333333"): four digits are enough.
        const QString text = QSortFilterProxyModel::data(index, role).toString();
        bool isNumber = false;
        const double value = text.toDouble(&isNumber);
        return isNumber ? QString::number(value, 'g', 4) : text;
    }
    if (role == Qt::DecorationRole && index.column() == AlertQueueModel::SeverityColumn)
        return severityIcon(
            QSortFilterProxyModel::data(index, AlertQueueModel::SeverityRole).toInt());
    if (role == Qt::BackgroundRole && m_flashOn && !m_flashTicksLeft.empty()) {
        const quint64 fp =
            QSortFilterProxyModel::data(index, AlertQueueModel::FingerprintRole).value<quint64>();
        if (m_flashTicksLeft.count(fp)) {
            QColor flash = AlertQueueModel::severityColor(alerting::Severity::P1);
            flash.setAlpha(90);
            return flash;
        }
    }
    return QSortFilterProxyModel::data(index, role);
}

void AlertFilterProxy::flash(quint64 fingerprint)
{
    m_flashTicksLeft[fingerprint] = kFlashHalfBlinks;
    m_flashOn = true;
    refreshFlashRows({fingerprint});
    if (!m_flashTimer->isActive())
        m_flashTimer->start();
}

void AlertFilterProxy::onFlashTick()
{
    m_flashOn = !m_flashOn;
    std::set<quint64> touched;
    for (auto it = m_flashTicksLeft.begin(); it != m_flashTicksLeft.end();) {
        touched.insert(it->first);
        it = --it->second <= 0 ? m_flashTicksLeft.erase(it) : std::next(it);
    }
    if (m_flashTicksLeft.empty()) {
        m_flashTimer->stop();
        m_flashOn = false;
    }
    refreshFlashRows(touched);
}

void AlertFilterProxy::refreshFlashRows(const std::set<quint64> &fingerprints)
{
    const int columns = columnCount();
    for (int row = 0; row < rowCount(); ++row) {
        const QModelIndex first = index(row, 0);
        if (fingerprints.count(first.data(AlertQueueModel::FingerprintRole).value<quint64>()))
            Q_EMIT dataChanged(first, index(row, columns - 1), {Qt::BackgroundRole});
    }
}

} // namespace opsdeck::widgets
