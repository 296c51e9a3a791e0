#include "action_confirm_dialog.h"

#include "theme.h"
#include "widgets_tr.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace opsdeck::widgets {

namespace {
QLabel *sectionLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}
} // namespace

ActionConfirmDialog::ActionConfirmDialog(const QString &title, std::vector<ActionPreview> previews, QWidget *parent)
    : QDialog(parent)
    , m_previews(std::move(previews))
{
    setObjectName(QStringLiteral("actionConfirmDialog"));
    setWindowTitle(Tr::tr("Confirm: %1").arg(title));
    setMinimumWidth(640);
    auto *layout = new QVBoxLayout(this);
    layout->setSpacing(10);

    auto *heading = new QLabel(title, this);
    QFont hf = heading->font();
    hf.setPointSizeF(hf.pointSizeF() * 1.45);
    hf.setBold(true);
    heading->setFont(hf);
    heading->setWordWrap(true);
    layout->addWidget(heading);

    bool destructive = false;
    QStringList warnings;
    for (const auto &p : m_previews) {
        destructive = destructive || p.destructive;
        if (!p.warning.isEmpty())
            warnings << p.warning;
        if (p.destructive && !p.confirmName.isEmpty() && m_required.isEmpty())
            m_required = p.confirmName;
    }

    layout->addWidget(sectionLabel(Tr::tr("What will change"), this));
    auto *changes = new QLabel(this);
    changes->setObjectName(QStringLiteral("changes"));
    changes->setTextFormat(Qt::RichText);
    changes->setWordWrap(true);
    changes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QString html = QStringLiteral("<ul style='margin-left:-20px'>");
    for (const QString &line : changeLines())
        html += QStringLiteral("<li style='margin-bottom:4px'>%1</li>").arg(line.toHtmlEscaped());
    html += QStringLiteral("</ul>");
    changes->setText(html);
    QFont cf = changes->font();
    cf.setPointSizeF(cf.pointSizeF() * 1.15);
    changes->setFont(cf);
    layout->addWidget(changes);

    if (!warnings.isEmpty()) {
        auto *warning = new QLabel(QStringLiteral("⚠ ") + warnings.join(QStringLiteral("\n⚠ ")), this);
        warning->setObjectName(QStringLiteral("warning"));
        warning->setWordWrap(true);
        warning->setStyleSheet(QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg(theme::p2().name()));
        layout->addWidget(warning);
    }

    layout->addWidget(sectionLabel(Tr::tr("Equivalent command"), this));
    auto *commandRow = new QHBoxLayout;
    m_kubectl = new QPlainTextEdit(kubectlText(), this);
    m_kubectl->setObjectName(QStringLiteral("kubectl"));
    m_kubectl->setReadOnly(true);
    m_kubectl->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_kubectl->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    const int lines = std::max(2, static_cast<int>(kubectlText().size() / 80) + static_cast<int>(m_previews.size()));
    m_kubectl->setFixedHeight(m_kubectl->fontMetrics().lineSpacing() * std::min(lines, 7) + 14);
    commandRow->addWidget(m_kubectl, 1);
    m_copy = new QPushButton(Tr::tr("Copy"), this);
    m_copy->setObjectName(QStringLiteral("copy"));
    m_copy->setAutoDefault(false);
    connect(m_copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(kubectlText()); });
    commandRow->addWidget(m_copy, 0, Qt::AlignTop);
    layout->addLayout(commandRow);

    if (destructive && !m_required.isEmpty()) {
        auto *prompt = new QLabel(Tr::tr("This cannot be undone with one click. Type <b>%1</b> to confirm:")
                                      .arg(m_required.toHtmlEscaped()),
                                  this);
        prompt->setWordWrap(true);
        layout->addWidget(prompt);
        m_confirm = new QLineEdit(this);
        m_confirm->setObjectName(QStringLiteral("confirmName"));
        m_confirm->setPlaceholderText(m_required);
        connect(m_confirm, &QLineEdit::textChanged, this, &ActionConfirmDialog::updateOk);
        layout->addWidget(m_confirm);
    }

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setObjectName(QStringLiteral("ok"));
    m_ok->setText(m_previews.size() > 1 ? Tr::tr("Apply %n actions", nullptr, int(m_previews.size())) : Tr::tr("Apply"));
    if (destructive) {
        m_ok->setStyleSheet(QStringLiteral("QPushButton:enabled { background: %1; color: white; font-weight: bold; }")
                                .arg(theme::p1().darker(115).name()));
    }
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    if (m_confirm)
        m_confirm->setFocus();
    else
        buttons->button(QDialogButtonBox::Cancel)->setFocus(); // Enter alone never applies
    updateOk();
}

QString ActionConfirmDialog::kubectlText() const
{
    QStringList commands;
    for (const auto &p : m_previews)
        if (!p.kubectl.isEmpty())
            commands << p.kubectl;
    return commands.join(QLatin1Char('\n'));
}

QStringList ActionConfirmDialog::changeLines() const
{
    QStringList lines;
    for (const auto &p : m_previews) {
        if (p.changes.isEmpty())
            lines << (m_previews.size() > 1 ? p.title + QStringLiteral(": ") : QString()) + Tr::tr("(nothing known to change)");
        lines << p.changes;
    }
    return lines;
}

void ActionConfirmDialog::setNotAllowed(const QString &reason)
{
    m_notAllowed = reason;
    if (!m_notAllowedLabel) {
        m_notAllowedLabel = new QLabel(this);
        m_notAllowedLabel->setObjectName(QStringLiteral("notAllowed"));
        m_notAllowedLabel->setWordWrap(true);
        m_notAllowedLabel->setStyleSheet(QStringLiteral("QLabel { color: %1; font-weight: bold; }")
                                             .arg(theme::p1().name()));
        if (auto *box = qobject_cast<QBoxLayout *>(layout()))
            box->insertWidget(box->count() - 1, m_notAllowedLabel);
    }
    //: Confirmation dialog when the cluster refuses the user this action
    m_notAllowedLabel->setText(Tr::tr("Not permitted: %1").arg(reason));
    m_notAllowedLabel->setVisible(!reason.isEmpty());
    updateOk();
}

void ActionConfirmDialog::updateOk()
{
    m_ok->setEnabled(m_notAllowed.isEmpty()
                     && (!m_confirm || m_confirm->text().trimmed() == m_required));
}

} // namespace opsdeck::widgets
