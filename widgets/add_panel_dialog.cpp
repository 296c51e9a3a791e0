#include "add_panel_dialog.h"

#include "theme.h"
#include "widgets_tr.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace opsdeck::widgets {

AddPanelDialog::AddPanelDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("addPanelDialog"));
    //: Dialog title
    setWindowTitle(Tr::tr("Add panel"));
    setMinimumWidth(640);

    m_title = new QLineEdit(this);
    m_title->setObjectName(QStringLiteral("panelTitle"));
    m_title->setPlaceholderText(Tr::tr("e.g. Orchestrator error ratio"));
    m_query = new QLineEdit(this);
    m_query->setObjectName(QStringLiteral("panelQuery"));
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    m_query->setFont(mono);
    m_query->setPlaceholderText(QStringLiteral("sum by (job) (rate(http_requests_total{job=~\"$component\"}[5m]))"));
    m_legend = new QLineEdit(this);
    m_legend->setPlaceholderText(QStringLiteral("{{job}}"));
    m_unit = new QComboBox(this);
    //: Units offered for a new dashboard panel
    const std::pair<models::PanelUnit, QString> units[] = {
        {models::PanelUnit::Count, Tr::tr("count")},
        {models::PanelUnit::PerSecond, Tr::tr("per second")},
        {models::PanelUnit::PerMinute, Tr::tr("per minute")},
        {models::PanelUnit::Percent, Tr::tr("percent (query gives 0..1)")},
        {models::PanelUnit::Seconds, Tr::tr("seconds")},
        {models::PanelUnit::Bytes, Tr::tr("bytes")},
    };
    for (const auto &[unit, label] : units)
        m_unit->addItem(label, QVariant::fromValue(int(unit)));

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("queryError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    form->addRow(Tr::tr("&Title"), m_title);
    form->addRow(Tr::tr("&PromQL query"), m_query);
    form->addRow(QString(), m_error);
    form->addRow(Tr::tr("&Legend"), m_legend);
    form->addRow(Tr::tr("&Unit"), m_unit);
    auto *hint = new QLabel(Tr::tr("Write <code>$component</code> in a label matcher (e.g. "
                                   "<code>job=~\"$component\"</code>) and the panel follows the "
                                   "service map's selection."),
                            this);
    hint->setWordWrap(true);
    hint->setStyleSheet(QStringLiteral("color: %1").arg(theme::muted().name()));

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(Tr::tr("Add panel"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(hint);
    layout->addWidget(m_buttons);

    connect(m_title, &QLineEdit::textChanged, this, &AddPanelDialog::validate);
    connect(m_query, &QLineEdit::textChanged, this, &AddPanelDialog::validate);
    validate();
}

QPushButton *AddPanelDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

QString AddPanelDialog::errorText() const
{
    return okButton()->isEnabled() ? QString() : m_error->text();
}

void AddPanelDialog::validate()
{
    QString problem;
    int column = 0;
    if (m_query->text().trimmed().isEmpty()) {
        problem = Tr::tr("Type a PromQL query.");
    } else if (auto ok = models::validateQuery(m_query->text()); !ok) {
        const QString error = QString::fromStdString(ok.error());
        column = models::errorColumn(error);
        //: A PromQL parse error under the query field; %1 the column, %2 the parser's message
        problem = column > 0 ? Tr::tr("Column %1: %2").arg(column).arg(error) : error;
    } else if (m_title->text().trimmed().isEmpty()) {
        problem = Tr::tr("Give the panel a title.");
    }
    const bool valid = problem.isEmpty();
    okButton()->setEnabled(valid);
    m_error->setText(valid ? Tr::tr("✓ Query parses.") : problem);
    m_error->setStyleSheet(QStringLiteral("color: %1").arg((valid ? theme::ok() : theme::p1()).name()));
    // Point at the offending character, unless the user is typing elsewhere.
    if (column > 0 && m_query->hasFocus() == false)
        m_query->setSelection(column - 1, 1);
}

models::PanelDefinition AddPanelDialog::definition() const
{
    models::PanelDefinition def;
    def.title = m_title->text().trimmed();
    def.query = m_query->text().trimmed();
    def.legendFormat = m_legend->text().trimmed();
    def.unit = models::PanelUnit(m_unit->currentData().toInt());
    if (def.unit == models::PanelUnit::Percent)
        def.yMin = 0;
    return def;
}

} // namespace opsdeck::widgets
