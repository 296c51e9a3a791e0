#include "widgets/incidents/incident_detail_panel.h"

#include "models/incident_report.h"
#include "models/response_plan.h"
#include "widgets/incidents/incident_style.h"
#include "widgets/incidents/response_panel.h"
#include "widgets/incidents/status_page_panel.h"
#include "widgets/incidents/timeline_panel.h"
#include "widgets/theme.h"
#include "widgets/widgets_tr.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPageSize>
#include <QPdfWriter>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTextDocument>
#include <QVBoxLayout>

namespace opsdeck::widgets {

IncidentDetailPanel::IncidentDetailPanel(models::IncidentSession *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_severity(new QLabel(this)), m_title(new QLabel(this)),
      m_state(new QLabel(this)), m_countdown(new QLabel(this)), m_people(new QLabel(this)),
      m_reopen(new QPushButton(Tr::tr("Reopen..."), this)),
      m_handOver(new QPushButton(Tr::tr("Hand over command..."), this)), m_role(new QComboBox(this)),
      m_person(new QLineEdit(this)), m_response(new ResponsePanel(session, this)),
      m_tabs(new QTabWidget(this)), m_timeline(new TimelinePanel(session, this)),
      m_statusPage(new StatusPagePanel(session, this)), m_postmortem(new QTextBrowser(this)),
      m_followUp(new QLineEdit(this))
{
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    m_severity->setFont(titleFont);
    m_severity->setAlignment(Qt::AlignCenter);
    m_severity->setMinimumWidth(56);
    QFont stateFont = m_state->font();
    stateFont.setPointSizeF(stateFont.pointSizeF() * 1.25);
    stateFont.setBold(true);
    m_state->setFont(stateFont);
    m_countdown->setFont(stateFont);

    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(m_severity);
    titleRow->addWidget(m_title, 1);
    titleRow->addWidget(m_state);
    auto *infoRow = new QHBoxLayout;
    infoRow->addWidget(m_countdown);
    infoRow->addSpacing(24);
    infoRow->addWidget(m_people, 1);

    auto *stateRow = new QHBoxLayout;
    using S = models::IncidentState;
    for (const S state : {S::Investigating, S::Identified, S::Monitoring, S::Resolved, S::Cancelled}) {
        auto *button = new QPushButton(state == S::Cancelled ? Tr::tr("Cancel incident") : incidents::stateLabel(state), this);
        button->setObjectName(QStringLiteral("state_%1").arg(QLatin1String(models::incidentStateName(state))));
        connect(button, &QPushButton::clicked, this, [this, state] { m_session->setState(m_incident, state); });
        stateRow->addWidget(button);
        m_stateButtons.emplace_back(state, button);
    }
    stateRow->addWidget(m_reopen);
    stateRow->addStretch();
    stateRow->addWidget(m_handOver);
    m_role->addItem(Tr::tr("Operator"), int(models::IncidentRole::Operator));
    m_role->addItem(Tr::tr("Communications"), int(models::IncidentRole::Communications));
    m_role->addItem(Tr::tr("Scribe"), int(models::IncidentRole::Scribe));
    m_person->setPlaceholderText(Tr::tr("name"));
    m_person->setMaximumWidth(140);
    auto *assign = new QPushButton(Tr::tr("Assign"), this);
    stateRow->addWidget(m_role);
    stateRow->addWidget(m_person);
    stateRow->addWidget(assign);
    connect(assign, &QPushButton::clicked, this, [this] {
        if (!m_person->text().trimmed().isEmpty())
            m_session->assignRole(m_incident, models::IncidentRole(m_role->currentData().toInt()), m_person->text());
        m_person->clear();
    });
    connect(m_handOver, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString to = QInputDialog::getText(this, Tr::tr("Hand over command"),
                                                 Tr::tr("New incident commander:"), QLineEdit::Normal, {}, &ok);
        if (ok && !to.trimmed().isEmpty())
            m_session->handOverCommand(m_incident, to);
    });
    connect(m_reopen, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const QString why = QInputDialog::getText(this, Tr::tr("Reopen incident"), Tr::tr("Why?"),
                                                  QLineEdit::Normal, {}, &ok);
        if (ok && !why.trimmed().isEmpty())
            m_session->reopen(m_incident, why);
    });

    // Postmortem tab: the report as it will be exported, follow-ups, export buttons.
    auto *postmortemTab = new QWidget(this);
    auto *postmortemLayout = new QVBoxLayout(postmortemTab);
    auto *followRow = new QHBoxLayout;
    m_followUp->setPlaceholderText(Tr::tr("Follow-up (owner after a colon: \"Add canary alert: bob\")"));
    auto *exportButton = new QPushButton(Tr::tr("Export postmortem..."), postmortemTab);
    followRow->addWidget(m_followUp, 1);
    followRow->addWidget(exportButton);
    postmortemLayout->addLayout(followRow);
    postmortemLayout->addWidget(m_postmortem, 1);
    connect(m_followUp, &QLineEdit::returnPressed, this, [this] {
        const QString text = m_followUp->text();
        const int colon = text.lastIndexOf(QLatin1Char(':'));
        m_session->addFollowUp(m_incident, colon > 0 ? text.left(colon) : text,
                               colon > 0 ? text.mid(colon + 1) : QString());
        m_followUp->clear();
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, Tr::tr("Export postmortem"),
                                                          QStringLiteral("postmortem-%1").arg(m_incident),
                                                          Tr::tr("Markdown, HTML and PDF (*)"));
        QString error;
        if (!path.isEmpty() && !exportPostmortem(path, true, &error))
            Q_EMIT m_session->errorOccurred(error);
    });

    m_tabs->addTab(m_timeline, Tr::tr("Timeline"));
    m_tabs->addTab(m_statusPage, Tr::tr("Status page"));
    m_tabs->addTab(postmortemTab, Tr::tr("Postmortem"));
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] { reloadPostmortem(); });

    auto *responseScroll = new QScrollArea(this);
    responseScroll->setWidget(m_response);
    responseScroll->setWidgetResizable(true);
    responseScroll->setFrameShape(QFrame::NoFrame);
    auto *body = new QSplitter(Qt::Horizontal, this);
    body->addWidget(responseScroll);
    body->addWidget(m_tabs);
    body->setStretchFactor(0, 2);
    body->setStretchFactor(1, 3);
    body->setSizes({560, 900}); // the checklist's commands must read without scrolling

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(titleRow);
    layout->addLayout(infoRow);
    layout->addLayout(stateRow);
    layout->addWidget(body, 1);

    connect(m_response, &ResponsePanel::actionRequested, this, &IncidentDetailPanel::actionRequested);
    connect(m_timeline, &TimelinePanel::showDashboardsAt, this, &IncidentDetailPanel::showDashboardsAt);
    connect(session, &models::IncidentSession::incidentChanged, this, [this](qint64 id) {
        if (id == m_incident)
            reload();
    });
    connect(session, &models::IncidentSession::timelineChanged, this, [this](qint64 id) {
        if (id == m_incident) {
            m_response->reload();
            reloadPostmortem();
        }
    });
    setIncident(0);
}

QPushButton *IncidentDetailPanel::stateButton(models::IncidentState state) const
{
    for (const auto &[s, button] : m_stateButtons)
        if (s == state)
            return button;
    return nullptr;
}

void IncidentDetailPanel::setIncident(int64_t incidentId)
{
    m_incident = incidentId;
    setEnabled(incidentId != 0);
    m_response->setIncident(incidentId);
    m_timeline->setIncident(incidentId);
    m_statusPage->setIncident(incidentId);
    reload();
}

void IncidentDetailPanel::reload()
{
    const auto incident = m_session->incident(m_incident);
    if (!incident) {
        m_title->setText(Tr::tr("No incident selected"));
        m_severity->clear();
        m_state->clear();
        m_countdown->clear();
        m_people->clear();
        return;
    }
    m_severity->setText(QStringLiteral("P%1").arg(incident->severity));
    m_severity->setStyleSheet(QStringLiteral("background: %1; color: white; border-radius: 4px; padding: 2px 8px;")
                                  .arg(incidents::severityColor(incident->severity).name()));
    m_title->setText(QStringLiteral("#%1  %2").arg(incident->id).arg(QString::fromStdString(incident->title)));
    m_state->setText(incidents::stateLabel(incident->state).toUpper());
    m_state->setStyleSheet(QStringLiteral("color: %1").arg(incidents::stateColor(incident->state).name()));
    const auto names = [](const std::vector<std::string> &v) {
        QStringList out;
        for (const auto &n : v)
            out << QString::fromStdString(n);
        return out.isEmpty() ? QStringLiteral("-") : out.join(QStringLiteral(", "));
    };
    m_people->setText(Tr::tr("<b>Commander</b> %1 &nbsp; <b>Operators</b> %2 &nbsp; <b>Comms</b> %3 &nbsp; "
                             "<b>Scribe</b> %4 &nbsp; <b>Declared</b> %5")
                          .arg(QString::fromStdString(incident->commander).toHtmlEscaped(), names(incident->operators),
                               names(incident->communications), names(incident->scribes),
                               models::utcDateTime(incident->createdAtMs)));
    const bool active = incident->state != models::IncidentState::Resolved
                        && incident->state != models::IncidentState::Cancelled;
    for (const auto &[state, button] : m_stateButtons)
        button->setEnabled(active && state != incident->state);
    m_reopen->setEnabled(!active);
    m_statusPage->reload();
    m_response->reload();
    updateClock();
    reloadPostmortem();
}

void IncidentDetailPanel::updateClock()
{
    const auto incident = m_session->incident(m_incident);
    if (!incident)
        return;
    const int64_t deadline = models::responseDeadlineMs(incident->severity, incident->createdAtMs);
    QString text, colour;
    if (incident->acknowledgedAtMs) {
        const int64_t took = *incident->acknowledgedAtMs - incident->createdAtMs;
        const bool met = *incident->acknowledgedAtMs <= deadline;
        text = Tr::tr("Acknowledged in %1 (target %2)").arg(models::humanDuration(took),
                                                            QLatin1String(models::responseTimeText(incident->severity)));
        colour = (met ? theme::ok() : theme::p2()).name();
    } else {
        const int64_t left = deadline - m_session->nowMs();
        text = left >= 0 ? Tr::tr("Respond within %1").arg(models::humanDuration(left))
                         : Tr::tr("Response OVERDUE by %1").arg(models::humanDuration(-left));
        colour = (left >= 0 ? theme::p2() : theme::p1()).name();
    }
    m_countdown->setText(text);
    m_countdown->setStyleSheet(QStringLiteral("color: %1").arg(colour));
    m_response->updateClock();
    m_statusPage->updateReminder();
}

models::IncidentReportInput IncidentDetailPanel::reportInput() const
{
    models::IncidentReportInput input;
    if (const auto incident = m_session->incident(m_incident))
        input.incident = *incident;
    input.timeline = m_session->timeline(m_incident);
    input.statusUpdates = m_session->statusUpdates(m_incident);
    input.followUps = m_session->followUps(m_incident);
    input.links = m_session->links(m_incident);
    input.nowMs = m_session->nowMs();
    return input;
}

void IncidentDetailPanel::reloadPostmortem()
{
    if (m_incident == 0 || m_tabs->currentIndex() != 2)
        return; // built when looked at: the timeline may be long
    m_postmortem->setMarkdown(models::postmortemMarkdown(reportInput()));
}

bool IncidentDetailPanel::exportPostmortem(const QString &basePath, bool pdf, QString *error) const
{
    const auto input = reportInput();
    if (!models::writePostmortem(input, basePath, error))
        return false;
    if (!pdf)
        return true;
    QTextDocument document;
    document.setHtml(models::postmortemHtml(input));
    QPdfWriter writer(basePath + QStringLiteral(".pdf"));
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setTitle(QStringLiteral("Postmortem: %1").arg(QString::fromStdString(input.incident.title)));
    document.print(&writer);
    return true;
}

} // namespace opsdeck::widgets
