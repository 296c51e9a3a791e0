#include "widgets/incidents/status_page_panel.h"

#include "models/incident_report.h"
#include "models/response_plan.h"
#include "widgets/theme.h"
#include "widgets/widgets_tr.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace opsdeck::widgets {

StatusPagePanel::StatusPagePanel(models::IncidentSession *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_issue(new QLineEdit(this)), m_status(new QComboBox(this)),
      m_impact(new QLineEdit(this)), m_started(new QLabel(this)), m_text(new QPlainTextEdit(this)),
      m_post(new QPushButton(Tr::tr("Post update"), this)),
      m_export(new QPushButton(Tr::tr("Export Markdown..."), this)), m_reminder(new QLabel(this)),
      m_preview(new QTextBrowser(this))
{
    m_status->addItems({Tr::tr("Investigating"), Tr::tr("Identified"), Tr::tr("Monitoring"),
                        Tr::tr("Resolved")});
    m_status->setEditable(true);
    m_impact->setPlaceholderText(Tr::tr("e.g. ~15% of requests experiencing 2x normal latency"));
    m_text->setPlaceholderText(Tr::tr("What changed since the last update"));
    m_text->setMaximumHeight(70);
    auto *form = new QFormLayout;
    form->addRow(Tr::tr("Issue"), m_issue);
    form->addRow(Tr::tr("Status"), m_status);
    form->addRow(Tr::tr("Impact"), m_impact);
    form->addRow(Tr::tr("Started"), m_started);
    form->addRow(Tr::tr("Update"), m_text);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_reminder, 1);
    buttons->addWidget(m_post);
    buttons->addWidget(m_export);
    QFont big = m_reminder->font();
    big.setBold(true);
    m_reminder->setFont(big);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(m_preview, 1);
    connect(m_post, &QPushButton::clicked, this, &StatusPagePanel::post);
    connect(m_export, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, Tr::tr("Export status page"),
                                                          QStringLiteral("status-page.md"),
                                                          Tr::tr("Markdown (*.md)"));
        QString error;
        if (!path.isEmpty() && !exportMarkdown(path, &error))
            Q_EMIT m_session->errorOccurred(error);
    });
    connect(session, &models::IncidentSession::incidentChanged, this, [this](qint64 id) {
        if (id == m_incident)
            reload();
    });
}

void StatusPagePanel::setIncident(int64_t incidentId)
{
    m_incident = incidentId;
    const auto incident = m_session->incident(incidentId);
    const auto updates = m_session->statusUpdates(incidentId);
    // Start from the last update (or the incident) so the next one is an edit, not a retype.
    if (!updates.empty()) {
        m_issue->setText(QString::fromStdString(updates.back().issue));
        m_status->setCurrentText(QString::fromStdString(updates.back().status));
        m_impact->setText(QString::fromStdString(updates.back().impact));
    } else if (incident) {
        m_issue->setText(QString::fromStdString(incident->title));
        m_status->setCurrentIndex(0);
        m_impact->clear();
    }
    m_text->clear();
    reload();
}

QString StatusPagePanel::markdown() const
{
    if (m_incident == 0)
        return {};
    models::IncidentReportInput input;
    if (const auto incident = m_session->incident(m_incident))
        input.incident = *incident;
    input.timeline = m_session->timeline(m_incident);
    input.statusUpdates = m_session->statusUpdates(m_incident);
    return models::statusPageMarkdown(input);
}

void StatusPagePanel::reload()
{
    if (const auto incident = m_session->incident(m_incident))
        m_started->setText(models::utcDateTime(incident->createdAtMs));
    m_preview->setMarkdown(markdown());
    updateReminder();
}

void StatusPagePanel::updateReminder()
{
    const auto incident = m_session->incident(m_incident);
    if (!incident)
        return;
    const bool closed = incident->state == models::IncidentState::Resolved
                        || incident->state == models::IncidentState::Cancelled;
    const auto due = models::nextStatusUpdateDueMs(incident->severity, incident->createdAtMs,
                                                   m_session->statusUpdates(m_incident));
    if (closed || !due) {
        m_reminder->setText(closed ? Tr::tr("Incident closed") : Tr::tr("No status-page cadence for P4"));
        m_reminder->setStyleSheet(QString());
        return;
    }
    const int64_t left = *due - m_session->nowMs();
    if (left < 0) {
        m_reminder->setText(Tr::tr("Status update OVERDUE by %1").arg(models::humanDuration(-left)));
        m_reminder->setStyleSheet(QStringLiteral("color: %1").arg(theme::p1().name()));
    } else {
        m_reminder->setText(Tr::tr("Next status update due in %1 (%2)")
                                .arg(models::humanDuration(left), models::utcTime(*due)));
        m_reminder->setStyleSheet(QString());
    }
}

void StatusPagePanel::setFields(const QString &issue, const QString &status, const QString &impact,
                                const QString &text)
{
    m_issue->setText(issue);
    m_status->setCurrentText(status);
    m_impact->setText(impact);
    m_text->setPlainText(text);
}

void StatusPagePanel::post()
{
    if (m_incident == 0)
        return;
    if (m_text->toPlainText().trimmed().isEmpty()) {
        Q_EMIT m_session->errorOccurred(Tr::tr("A status update needs text: what changed?"));
        return;
    }
    const auto incident = m_session->incident(m_incident);
    models::StatusUpdate update;
    update.incidentId = m_incident;
    update.issue = m_issue->text().trimmed().toStdString();
    update.status = m_status->currentText().trimmed().toStdString();
    update.impact = m_impact->text().trimmed().toStdString();
    update.startedAtMs = incident ? incident->createdAtMs : 0;
    update.text = m_text->toPlainText().trimmed().toStdString();
    m_session->postStatusUpdate(update);
    m_text->clear();
}

bool StatusPagePanel::exportMarkdown(const QString &path, QString *error) const
{
    QFile file(path);
    const QByteArray bytes = markdown().toUtf8();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()) {
        if (error)
            *error = Tr::tr("Exporting the status page to %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace opsdeck::widgets
