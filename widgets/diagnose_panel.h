#pragma once
// "Diagnose" in the Actions view: one button runs the runbook's P2 performance
// investigation (models/diagnosis.h) on the live cluster and lists each check with its
// value against its threshold; a breached check shows its recommendation and a button
// that hands the action to RemediationController::request (confirmation included).
#include "../backends/cluster_backend.h"
#include "../models/diagnosis.h"

#include <QWidget>

#include <optional>
#include <vector>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace opsdeck::widgets {

class RemediationController;

class DiagnosePanel : public QWidget {
    Q_OBJECT
public:
    DiagnosePanel(backends::ClusterBackend *backend, RemediationController *controller, QWidget *parent = nullptr);

    QPushButton *runButton() const { return m_run; }
    bool isRunning() const { return m_running; }
    const models::DiagnosisReport &report() const { return m_report; }
    // The "do it" button of finding `index` in report().findings (null when none).
    QPushButton *actionButton(int index) const;
    QString summaryText() const;

public Q_SLOTS:
    void run();

Q_SIGNALS:
    void finished();

private:
    void showReport(models::DiagnosisReport report);
    // Greys out the fixes the cluster refuses to this user, with its reason.
    void applyPermissions();

    backends::ClusterBackend *m_backend;
    RemediationController *m_controller;
    QPushButton *m_run = nullptr;
    QLabel *m_summary = nullptr;
    QWidget *m_rows = nullptr;
    QVBoxLayout *m_rowsLayout = nullptr;
    std::vector<QPushButton *> m_actionButtons; // by finding index; null where none
    std::vector<std::optional<sim::ActionSpec>> m_buttonActions; // what each button requests
    models::DiagnosisReport m_report;
    bool m_running = false;
};

} // namespace opsdeck::widgets
