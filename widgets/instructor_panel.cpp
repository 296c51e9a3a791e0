#include "instructor_panel.h"

#include "../backends/sim/topology.h"
#include "../models/cluster_status.h"
#include "sim_labels.h"
#include "theme.h"
#include "widgets_tr.h"

#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <QCoro/QCoroTask>

namespace opsdeck::widgets {

using sim::FaultKind;

QString faultDescription(FaultKind kind)
{
    //: Instructor panel: what each fault does and what answers it
    switch (kind) {
    case FaultKind::BadDeploy:
        return Tr::tr("Rolls out a new revision of the target whose pods fail a share of requests. "
                      "Expect HighErrorRate (P1). Answer: roll back.");
    case FaultKind::ModelServerCrash:
        return Tr::tr("The inference engine dies on every model-server pod in the region; pods crash-loop. "
                      "Expect ModelServerDown (P1). Answer: restart the model server.");
    case FaultKind::VcPoolExhaustion:
        return Tr::tr("Sandboxes are held 3.5× longer; the virtual computer pool runs out. "
                      "Expect VirtualComputerUtilizationHigh (P2). Answer: scale virtual computers.");
    case FaultKind::DbPoolExhaustion:
        return Tr::tr("Lock contention makes state DB queries 6× slower and holds connections. "
                      "Expect slow tasks (P2). Answer: Diagnose, then increase the connection pool.");
    case FaultKind::MemoryLeak:
        return Tr::tr("The target's image leaks memory until its pods are OOM-killed. "
                      "Expect HighMemoryUsage (P2). Answer: roll back or restart.");
    case FaultKind::GpuFailure:
        return Tr::tr("GPUs on a node fail (XID 79) and the node goes NotReady; inference capacity drops. "
                      "Expect inference latency alerts. Answer: scale the model server.");
    case FaultKind::RegionFailure:
        return Tr::tr("The region goes dark; the traffic DNS still sends there fails until failover. "
                      "Answer: regional failover to a healthy region.");
    case FaultKind::PromptInjection:
        return Tr::tr("A wave of prompt-injection attempts hits the safety filter. "
                      "Expect SafetyViolationSpike (P1). Answer: safety mode, prompt filters, rotate credentials.");
    case FaultKind::DataCorruption:
        return Tr::tr("State DB rows are corrupted; requests touching them fail until a restore. "
                      "Answer: restore from the latest clean backup.");
    case FaultKind::TrafficSurge:
        return Tr::tr("Demand multiplies by the factor. Expect AgentRequestRateHigh (P2). "
                      "Answer: scale for a high load event.");
    }
    return {};
}

namespace {
enum class TargetKind { None, Deployment, Region, GpuNode };

struct FaultForm {
    TargetKind target = TargetKind::None;
    const char *param = nullptr; // FaultSpec::params key of the strength field
    double value = 0, min = 0, max = 0, step = 1;
    int decimals = 0;
};

FaultForm formFor(FaultKind kind)
{
    switch (kind) {
    case FaultKind::BadDeploy: return {TargetKind::Deployment, "error_rate", 0.3, 0.01, 1, 0.05, 2};
    case FaultKind::MemoryLeak: return {TargetKind::Deployment, "rate", 0.025, 0.001, 0.5, 0.005, 3};
    case FaultKind::GpuFailure: return {TargetKind::GpuNode, "count", 1, 1, 64, 1, 0};
    case FaultKind::RegionFailure: return {TargetKind::Region};
    case FaultKind::PromptInjection: return {TargetKind::None, "rate", 3, 0.1, 100, 0.5, 1};
    case FaultKind::TrafficSurge: return {TargetKind::None, "factor", 3, 1.1, 20, 0.5, 1};
    default: return {};
    }
}

QString strengthLabel(FaultKind kind)
{
    //: Instructor panel: the fault's strength parameter
    switch (kind) {
    case FaultKind::BadDeploy: return Tr::tr("Failing share:");
    case FaultKind::MemoryLeak: return Tr::tr("Leak per minute:");
    case FaultKind::GpuFailure: return Tr::tr("Nodes:");
    case FaultKind::PromptInjection: return Tr::tr("Attempts per second:");
    case FaultKind::TrafficSurge: return Tr::tr("Demand factor:");
    default: return {};
    }
}

// "4.000000" -> "4", "0.025000" -> "0.025": the spelling the CLI takes.
std::string numberText(double value, int decimals)
{
    QString s = QString::number(value, 'f', decimals);
    if (s.contains(QLatin1Char('.'))) {
        while (s.endsWith(QLatin1Char('0')))
            s.chop(1);
        if (s.endsWith(QLatin1Char('.')))
            s.chop(1);
    }
    return s.toStdString();
}
} // namespace

InstructorPanel::InstructorPanel(backends::ClusterBackend *backend, QWidget *parent)
    : QWidget(parent), m_backend(backend)
{
    setObjectName(QStringLiteral("instructorPanel"));
    auto *layout = new QVBoxLayout(this);

    auto *header = new QLabel(Tr::tr("INSTRUCTOR · SIMULATION ONLY"), this);
    QFont hf = header->font();
    hf.setBold(true);
    hf.setPointSizeF(hf.pointSizeF() * 1.2);
    header->setFont(hf);
    header->setAlignment(Qt::AlignCenter);
    header->setAutoFillBackground(true);
    QPalette hp = header->palette();
    hp.setColor(QPalette::Window, theme::simulation());
    hp.setColor(QPalette::WindowText, Qt::white);
    header->setPalette(hp);
    header->setMargin(6);
    layout->addWidget(header);

    m_faults = new QTreeWidget(this);
    m_faults->setObjectName(QStringLiteral("instructorFaults"));
    m_faults->setRootIsDecorated(false);
    m_faults->setUniformRowHeights(true);
    m_faults->setHeaderLabels({Tr::tr("Fault"), Tr::tr("State")});
    m_faults->header()->setStretchLastSection(false);
    m_faults->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_faults->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    for (FaultKind kind : sim::allFaults()) {
        auto *item = new QTreeWidgetItem(m_faults, {faultTitle(kind), Tr::tr("idle")});
        item->setData(0, Qt::UserRole, int(kind));
        item->setData(0, Qt::UserRole + 1, QString::fromLatin1(sim::faultName(kind)));
        item->setToolTip(0, faultDescription(kind));
    }
    // All ten faults visible at once, no scrolling and no dead space under them.
    m_faults->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_faults->setFixedHeight(m_faults->header()->sizeHint().height() +
                             m_faults->sizeHintForRow(0) * m_faults->topLevelItemCount() +
                             2 * m_faults->frameWidth() + 4);
    layout->addWidget(m_faults);

    m_description = new QLabel(this);
    m_description->setWordWrap(true);
    m_description->setMinimumHeight(m_description->fontMetrics().lineSpacing() * 3);
    m_description->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    layout->addWidget(m_description);

    auto *form = new QFormLayout;
    m_target = new QComboBox(this);
    m_targetLabel = new QLabel(Tr::tr("Target:"), this);
    form->addRow(m_targetLabel, m_target);
    m_region = new QComboBox(this);
    m_regionLabel = new QLabel(Tr::tr("Region:"), this);
    form->addRow(m_regionLabel, m_region);
    m_strength = new QDoubleSpinBox(this);
    m_strengthLabel = new QLabel(this);
    form->addRow(m_strengthLabel, m_strength);
    layout->addLayout(form);

    auto *buttons = new QHBoxLayout;
    m_inject = new QPushButton(Tr::tr("&Inject"), this);
    m_heal = new QPushButton(Tr::tr("&Heal"), this);
    m_inject->setToolTip(Tr::tr("Inject the selected fault into the simulated cluster now"));
    m_heal->setToolTip(Tr::tr("Clear the selected fault (the cluster then recovers on its own or by your actions)"));
    QFont bold = m_inject->font();
    bold.setBold(true);
    m_inject->setFont(bold);
    m_inject->setDefault(true);
    buttons->addWidget(m_inject);
    buttons->addWidget(m_heal);
    layout->addLayout(buttons);

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto *logTitle = new QLabel(Tr::tr("Fault log (simulated clock)"), this);
    QFont lf = logTitle->font();
    lf.setBold(true);
    logTitle->setFont(lf);
    layout->addWidget(logTitle);
    m_log = new QTreeWidget(this);
    m_log->setObjectName(QStringLiteral("instructorLog"));
    m_log->setRootIsDecorated(false);
    m_log->setHeaderLabels({Tr::tr("When"), Tr::tr("What")});
    m_log->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_log->header()->setStretchLastSection(true);
    m_log->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_log->setTextElideMode(Qt::ElideRight);
    layout->addWidget(m_log, 1);

    connect(m_faults, &QTreeWidget::currentItemChanged, this, &InstructorPanel::onFaultChanged);
    connect(m_inject, &QPushButton::clicked, this, &InstructorPanel::inject);
    connect(m_heal, &QPushButton::clicked, this, &InstructorPanel::heal);

    if (!backend || !backend->supportsClockControl()) {
        setEnabled(false);
        setStatus(Tr::tr("Fault injection is only available in simulation."), false);
        return;
    }
    connect(backend, &backends::ClusterBackend::snapshotPublished, this, &InstructorPanel::onSnapshot);
    m_faults->setCurrentItem(m_faults->topLevelItem(0));
    if (backends::SnapshotPtr latest = backend->latestSnapshot())
        onSnapshot(latest);
}

void InstructorPanel::selectFault(FaultKind kind)
{
    for (int i = 0; i < m_faults->topLevelItemCount(); ++i)
        if (m_faults->topLevelItem(i)->data(0, Qt::UserRole).toInt() == int(kind))
            m_faults->setCurrentItem(m_faults->topLevelItem(i));
}

std::optional<FaultKind> InstructorPanel::selectedFault() const
{
    if (QTreeWidgetItem *item = m_faults->currentItem())
        return FaultKind(item->data(0, Qt::UserRole).toInt());
    return std::nullopt;
}

void InstructorPanel::onFaultChanged()
{
    const std::optional<FaultKind> kind = selectedFault();
    if (!kind)
        return;
    const FaultForm f = formFor(*kind);
    m_description->setText(faultDescription(*kind));

    m_target->clear();
    const auto *inventory = m_snapshot && m_snapshot->inventory ? m_snapshot->inventory.get() : nullptr;
    switch (f.target) {
    case TargetKind::Deployment:
        for (const sim::ServiceSpec &s : sim::serviceCatalogue())
            m_target->addItem(QString::fromStdString(s.deployment), QString::fromStdString(s.deployment));
        m_target->setCurrentIndex(m_target->findData(QStringLiteral("agent-orchestrator")));
        break;
    case TargetKind::Region:
        if (inventory)
            for (const sim::Region &r : inventory->regions)
                m_target->addItem(QString::fromStdString(r.name), QString::fromStdString(r.name));
        if (m_snapshot)
            m_target->setCurrentIndex(m_target->findData(QString::fromStdString(m_snapshot->health.activeRegion)));
        break;
    case TargetKind::GpuNode:
        m_target->addItem(Tr::tr("any busy GPU node"), QString());
        if (inventory)
            for (const sim::Node &n : inventory->nodes)
                if (n.gpuCount > 0 && n.ready)
                    m_target->addItem(QString::fromStdString(n.name), QString::fromStdString(n.name));
        break;
    case TargetKind::None:
        break;
    }
    m_target->setVisible(f.target != TargetKind::None);
    m_targetLabel->setVisible(f.target != TargetKind::None);

    // Where it strikes: the region taking traffic unless told otherwise (a region
    // failure names its region as the target instead).
    m_region->clear();
    m_region->addItem(Tr::tr("region taking traffic"), QString());
    if (inventory)
        for (const sim::Region &r : inventory->regions)
            m_region->addItem(QString::fromStdString(r.name), QString::fromStdString(r.name));
    const bool regional = f.target != TargetKind::Region;
    m_region->setVisible(regional);
    m_regionLabel->setVisible(regional);

    const bool strength = f.param != nullptr;
    m_strength->setVisible(strength);
    m_strengthLabel->setVisible(strength);
    if (strength) {
        m_strengthLabel->setText(strengthLabel(*kind));
        m_strength->setDecimals(f.decimals);
        m_strength->setRange(f.min, f.max);
        m_strength->setSingleStep(f.step);
        m_strength->setValue(f.value);
    }
    refreshButtons();
}

sim::FaultSpec InstructorPanel::pendingSpec() const
{
    sim::FaultSpec spec;
    const std::optional<FaultKind> kind = selectedFault();
    if (!kind)
        return spec;
    spec.kind = *kind;
    const FaultForm f = formFor(*kind);
    if (f.target != TargetKind::None)
        spec.target = m_target->currentData().toString().toStdString();
    if (f.target != TargetKind::Region)
        if (const QString region = m_region->currentData().toString(); !region.isEmpty())
            spec.params["region"] = region.toStdString();
    if (f.param)
        spec.params[f.param] = numberText(m_strength->value(), f.decimals);
    return spec;
}

void InstructorPanel::inject()
{
    if (!m_backend || !selectedFault())
        return;
    const sim::FaultSpec spec = pendingSpec();
    const backends::Status status = m_backend->injectFault(spec);
    const QString name = QString::fromLatin1(sim::faultName(spec.kind));
    if (!status)
        setStatus(Tr::tr("Could not inject %1: %2").arg(name, QString::fromStdString(status.error())), true);
    else
        setStatus(Tr::tr("Injected %1; the log shows when the cluster took it.").arg(name), false);
}

void InstructorPanel::heal()
{
    if (!m_backend || !selectedFault())
        return;
    const FaultKind kind = *selectedFault();
    const backends::Status status = m_backend->clearFault(kind);
    const QString name = QString::fromLatin1(sim::faultName(kind));
    if (!status)
        setStatus(Tr::tr("Could not heal %1: %2").arg(name, QString::fromStdString(status.error())), true);
    else
        setStatus(Tr::tr("Healing %1.").arg(name), false);
}

void InstructorPanel::onSnapshot(const backends::SnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    const bool first = !m_snapshot;
    m_snapshot = snapshot;
    m_startEpochMs = snapshot->epochMs - snapshot->timeMs;
    if (first)
        onFaultChanged(); // regions and nodes are known now
    fetchEvents(snapshot->eventCount);
}

void InstructorPanel::fetchEvents(std::size_t eventCount)
{
    if (eventCount <= m_eventsRequested || !m_backend)
        return;
    const std::size_t from = m_eventsRequested;
    const std::size_t count = eventCount - from;
    m_eventsRequested = eventCount;
    QCoro::connect(m_backend->events(from), this, [this, count](const Result<std::vector<sim::SimEvent>> &events) {
        if (!events) {
            setStatus(Tr::tr("Could not read the event log: %1").arg(QString::fromStdString(events.error())), true);
            return;
        }
        // Take what the snapshot counted; the next snapshot asks for the rest.
        takeEvents(std::vector<sim::SimEvent>(events->begin(),
                                              events->begin() + std::ptrdiff_t(std::min(count, events->size()))));
    });
}

void InstructorPanel::takeEvents(const std::vector<sim::SimEvent> &events)
{
    for (const sim::SimEvent &e : events) {
        if (e.kind != sim::SimEvent::Kind::Fault)
            continue;
        // Titles: "Fault <name>[ on <target>]", "Fault <name> healed", "Fault <name> rejected".
        const QString title = QString::fromStdString(e.title);
        const QStringList words = title.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (words.size() >= 2) {
            if (const Result<FaultKind> kind = sim::faultFromName(words[1].toStdString())) {
                if (words.size() == 3 && words[2] == QLatin1String("healed"))
                    m_active.erase(*kind);
                else if (e.ok && !(words.size() == 3 && words[2] == QLatin1String("rejected")))
                    m_active[*kind] = e.timeMs;
            }
        }
        auto *row = new QTreeWidgetItem(m_log, {clockText(e.timeMs), title});
        const QString detail = QString::fromStdString(e.detail);
        row->setToolTip(1, detail.isEmpty() ? title : title + QLatin1Char('\n') + detail);
        if (!e.ok)
            row->setForeground(1, theme::p1());
        if (!detail.isEmpty())
            new QTreeWidgetItem(row, {QString(), detail});
        row->setExpanded(true);
        m_log->scrollToItem(row);
    }
    refreshStates();
}

void InstructorPanel::refreshStates()
{
    for (int i = 0; i < m_faults->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_faults->topLevelItem(i);
        const FaultKind kind = FaultKind(item->data(0, Qt::UserRole).toInt());
        auto it = m_active.find(kind);
        const bool active = it != m_active.end();
        //: Instructor panel: fault state, "ACTIVE since T+0:05:00"
        item->setText(1, active ? Tr::tr("ACTIVE since %1").arg(models::ClusterStatus::formatElapsed(it->second))
                                : Tr::tr("idle"));
        QFont f = item->font(0);
        f.setBold(active);
        item->setFont(0, f);
        item->setFont(1, f);
        item->setForeground(1, active ? QBrush(theme::p1()) : QBrush(theme::muted()));
    }
    refreshButtons();
}

void InstructorPanel::refreshButtons()
{
    const std::optional<FaultKind> kind = selectedFault();
    m_inject->setEnabled(kind.has_value());
    m_heal->setEnabled(kind && isActive(*kind));
}

void InstructorPanel::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    QPalette p = m_status->palette();
    p.setColor(QPalette::WindowText, error ? theme::p1() : palette().color(QPalette::WindowText));
    m_status->setPalette(p);
}

QString InstructorPanel::statusText() const { return m_status->text(); }

int InstructorPanel::logRows() const { return m_log->topLevelItemCount(); }

QString InstructorPanel::logText(int row) const
{
    const QTreeWidgetItem *item = m_log->topLevelItem(row);
    return item ? item->text(0) + QStringLiteral("  ") + item->text(1) : QString();
}

QString InstructorPanel::clockText(std::int64_t timeMs) const
{
    const QDateTime utc = QDateTime::fromMSecsSinceEpoch(m_startEpochMs + timeMs, Qt::UTC);
    //: Instructor log time: elapsed simulated time and the simulated UTC clock
    return Tr::tr("%1 (%2 UTC)").arg(models::ClusterStatus::formatElapsed(timeMs),
                                     utc.toString(QStringLiteral("HH:mm:ss")));
}

} // namespace opsdeck::widgets
