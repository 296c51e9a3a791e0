#include "alert_queue_view.h"

#include "../models/alert_queue_model.h"
#include "widgets_tr.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <QCoro/QCoroTask>

namespace opsdeck::widgets {

namespace alerting = telemetry::alerting;
using models::AlertQueueModel;

namespace {
constexpr qint64 kMinuteMs = 60'000;
// Only alerts that started firing this recently flash: a backlog seen at once (start-up,
// a screenshot after a long catch-up) is not news.
constexpr qint64 kFlashIfFiredWithinMs = 60'000;

QString defaultOperator()
{
    QString name = qEnvironmentVariable("USER");
    return name.isEmpty() ? QStringLiteral("operator") : name;
}

bool isFiring(const alerting::QueuedAlert &a)
{
    return !a.resolved && a.status.state != alerting::AlertStatus::State::Suppressed;
}
} // namespace

AlertQueueView::AlertQueueView(backends::ClusterBackend *backend, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
    , m_operator(defaultOperator())
{
    setObjectName(QStringLiteral("alertQueueView"));
    m_model = new AlertQueueModel(this);
    m_proxy = new AlertFilterProxy(this);
    m_proxy->setSourceModel(m_model);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);
    auto *bar = new QWidget(this);
    layout->addWidget(bar);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("alertTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(AlertQueueModel::SeverityColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setIconSize(QSize(16, 16));
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(26);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(AlertQueueModel::SummaryColumn,
                                                      QHeaderView::Stretch);
    const std::pair<int, int> widths[] = {
        {AlertQueueModel::SeverityColumn, 70}, {AlertQueueModel::AlertColumn, 230},
        {AlertQueueModel::ServiceColumn, 150}, {AlertQueueModel::StateColumn, 90},
        {AlertQueueModel::SinceColumn, 150},   {AlertQueueModel::ValueColumn, 90},
        {AlertQueueModel::DeadlineColumn, 130}, {AlertQueueModel::AcknowledgedByColumn, 150}};
    for (auto [column, width] : widths)
        m_table->setColumnWidth(column, width);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, &AlertQueueView::showContextMenu);
    layout->addWidget(m_table, 1);

    buildToolBar(bar);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AlertQueueView::updateActions);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &AlertQueueView::updateActions);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &AlertQueueView::updateActions);
    connect(m_proxy, &QAbstractItemModel::dataChanged, this, &AlertQueueView::updateActions);

    connect(backend, &backends::ClusterBackend::snapshotPublished, this,
            &AlertQueueView::showSnapshot);
    if (auto latest = backend->latestSnapshot())
        showSnapshot(latest);
    updateActions();
}

AlertQueueView::~AlertQueueView() = default;

void AlertQueueView::buildToolBar(QWidget *bar)
{
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(6);

    m_search = new QLineEdit(bar);
    m_search->setObjectName(QStringLiteral("alertSearch"));
    m_search->setClearButtonEnabled(true);
    //: Placeholder of the alert search box
    m_search->setPlaceholderText(Tr::tr("Search alert, service or summary (Ctrl+F)"));
    m_search->setMinimumWidth(180);
    connect(m_search, &QLineEdit::textChanged, m_proxy, &AlertFilterProxy::setSearchText);
    row->addWidget(m_search);

    // Shown while the service map narrows the queue to one component; click to clear.
    m_componentChip = new QToolButton(bar);
    m_componentChip->setObjectName(QStringLiteral("componentFilterChip"));
    m_componentChip->setToolTip(Tr::tr("Showing only this component's alerts; click to show all"));
    m_componentChip->setVisible(false);
    connect(m_componentChip, &QToolButton::clicked, this, [this]() { setComponentFilter({}); });
    row->addWidget(m_componentChip);

    row->addSpacing(12);
    for (int severity = 1; severity <= 4; ++severity) {
        auto *button = new QToolButton(bar);
        button->setCheckable(true);
        button->setChecked(true);
        button->setText(QStringLiteral("P%1").arg(severity));
        button->setIcon(m_proxy->severityIcon(severity));
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        //: Tooltip of a severity filter button; %1 is P1..P4
        button->setToolTip(Tr::tr("Show %1 alerts").arg(button->text()));
        connect(button, &QToolButton::toggled, this,
                [this, severity](bool on) { m_proxy->setSeverityShown(severity, on); });
        m_severityButtons[size_t(severity)] = button;
        row->addWidget(button);
    }
    row->addStretch(1);

    m_ackAction = new QAction(Tr::tr("Acknowledge…"), this);
    m_ackAction->setToolTip(Tr::tr("Acknowledge the selected alert (Ctrl+K)"));
    connect(m_ackAction, &QAction::triggered, this, &AlertQueueView::askAndAcknowledge);
    auto *ackButton = new QToolButton(bar);
    ackButton->setDefaultAction(m_ackAction);
    row->addWidget(ackButton);

    m_declareAction = new QAction(Tr::tr("Declare incident…"), this);
    m_declareAction->setToolTip(Tr::tr("Open an incident for the selected alert (Ctrl+I)"));
    connect(m_declareAction, &QAction::triggered, this,
            [this]() { declareIncidentFromSelected(); });
    auto *declareButton = new QToolButton(bar);
    declareButton->setDefaultAction(m_declareAction);
    row->addWidget(declareButton);

    auto *silenceMenu = new QMenu(this);
    const std::pair<qint64, QString> durations[] = {{15 * kMinuteMs, Tr::tr("15 minutes")},
                                                    {60 * kMinuteMs, Tr::tr("1 hour")},
                                                    {240 * kMinuteMs, Tr::tr("4 hours")}};
    for (const auto &[ms, label] : durations) {
        //: Silence menu entry; %1 is "15 minutes", "1 hour", "4 hours"
        QAction *action = silenceMenu->addAction(Tr::tr("Silence for %1").arg(label));
        connect(action, &QAction::triggered, this, [this, ms = ms]() { silenceSelected(ms); });
        m_silenceActions[ms] = action;
    }
    m_silenceButton = new QToolButton(bar);
    m_silenceButton->setText(Tr::tr("Silence"));
    m_silenceButton->setToolTip(Tr::tr("Silence this alert name on this service"));
    m_silenceButton->setMenu(silenceMenu);
    m_silenceButton->setPopupMode(QToolButton::InstantPopup);
    row->addWidget(m_silenceButton);
}

QToolButton *AlertQueueView::severityButton(int severity) const
{
    return severity >= 1 && severity <= 4 ? m_severityButtons[size_t(severity)] : nullptr;
}

void AlertQueueView::showSnapshot(const backends::SnapshotPtr &snapshot)
{
    if (!snapshot || !snapshot->alerts)
        return;
    const auto &alerts = *snapshot->alerts;
    m_model->setAlerts(alerts, snapshot->epochMs);

    std::array<int, 5> firing{};
    for (const auto &a : alerts) {
        const int severity = int(a.severity);
        if (isFiring(a) && severity >= 1 && severity <= 4)
            ++firing[size_t(severity)];
        // A P1 that was not in the queue before: draw the eye, but leave focus alone.
        if (m_seen.insert(a.alert.fingerprint).second && !m_firstSnapshot
            && a.severity == alerting::Severity::P1 && isFiring(a)
            && snapshot->epochMs - a.alert.startsAtMs <= kFlashIfFiredWithinMs) {
            m_proxy->flash(a.alert.fingerprint);
            Q_EMIT newP1Firing(a);
        }
    }
    m_firstSnapshot = false;
    if (firing != m_firing) {
        m_firing = firing;
        Q_EMIT firingCountsChanged();
    }
}

int AlertQueueView::selectedSourceRow() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return -1;
    return m_proxy->mapToSource(rows.first()).row();
}

void AlertQueueView::updateActions()
{
    const int row = selectedSourceRow();
    const bool selected = row >= 0;
    const bool firing = selected && !m_model->alertAt(row).resolved;
    m_ackAction->setEnabled(firing && !m_model->alertAt(row).ack);
    m_silenceButton->setEnabled(firing);
    // A resolved alert can still be the reason for an incident (a flapping page).
    m_declareAction->setEnabled(selected);
    for (auto &[ms, action] : m_silenceActions)
        action->setEnabled(firing);
}

bool AlertQueueView::acknowledgeSelected(const QString &comment)
{
    const int row = selectedSourceRow();
    if (row < 0)
        return false;
    const auto &a = m_model->alertAt(row);
    const QString name = QString::fromStdString(a.alert.labels.get("alertname"));
    QCoro::connect(m_backend->acknowledge(a.alert.fingerprint, m_operator, comment), this,
                   [this, name](const backends::Status &status) {
                       if (status)
                           Q_EMIT actionFinished(Tr::tr("Acknowledged %1").arg(name), true);
                       else
                           Q_EMIT actionFinished(Tr::tr("Could not acknowledge %1: %2")
                                                     .arg(name, QString::fromStdString(status.error())),
                                                 false);
                   });
    return true;
}

bool AlertQueueView::silenceSelected(qint64 durationMs, const QString &comment)
{
    const int row = selectedSourceRow();
    if (row < 0)
        return false;
    const auto &labels = m_model->alertAt(row).alert.labels;
    // alertname + service, so the silence covers this problem on this service only (the
    // service being whichever of service/agent/deployment/job labels it). An alert without
    // any of them is silenced by its own full label set instead.
    alerting::Matchers matchers;
    const auto [serviceName, serviceValue] = AlertFilterProxy::serviceLabel(labels);
    for (const auto &[labelName, labelValue] : labels.items()) {
        if (!serviceName.empty() && labelName != "alertname" && labelName != serviceName)
            continue;
        auto matcher = alerting::Matcher::create(labelName, alerting::Matcher::Op::Equal, labelValue);
        if (!matcher) {
            Q_EMIT actionFinished(QString::fromStdString(matcher.error()), false);
            return true;
        }
        matchers.push_back(*matcher);
    }
    const QString name = QString::fromStdString(labels.get("alertname"));
    const QString text = comment.isEmpty()
                             ? Tr::tr("Silenced from the OpsDeck alert queue")
                             : comment;
    QCoro::connect(m_backend->silence(std::move(matchers), durationMs, m_operator, text), this,
                   [this, name, durationMs](const Result<std::string> &id) {
                       if (id)
                           Q_EMIT actionFinished(Tr::tr("Silenced %1 for %2")
                                                     .arg(name, AlertQueueModel::formatDuration(durationMs)),
                                                 true);
                       else
                           Q_EMIT actionFinished(Tr::tr("Could not silence %1: %2")
                                                     .arg(name, QString::fromStdString(id.error())),
                                                 false);
                   });
    return true;
}

void AlertQueueView::askAndAcknowledge()
{
    if (selectedSourceRow() < 0) {
        Q_EMIT actionFinished(Tr::tr("Select an alert to acknowledge"), false);
        return;
    }
    bool ok = false;
    const QString comment = QInputDialog::getText(this, Tr::tr("Acknowledge alert"),
                                                  Tr::tr("Comment (optional):"), QLineEdit::Normal,
                                                  QString(), &ok);
    if (ok)
        acknowledgeSelected(comment);
}

void AlertQueueView::setComponentFilter(const QString &component)
{
    m_proxy->setComponentFilter(component);
    //: Chip in the alert queue's toolbar; %1 is a component such as model-server
    m_componentChip->setText(Tr::tr("%1 ✕").arg(component));
    m_componentChip->setVisible(!component.isEmpty());
    updateActions();
}

bool AlertQueueView::declareIncidentFromSelected()
{
    const int row = selectedSourceRow();
    if (row < 0) {
        Q_EMIT actionFinished(Tr::tr("Select an alert to declare an incident for"), false);
        return false;
    }
    Q_EMIT declareIncidentRequested(m_model->alertAt(row));
    return true;
}

void AlertQueueView::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void AlertQueueView::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_table->indexAt(pos);
    if (!index.isValid())
        return;
    m_table->selectRow(index.row());
    QMenu menu(this);
    menu.addAction(m_ackAction);
    menu.addAction(m_declareAction);
    menu.addSeparator();
    for (auto &[ms, action] : m_silenceActions)
        menu.addAction(action);
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

} // namespace opsdeck::widgets
