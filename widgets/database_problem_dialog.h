#pragma once
// Shown at startup when the incident database cannot be opened: what happened (in
// words and as SQLite said it, with the file), and one button per way forward the
// session offers (open read-only / restore the automatic backup / move aside and start
// fresh) plus Quit. Nothing is deleted by any choice.
//
//   models::DatabaseProblem problem = session->open();
//   while (!problem.ok()) {
//       DatabaseProblemDialog dialog(problem, window);
//       if (dialog.exec() != QDialog::Accepted) return 1;    // Quit
//       problem = session->recover(dialog.choice());
//   }
#include "models/incident_session.h"

#include <QDialog>

namespace opsdeck::widgets {

class DatabaseProblemDialog : public QDialog {
    Q_OBJECT
public:
    explicit DatabaseProblemDialog(const models::DatabaseProblem &problem, QWidget *parent = nullptr);
    // Valid after exec() returned Accepted.
    models::DatabaseRecovery choice() const { return m_choice; }

private:
    models::DatabaseRecovery m_choice = models::DatabaseRecovery::OpenReadOnly;
};

} // namespace opsdeck::widgets
