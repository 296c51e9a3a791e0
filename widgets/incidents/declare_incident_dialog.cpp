#include "widgets/incidents/declare_incident_dialog.h"

#include "models/response_plan.h"
#include "widgets/widgets_tr.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace opsdeck::widgets {

DeclareIncidentDialog::DeclareIncidentDialog(const QString &commander, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(Tr::tr("Declare incident"));
    auto *form = new QFormLayout;
    m_title = new QLineEdit(this);
    m_title->setPlaceholderText(Tr::tr("What is wrong, in a few words"));
    m_severity = new QComboBox(this);
    for (int s = 1; s <= 4; ++s)
        m_severity->addItem(QStringLiteral("P%1 - %2 (respond within %3)")
                                .arg(s)
                                .arg(QLatin1String(models::severityDescription(s)),
                                     QLatin1String(models::responseTimeText(s))),
                            s);
    m_severity->setCurrentIndex(2);
    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    m_commander = new QLineEdit(commander, this);
    m_services = new QLineEdit(this);
    m_services->setPlaceholderText(Tr::tr("agent-orchestrator, model-server"));
    m_source = new QLabel(Tr::tr("declared by hand"), this);
    form->addRow(Tr::tr("Title"), m_title);
    form->addRow(Tr::tr("Severity"), m_severity);
    form->addRow(QString(), m_hint);
    form->addRow(Tr::tr("Incident commander"), m_commander);
    form->addRow(Tr::tr("Services"), m_services);
    form->addRow(Tr::tr("Source"), m_source);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(Tr::tr("Declare"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this, buttons] {
        if (m_title->text().trimmed().isEmpty() || m_commander->text().trimmed().isEmpty()) {
            m_hint->setText(Tr::tr("An incident needs a title and a commander."));
            return;
        }
        accept();
        Q_UNUSED(buttons);
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_severity, &QComboBox::currentIndexChanged, this, [this] { updateHint(); });
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(520);
    updateHint();
}

int DeclareIncidentDialog::suggestedSeverity(const telemetry::alerting::QueuedAlert &alert)
{
    // The runbook's classification: the alert rule's severity label says which class
    // (P1 "Service Down/Degraded" ... P4); anything unrecognised starts as P3.
    switch (alert.severity) {
    case telemetry::alerting::Severity::P1: return 1;
    case telemetry::alerting::Severity::P2: return 2;
    case telemetry::alerting::Severity::P3: return 3;
    case telemetry::alerting::Severity::P4: return 4;
    case telemetry::alerting::Severity::Unknown: break;
    }
    return 3;
}

void DeclareIncidentDialog::suggestFromAlert(const telemetry::alerting::QueuedAlert &alert)
{
    const auto &labels = alert.alert.labels;
    QString title = QString::fromStdString(labels.get("alertname"));
    const auto summary = alert.alert.annotations.find("summary");
    if (summary != alert.alert.annotations.end() && !summary->second.empty())
        title = QString::fromStdString(summary->second);
    m_title->setText(title);
    setSeverity(suggestedSeverity(alert));
    QStringList services;
    for (const char *label : {"service", "agent", "deployment", "job"})
        if (labels.has(label) && !services.contains(QString::fromStdString(labels.get(label))))
            services << QString::fromStdString(labels.get(label));
    m_services->setText(services.join(QStringLiteral(", ")));
    m_fingerprint = telemetry::alerting::fingerprintToString(alert.alert.fingerprint);
    m_source->setText(Tr::tr("alert %1 (%2, suggested %3)")
                          .arg(QString::fromStdString(labels.get("alertname")),
                               QString::fromStdString(m_fingerprint),
                               QStringLiteral("P%1").arg(suggestedSeverity(alert))));
    updateHint();
}

void DeclareIncidentDialog::updateHint()
{
    const int s = severity();
    m_hint->setText(Tr::tr("Runbook: P%1 is \"%2\"; respond within %3.")
                        .arg(s)
                        .arg(QLatin1String(models::severityDescription(s)),
                             QLatin1String(models::responseTimeText(s))));
}

int DeclareIncidentDialog::severity() const { return m_severity->currentData().toInt(); }
void DeclareIncidentDialog::setSeverity(int severity) { m_severity->setCurrentIndex(std::clamp(severity, 1, 4) - 1); }
void DeclareIncidentDialog::setTitle(const QString &title) { m_title->setText(title); }

QStringList DeclareIncidentDialog::services() const
{
    QStringList out;
    for (const QString &part : m_services->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            out << part.trimmed();
    return out;
}

models::NewIncident DeclareIncidentDialog::incident() const
{
    models::NewIncident incident;
    incident.title = m_title->text().trimmed().toStdString();
    incident.severity = severity();
    incident.commander = m_commander->text().trimmed().toStdString();
    incident.sourceFingerprint = m_fingerprint;
    return incident;
}

} // namespace opsdeck::widgets
