#include "diagnose_panel.h"

#include "remediation_controller_permissions.h"

#include "action_confirm_dialog_preview.h"
#include "remediation_controller.h"
#include "theme.h"
#include "widgets_tr.h"

#include <QDateTime>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <QCoro/QCoroTask>

namespace opsdeck::widgets {

namespace {
QString buttonText(const sim::ActionSpec &a)
{
    switch (a.kind) {
    case sim::ActionKind::IncreaseDbPool:
        return Tr::tr("Increase DB pool…");
    case sim::ActionKind::Restart:
        return Tr::tr("Restart %1…").arg(QString::fromStdString(a.target));
    case sim::ActionKind::Scale:
        return Tr::tr("Scale %1 → %2…").arg(QString::fromStdString(a.target), QString::fromStdString(a.params.at("replicas")));
    case sim::ActionKind::CircuitBreaker:
        return Tr::tr("Arm circuit breakers…");
    default:
        return describeAction(a) + QStringLiteral("…");
    }
}
} // namespace

DiagnosePanel::DiagnosePanel(backends::ClusterBackend *backend, RemediationController *controller, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
    , m_controller(controller)
{
    setObjectName(QStringLiteral("diagnosePanel"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    m_run = new QPushButton(Tr::tr("Diagnose"), this);
    m_run->setObjectName(QStringLiteral("diagnose"));
    m_run->setMinimumHeight(40);
    m_run->setToolTip(Tr::tr("Run the runbook's P2 performance investigation: resource usage, DB pool, "
                             "external service latencies, model inference"));
    QFont bf = m_run->font();
    bf.setBold(true);
    bf.setPointSizeF(bf.pointSizeF() * 1.1);
    m_run->setFont(bf);
    connect(m_run, &QPushButton::clicked, this, &DiagnosePanel::run);
    connect(m_controller->permissions(), &ActionPermissions::answersChanged, this, &DiagnosePanel::applyPermissions);
    top->addWidget(m_run);
    m_summary = new QLabel(Tr::tr("P2 performance investigation: resource usage, DB pool, external services, inference."), this);
    m_summary->setObjectName(QStringLiteral("diagnoseSummary"));
    m_summary->setWordWrap(true);
    top->addWidget(m_summary, 1);
    layout->addLayout(top);
    m_rows = new QWidget(this);
    m_rowsLayout = new QVBoxLayout(m_rows);
    m_rowsLayout->setContentsMargins(0, 0, 0, 0);
    m_rowsLayout->setSpacing(2);
    layout->addWidget(m_rows);
}

QPushButton *DiagnosePanel::actionButton(int index) const
{
    return index >= 0 && index < static_cast<int>(m_actionButtons.size()) ? m_actionButtons[static_cast<std::size_t>(index)] : nullptr;
}

QString DiagnosePanel::summaryText() const { return m_summary->text(); }

void DiagnosePanel::run()
{
    const backends::SnapshotPtr snap = m_backend->latestSnapshot();
    if (!snap) {
        m_summary->setText(Tr::tr("No data from the cluster yet: nothing to diagnose."));
        return;
    }
    if (m_running)
        return;
    m_running = true;
    m_run->setEnabled(false);
    m_summary->setText(Tr::tr("Investigating…"));
    QCoro::connect(models::runDiagnosis(m_backend, snap->epochMs, snap->inventory), this,
                   [this](models::DiagnosisReport report) { showReport(std::move(report)); });
}

void DiagnosePanel::showReport(models::DiagnosisReport report)
{
    m_running = false;
    m_run->setEnabled(true);
    m_report = std::move(report);
    m_actionButtons.clear();
    m_buttonActions.clear();
    while (QLayoutItem *item = m_rowsLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const QString when = QDateTime::fromMSecsSinceEpoch(m_report.atEpochMs, Qt::UTC).toString(QStringLiteral("HH:mm:ss"));
    const int breached = m_report.breachedCount();
    m_summary->setText(breached == 0 ? Tr::tr("%1 UTC: all %2 checks within tolerance.").arg(when).arg(m_report.findings.size())
                                     : Tr::tr("%1 UTC: %n check(s) out of tolerance.", nullptr, breached).arg(when));
    m_summary->setStyleSheet(QStringLiteral("QLabel { font-weight: bold; color: %1; }").arg((breached ? theme::p2() : theme::ok()).name()));

    const models::Finding *primary = m_report.primary();
    for (std::size_t i = 0; i < m_report.findings.size(); ++i) {
        const models::Finding &f = m_report.findings[i];
        auto *row = new QWidget(m_rows);
        row->setObjectName(QStringLiteral("finding%1").arg(i));
        auto *grid = new QGridLayout(row);
        grid->setContentsMargins(6, 3, 6, 3);
        grid->setHorizontalSpacing(10);
        const QColor colour = !f.error.isEmpty() || !f.measured ? theme::muted() : f.breached ? theme::p2() : theme::ok();
        auto *dot = new QLabel(f.breached ? QStringLiteral("▲") : QStringLiteral("●"), row);
        dot->setStyleSheet(QStringLiteral("QLabel { color: %1; font-size: 16px; }").arg(colour.name()));
        grid->addWidget(dot, 0, 0, Qt::AlignTop);
        auto *title = new QLabel(QStringLiteral("<b>%1</b>%2").arg(f.check.title.toHtmlEscaped(),
                                                                  f.subject.isEmpty() ? QString()
                                                                                      : QStringLiteral(" · ") + f.subject.toHtmlEscaped()),
                                 row);
        title->setToolTip(f.check.promql);
        title->setWordWrap(true);
        grid->addWidget(title, 0, 1);
        auto *value = new QLabel(QStringLiteral("<b>%1</b> (threshold %2)").arg(f.valueText(), f.thresholdText()), row);
        value->setStyleSheet(QStringLiteral("QLabel { color: %1; }").arg(colour.name()));
        value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        grid->addWidget(value, 0, 2);
        QPushButton *button = nullptr;
        if (f.breached || !f.error.isEmpty()) {
            auto *rec = new QLabel((primary == &f ? Tr::tr("Recommended first: ") : QString()) + f.recommendation, row);
            rec->setWordWrap(true);
            grid->addWidget(rec, 1, 1);
            if (f.action) {
                button = new QPushButton(buttonText(*f.action), row);
                button->setObjectName(QStringLiteral("findingAction%1").arg(i));
                if (primary == &f) {
                    QFont font = button->font();
                    font.setBold(true);
                    button->setFont(font);
                }
                const sim::ActionSpec action = *f.action;
                connect(button, &QPushButton::clicked, this, [this, action] { m_controller->request(action); });
                grid->addWidget(button, 1, 2, Qt::AlignRight | Qt::AlignVCenter);
            }
        }
        grid->setColumnStretch(1, 1);
        if (f.breached) {
            // A tint of amber that keeps the palette's text readable in light and dark themes.
            const QColor tint = theme::p2();
            row->setStyleSheet(QStringLiteral("#finding%1 { background: rgba(%2, %3, %4, 45); border-radius: 4px; }")
                                   .arg(i)
                                   .arg(tint.red())
                                   .arg(tint.green())
                                   .arg(tint.blue()));
        }
        m_rowsLayout->addWidget(row);
        m_actionButtons.push_back(button);
        m_buttonActions.push_back(button ? f.action : std::nullopt);
    }
    applyPermissions();
    Q_EMIT finished();
}

void DiagnosePanel::applyPermissions()
{
    for (std::size_t i = 0; i < m_actionButtons.size(); ++i) {
        if (!m_actionButtons[i] || !m_buttonActions[i])
            continue;
        const PermissionAnswer answer = m_controller->permissions()->answerFor(*m_buttonActions[i]);
        m_actionButtons[i]->setEnabled(answer.permits());
        m_actionButtons[i]->setToolTip(answer.toolTip());
    }
}

} // namespace opsdeck::widgets
