#pragma once
// The instructor's panel (simulation only): every fault the simulator can inject, with
// what it does and what the trainee should see, a target picker where the fault takes
// one, Inject and Heal, the faults active now, and a log of what happened when on the
// simulated clock. Talks only to ClusterBackend::injectFault / clearFault / events; on
// a real cluster it says so and stays disabled.
#include "../backends/cluster_backend.h"

#include <QPointer>
#include <QWidget>

#include <map>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QTreeWidget;

namespace opsdeck::widgets {

// What a fault does and which alert / runbook procedure answers it.
QString faultDescription(sim::FaultKind kind);

class InstructorPanel : public QWidget {
    Q_OBJECT
public:
    explicit InstructorPanel(backends::ClusterBackend *backend, QWidget *parent = nullptr);
    ~InstructorPanel() override = default;

    // For the owner (and tests): pick a fault as if clicked in the list.
    void selectFault(sim::FaultKind kind);
    std::optional<sim::FaultKind> selectedFault() const;
    // The FaultSpec Inject would send now (target and parameters from the form).
    sim::FaultSpec pendingSpec() const;

    bool isActive(sim::FaultKind kind) const { return m_active.count(kind) > 0; }
    std::size_t activeCount() const { return m_active.size(); }
    int logRows() const;
    QString logText(int row) const; // "T+0:05:00  Fault model-server-crash …"

    QTreeWidget *faultList() const { return m_faults; }
    QComboBox *targetCombo() const { return m_target; }
    QComboBox *regionCombo() const { return m_region; }
    QDoubleSpinBox *strengthSpin() const { return m_strength; }
    QPushButton *injectButton() const { return m_inject; }
    QPushButton *healButton() const { return m_heal; }
    QString statusText() const;

public Q_SLOTS:
    void inject();
    void heal();

private:
    void onSnapshot(const backends::SnapshotPtr &snapshot);
    void fetchEvents(std::size_t eventCount);
    void takeEvents(const std::vector<sim::SimEvent> &events);
    void onFaultChanged();
    void refreshStates();
    void refreshButtons();
    void setStatus(const QString &text, bool error);
    QString clockText(std::int64_t timeMs) const;

    QPointer<backends::ClusterBackend> m_backend;
    QTreeWidget *m_faults = nullptr;
    QLabel *m_description = nullptr;
    QLabel *m_targetLabel = nullptr;
    QComboBox *m_target = nullptr;
    QLabel *m_regionLabel = nullptr;
    QComboBox *m_region = nullptr;
    QLabel *m_strengthLabel = nullptr;
    QDoubleSpinBox *m_strength = nullptr;
    QPushButton *m_inject = nullptr;
    QPushButton *m_heal = nullptr;
    QLabel *m_status = nullptr;
    QTreeWidget *m_log = nullptr;

    std::map<sim::FaultKind, std::int64_t> m_active; // kind -> since (simulated ms)
    std::size_t m_eventsRequested = 0;
    std::int64_t m_startEpochMs = 0;
    backends::SnapshotPtr m_snapshot;
};

} // namespace opsdeck::widgets
