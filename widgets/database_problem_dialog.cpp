#include "widgets/database_problem_dialog.h"

#include "widgets/widgets_tr.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace opsdeck::widgets {

DatabaseProblemDialog::DatabaseProblemDialog(const models::DatabaseProblem &problem, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(Tr::tr("Incident database problem"));
    auto *layout = new QVBoxLayout(this);
    auto *headline = new QLabel(QStringLiteral("<b>%1</b>").arg(problem.explanation.toHtmlEscaped()), this);
    headline->setWordWrap(true);
    auto *file = new QLabel(Tr::tr("File: %1").arg(problem.path), this);
    file->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *detail = new QLabel(Tr::tr("Details: %1").arg(problem.message), this);
    detail->setWordWrap(true);
    detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(headline);
    layout->addWidget(file);
    layout->addWidget(detail);
    if (!problem.backupPath.isEmpty())
        layout->addWidget(new QLabel(Tr::tr("Automatic backup: %1").arg(problem.backupPath), this));
    auto *buttons = new QDialogButtonBox(this);
    for (const models::DatabaseRecovery offer : problem.offers) {
        QPushButton *button = buttons->addButton(models::recoveryLabel(offer), QDialogButtonBox::AcceptRole);
        connect(button, &QPushButton::clicked, this, [this, offer] {
            m_choice = offer;
            accept();
        });
    }
    QPushButton *quit = buttons->addButton(Tr::tr("Quit OpsDeck"), QDialogButtonBox::RejectRole);
    connect(quit, &QPushButton::clicked, this, &QDialog::reject);
    layout->addWidget(buttons);
    setMinimumWidth(560);
}

} // namespace opsdeck::widgets
