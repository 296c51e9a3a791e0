#include "dashboard_view.h"
#include "dashboard_view_p.h"

#include "../models/panel_data_model.h"
#include "add_panel_dialog.h"
#include "cluster_summary_panel.h"
#include "metric_tile.h"
#include "panel_view.h"
#include "theme.h"
#include "widgets_tr.h"

#include <QButtonGroup>
#include <QDateTime>
#include <QGridLayout>
#include <QImage>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSettings>
#include <QStackedWidget>
#include <QTabBar>
#include <QToolButton>
#include <QVBoxLayout>

namespace opsdeck::widgets {

namespace {
constexpr qint64 kMinuteMs = 60 * 1000;
const QString kSettingsGroup = QStringLiteral("dashboards/userPanels/");
} // namespace

DashboardView::DashboardView(backends::ClusterBackend *backend, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
{
    setObjectName(QStringLiteral("dashboards"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 10);
    layout->setSpacing(6);
    buildTopBar();
    m_stack = new QStackedWidget(this);
    layout->addWidget(m_stack, 1);

    m_summary = new ClusterSummaryPanel(this);
    for (const models::DashboardDefinition &dashboard : models::builtInDashboards())
        addDashboard(dashboard);
    loadUserPanels();
    connect(m_tabs, &QTabBar::currentChanged, this, [this](int index) {
        m_stack->setCurrentIndex(index);
        applyActivity();
        Q_EMIT currentDashboardChanged(index);
    });
    connect(backend, &backends::ClusterBackend::snapshotPublished, this, &DashboardView::onSnapshot);
    applyActivity();
    if (auto latest = backend->latestSnapshot())
        onSnapshot(latest);
}

DashboardView::~DashboardView() = default;

void DashboardView::buildTopBar()
{
    auto *bar = new QHBoxLayout;
    bar->setSpacing(6);
    m_tabs = new QTabBar(this);
    m_tabs->setObjectName(QStringLiteral("dashboardTabs"));
    m_tabs->setDrawBase(false);
    m_tabs->setExpanding(false);
    QFont tabFont = font();
    tabFont.setPointSizeF(tabFont.pointSizeF() * 1.1);
    tabFont.setWeight(QFont::DemiBold);
    m_tabs->setFont(tabFont);
    bar->addWidget(m_tabs);
    bar->addSpacing(12);

    m_filterChip = new QLabel(this);
    m_filterChip->setObjectName(QStringLiteral("componentFilter"));
    m_filterChip->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; border-radius: 3px;"
                                               " padding: 2px 8px; font-weight: bold; }")
                                    .arg(palette().color(QPalette::Highlight).name()));
    m_filterChip->hide();
    bar->addWidget(m_filterChip);
    m_clearFilter = new QToolButton(this);
    m_clearFilter->setText(QStringLiteral("✕"));
    m_clearFilter->setAutoRaise(true);
    m_clearFilter->setToolTip(Tr::tr("Show all components"));
    m_clearFilter->hide();
    connect(m_clearFilter, &QToolButton::clicked, this, [this]() { setComponentFilter({}); });
    bar->addWidget(m_clearFilter);
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("dashboardProblem"));
    m_problem->setStyleSheet(QStringLiteral("color: %1; font-weight: bold").arg(theme::p1().name()));
    m_problem->hide();
    bar->addWidget(m_problem, 1);
    bar->addStretch(1);
    // While looking at a past moment: says which, and one click goes back to live.
    m_liveButton = new QToolButton(this);
    m_liveButton->setObjectName(QStringLiteral("backToLive"));
    m_liveButton->setStyleSheet(QStringLiteral("QToolButton { background: %1; color: black; font-weight: bold;"
                                               " border-radius: 3px; padding: 2px 8px; }")
                                    .arg(theme::p2().name()));
    m_liveButton->hide();
    connect(m_liveButton, &QToolButton::clicked, this, [this]() { showMomentMs(0); });
    bar->addWidget(m_liveButton);

    m_rangeGroup = new QButtonGroup(this);
    m_rangeGroup->setExclusive(true);
    //: Dashboard time range buttons: 15 minutes, 1 hour, 6 hours, 24 hours
    const QStringList labels = {Tr::tr("15 m"), Tr::tr("1 h"), Tr::tr("6 h"), Tr::tr("24 h")};
    const QList<qint64> ranges = rangeChoicesMs();
    for (int i = 0; i < ranges.size(); ++i) {
        auto *button = new QToolButton(this);
        button->setText(labels[i]);
        button->setCheckable(true);
        button->setChecked(ranges[i] == m_rangeMs);
        button->setMinimumWidth(48);
        button->setToolTip(Tr::tr("Show the last %1").arg(labels[i]));
        m_rangeGroup->addButton(button, i);
        bar->addWidget(button);
    }
    connect(m_rangeGroup, &QButtonGroup::idClicked, this,
            [this](int id) { setRangeMs(rangeChoicesMs().value(id, 15 * kMinuteMs)); });
    bar->addSpacing(12);
    m_addButton = new QToolButton(this);
    m_addButton->setObjectName(QStringLiteral("addPanelButton"));
    m_addButton->setText(Tr::tr("+ Add panel…"));
    m_addButton->setToolTip(Tr::tr("Add a panel defined by a PromQL query to this dashboard"));
    connect(m_addButton, &QToolButton::clicked, this, [this]() { openAddPanelDialog(); });
    bar->addWidget(m_addButton);
    static_cast<QVBoxLayout *>(layout())->addLayout(bar);
}

QList<qint64> DashboardView::rangeChoicesMs()
{
    return {15 * kMinuteMs, 60 * kMinuteMs, 6 * 60 * kMinuteMs, 24 * 60 * kMinuteMs};
}

QToolButton *DashboardView::rangeButton(qint64 rangeMs) const
{
    if (!m_rangeGroup)
        return nullptr;
    return qobject_cast<QToolButton *>(m_rangeGroup->button(int(rangeChoicesMs().indexOf(rangeMs))));
}

int DashboardView::addDashboard(const models::DashboardDefinition &dashboard)
{
    auto page = std::make_unique<Page>();
    page->name = dashboard.name;
    page->scroll = new QScrollArea(m_stack);
    page->scroll->setWidgetResizable(true);
    page->scroll->setFrameShape(QFrame::NoFrame);
    page->body = new QWidget(page->scroll);
    page->grid = new QGridLayout(page->body);
    page->grid->setContentsMargins(0, 0, 0, 0);
    page->grid->setSpacing(10);
    page->scroll->setWidget(page->body);
    page->withSummary = m_pages.empty(); // the cluster summary sits beside system health
    for (const models::PanelDefinition &def : dashboard.panels)
        addPanelTo(*page, def, false);
    layoutPage(*page);
    m_stack->addWidget(page->scroll);
    m_tabs->addTab(dashboard.name);
    m_pages.push_back(std::move(page));
    return int(m_pages.size()) - 1;
}

PanelView *DashboardView::addPanelTo(Page &page, const models::PanelDefinition &definition, bool user)
{
    auto *model = new models::PanelDataModel(m_backend, definition, this);
    model->setActive(false); // applyActivity() wakes the page on screen
    model->setRangeMs(m_rangeMs);
    model->setComponentFilter(m_component);
    model->setStepOverrideMs(m_stepOverrideMs);
    model->setMomentMs(m_momentMs);
    auto *view = new PanelView(model, user, page.body);
    view->setObjectName(QStringLiteral("panelView"));
    view->setMarkers(m_markers);
    connect(view, &PanelView::removeRequested, this, &DashboardView::removePanel);
    connect(view, &PanelView::pinRequested, this, [this](PanelView *panel) {
        Q_EMIT pinRequested(panel->grab().toImage(), panel->model()->definition().title,
                            panel->model()->effectiveQuery(), panel->model()->fromMs(),
                            panel->model()->toMs());
    });
    page.views << view;
    page.models << model;
    page.user << user;
    return view;
}

void DashboardView::layoutPage(Page &page)
{
    while (page.grid->count() > 0)
        delete page.grid->takeAt(0);
    const int n = int(page.views.size());
    const int columns = n <= 4 ? 2 : 3;
    for (int i = 0; i < n; ++i)
        page.grid->addWidget(page.views[i], i / columns, i % columns);
    const int rows = std::max(1, (n + columns - 1) / columns);
    for (int c = 0; c < columns; ++c)
        page.grid->setColumnStretch(c, 3);
    for (int r = 0; r < rows; ++r)
        page.grid->setRowStretch(r, 1);
    if (page.withSummary) {
        page.grid->addWidget(m_summary, 0, columns, rows, 1);
        page.grid->setColumnStretch(columns, 2);
    }
}

QStringList DashboardView::dashboardNames() const
{
    QStringList names;
    for (const auto &page : m_pages)
        names << page->name;
    return names;
}

int DashboardView::currentDashboard() const
{
    return m_tabs ? m_tabs->currentIndex() : -1;
}

void DashboardView::setCurrentDashboard(int index)
{
    if (m_tabs && index >= 0 && index < m_tabs->count())
        m_tabs->setCurrentIndex(index);
}

bool DashboardView::setCurrentDashboard(const QString &name)
{
    const int index = int(dashboardNames().indexOf(name));
    setCurrentDashboard(index);
    return index >= 0;
}

QList<PanelView *> DashboardView::panels(int dashboard) const
{
    if (dashboard < 0 || std::size_t(dashboard) >= m_pages.size())
        return {};
    return m_pages[std::size_t(dashboard)]->views;
}

PanelView *DashboardView::panel(int dashboard, const QString &title) const
{
    for (PanelView *view : panels(dashboard))
        if (view->title() == title)
            return view;
    return nullptr;
}

Result<bool> DashboardView::loadDashboardFile(const QString &path)
{
    auto loaded = models::loadDashboardsFile(path);
    if (!loaded)
        return Error{loaded.error()};
    for (const auto &dashboard : *loaded)
        addDashboard(dashboard);
    applyActivity();
    return true;
}

PanelView *DashboardView::addPanel(const models::PanelDefinition &definition)
{
    if (m_pages.empty())
        return nullptr;
    Page &page = *m_pages[std::size_t(std::max(0, currentDashboard()))];
    PanelView *view = addPanelTo(page, definition, true);
    layoutPage(page);
    saveUserPanels(page);
    applyActivity();
    return view;
}

void DashboardView::removePanel(PanelView *view)
{
    for (auto &page : m_pages) {
        const qsizetype i = page->views.indexOf(view);
        if (i < 0 || !page->user[i])
            continue;
        models::PanelDataModel *model = page->models[i];
        page->views.removeAt(i);
        page->models.removeAt(i);
        page->user.removeAt(i);
        view->deleteLater();
        model->deleteLater();
        layoutPage(*page);
        saveUserPanels(*page);
        return;
    }
}

AddPanelDialog *DashboardView::openAddPanelDialog()
{
    auto *dialog = new AddPanelDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog]() { addPanel(dialog->definition()); });
    dialog->open();
    return dialog;
}

void DashboardView::saveUserPanels(const Page &page)
{
    QStringList stored;
    for (qsizetype i = 0; i < page.views.size(); ++i)
        if (page.user[i])
            stored << models::panelToJson(page.models[i]->definition());
    QSettings settings;
    settings.setValue(kSettingsGroup + page.name, stored);
}

void DashboardView::loadUserPanels()
{
    QSettings settings;
    for (auto &page : m_pages) {
        const QStringList stored = settings.value(kSettingsGroup + page->name).toStringList();
        for (const QString &json : stored) {
            auto panel = models::panelFromJson(json);
            if (!panel) {
                showProblem(Tr::tr("A saved panel of \"%1\" could not be read: %2")
                                .arg(page->name, QString::fromStdString(panel.error())));
                continue;
            }
            addPanelTo(*page, *panel, true);
        }
        layoutPage(*page);
    }
}

void DashboardView::showProblem(const QString &message)
{
    m_problem->setText(message);
    m_problem->setToolTip(message);
    m_problem->show();
    Q_EMIT problem(message);
}

void DashboardView::setRangeMs(qint64 rangeMs)
{
    m_rangeMs = rangeMs;
    if (QToolButton *button = rangeButton(rangeMs))
        button->setChecked(true);
    for (auto &page : m_pages)
        for (models::PanelDataModel *model : page->models)
            model->setRangeMs(rangeMs);
    for (MetricTile *tile : m_tiles)
        if (tile)
            tile->setWindowMs(rangeMs);
}

void DashboardView::showMomentMs(qint64 epochMs)
{
    m_momentMs = std::max<qint64>(0, epochMs);
    for (auto &page : m_pages)
        for (models::PanelDataModel *model : page->models)
            model->setMomentMs(m_momentMs);
    //: Dashboard toolbar while showing a past moment; %1 is a UTC time
    m_liveButton->setText(Tr::tr("At %1 UTC · back to live")
                              .arg(QDateTime::fromMSecsSinceEpoch(m_momentMs, Qt::UTC)
                                       .toString(QStringLiteral("HH:mm:ss"))));
    m_liveButton->setVisible(m_momentMs > 0);
}

void DashboardView::setComponentFilter(const QString &component)
{
    m_component = component;
    for (auto &page : m_pages)
        for (models::PanelDataModel *model : page->models)
            model->setComponentFilter(component);
    if (!m_filterChip)
        return;
    //: Chip on the dashboards when the service map selected a component
    m_filterChip->setText(Tr::tr("Component: %1").arg(component));
    m_filterChip->setVisible(!component.isEmpty());
    m_clearFilter->setVisible(!component.isEmpty());
}

void DashboardView::setAllPagesActive(bool active)
{
    m_allActive = active;
    applyActivity();
}

void DashboardView::setStepOverrideMs(qint64 stepMs)
{
    m_stepOverrideMs = stepMs;
    for (auto &page : m_pages)
        for (models::PanelDataModel *model : page->models)
            model->setStepOverrideMs(stepMs);
}

void DashboardView::applyActivity()
{
    const int current = currentDashboard();
    for (std::size_t i = 0; i < m_pages.size(); ++i)
        for (models::PanelDataModel *model : m_pages[i]->models)
            model->setActive(m_allActive || int(i) == current);
}

void DashboardView::onSnapshot(const backends::SnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    m_epochOffsetMs = snapshot->epochMs - snapshot->timeMs;
    fetchEvents(snapshot->eventCount);
    updateMarkers(snapshot);
}

} // namespace opsdeck::widgets
