#include "widgets/incidents/incidents_view.h"

#include "widgets/incidents/declare_incident_dialog.h"
#include "widgets/incidents/incident_detail_panel.h"
#include "widgets/incidents/incident_style.h"
#include "widgets/theme.h"
#include "widgets/widgets_tr.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace opsdeck::widgets {
namespace {
using models::IncidentListModel;

// Severity as a coloured badge, the state in its colour, an overdue countdown in red:
// the list answers "what is burning" at a glance.
class IncidentListDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const int severity = index.data(IncidentListModel::SeverityRole).toInt();
        const auto state = models::IncidentState(index.data(IncidentListModel::StateRole).toInt());
        switch (index.column()) {
        case IncidentListModel::SeverityColumn:
            option->backgroundBrush = incidents::severityColor(severity);
            option->palette.setColor(QPalette::Text, Qt::white);
            option->palette.setColor(QPalette::HighlightedText, Qt::white);
            option->font.setBold(true);
            option->displayAlignment = Qt::AlignCenter;
            break;
        case IncidentListModel::StateColumn:
            option->palette.setColor(QPalette::Text, incidents::stateColor(state));
            option->font.setBold(true);
            option->text = incidents::stateLabel(state);
            break;
        case IncidentListModel::DeadlineColumn:
            if (index.data(IncidentListModel::OverdueRole).toBool()) {
                option->palette.setColor(QPalette::Text, theme::p1());
                option->font.setBold(true);
            }
            break;
        default:
            break;
        }
    }
};
} // namespace

IncidentsView::IncidentsView(backends::ClusterBackend *backend, models::IncidentSession *session,
                             QWidget *parent)
    : QWidget(parent), m_backend(backend), m_session(session), m_model(new IncidentListModel(this)),
      m_proxy(new QSortFilterProxyModel(this)), m_list(new QTableView(this)), m_summary(new QLabel(this)),
      m_detail(new IncidentDetailPanel(session, this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(IncidentListModel::SortRole);
    m_list->setModel(m_proxy);
    m_list->setItemDelegate(new IncidentListDelegate(m_list));
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setSortingEnabled(true);
    m_list->sortByColumn(IncidentListModel::IdColumn, Qt::DescendingOrder);
    m_list->verticalHeader()->hide();
    m_list->setColumnHidden(IncidentListModel::CreatedColumn, true);
    m_list->horizontalHeader()->setSectionResizeMode(IncidentListModel::TitleColumn, QHeaderView::Stretch);
    m_list->horizontalHeader()->setSectionResizeMode(IncidentListModel::IdColumn, QHeaderView::ResizeToContents);
    m_list->horizontalHeader()->setSectionResizeMode(IncidentListModel::SeverityColumn, QHeaderView::ResizeToContents);
    m_list->setWordWrap(false);

    auto *declare = new QPushButton(Tr::tr("Declare incident..."), this);
    declare->setObjectName(QStringLiteral("declareIncident"));
    connect(declare, &QPushButton::clicked, this, &IncidentsView::declareManually);
    QFont summaryFont = m_summary->font();
    summaryFont.setBold(true);
    m_summary->setFont(summaryFont);
    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(declare);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(top);
    leftLayout->addWidget(m_list, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(left);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 4);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { m_detail->setIncident(selectedIncident()); });
    connect(m_detail, &IncidentDetailPanel::actionRequested, this, &IncidentsView::actionRequested);
    connect(m_detail, &IncidentDetailPanel::showDashboardsAt, this, &IncidentsView::showDashboardsAt);
    connect(session, &models::IncidentSession::incidentsChanged, this, &IncidentsView::reloadList);
    connect(session, &models::IncidentSession::incidentDeclared, this, [this](qint64 id) {
        reloadList();
        selectIncident(id);
    });
    if (backend)
        connect(backend, &backends::ClusterBackend::snapshotPublished, this, &IncidentsView::onClock);
    m_model->setNowMs(session->nowMs());
    reloadList();
    // The most urgent open incident is what a commander opens the tab for.
    if (m_proxy->rowCount() > 0)
        selectIncident(m_proxy->index(0, 0).data(IncidentListModel::IncidentIdRole).toLongLong());
}

int64_t IncidentsView::selectedIncident() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.data(IncidentListModel::IncidentIdRole).toLongLong() : 0;
}

void IncidentsView::selectIncident(int64_t incidentId)
{
    const int row = m_model->rowOf(incidentId);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, IncidentListModel::TitleColumn));
    m_list->setCurrentIndex(index);
    m_list->scrollTo(index);
    if (m_detail->incidentId() != incidentId)
        m_detail->setIncident(incidentId);
}

void IncidentsView::reloadList()
{
    int open = 0, overdue = 0;
    for (const auto &incident : m_session->incidents()) {
        m_model->upsertIncident(incident); // in place: the selection stays
        if (incident.state != models::IncidentState::Resolved && incident.state != models::IncidentState::Cancelled)
            ++open;
    }
    for (int row = 0; row < m_model->rowCount(); ++row)
        overdue += m_model->index(row, 0).data(IncidentListModel::OverdueRole).toBool() ? 1 : 0;
    m_summary->setText(overdue > 0 ? Tr::tr("%1 open incidents, %2 past the response deadline").arg(open).arg(overdue)
                                   : Tr::tr("%1 open incidents").arg(open));
}

void IncidentsView::onClock()
{
    const qint64 now = m_session->nowMs();
    // Countdowns show seconds: repaint at most once per second of the backend's clock.
    if (now / 1000 == m_lastClockMs / 1000)
        return;
    m_lastClockMs = now;
    m_model->setNowMs(now);
    m_detail->updateClock();
}

void IncidentsView::openDeclareDialog(DeclareIncidentDialog *dialog)
{
    delete m_dialog;
    m_dialog = dialog;
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_session->declareIncident(dialog->incident(), dialog->services());
    });
    connect(dialog, &QDialog::finished, this, [this, dialog] {
        if (m_dialog == dialog)
            m_dialog = nullptr;
        dialog->deleteLater();
    });
    dialog->open();
}

void IncidentsView::declareFromAlert(const opsdeck::telemetry::alerting::QueuedAlert &alert)
{
    auto *dialog = new DeclareIncidentDialog(m_session->user(), this);
    dialog->suggestFromAlert(alert);
    openDeclareDialog(dialog);
}

void IncidentsView::declareManually()
{
    openDeclareDialog(new DeclareIncidentDialog(m_session->user(), this));
}

} // namespace opsdeck::widgets
