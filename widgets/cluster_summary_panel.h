#pragma once
// The sixth dashboard cell: numbers an incident commander glances at next to the five
// health charts (active region, sessions, error ratio, memory, safety, pods ready).
#include "../backends/cluster_backend.h"

#include <QFrame>

class QFormLayout;
class QLabel;

namespace opsdeck::widgets {

class ClusterSummaryPanel : public QFrame {
    Q_OBJECT
public:
    explicit ClusterSummaryPanel(QWidget *parent = nullptr);
    ~ClusterSummaryPanel() override = default;

public Q_SLOTS:
    void showSnapshot(const opsdeck::backends::SnapshotPtr &snapshot);
    // Newest last; the panel keeps the last few for the "Recent events" list.
    void appendEvents(const std::vector<opsdeck::sim::SimEvent> &events);

private:
    QLabel *addRow(QFormLayout *form, const QString &name);

    QLabel *m_region = nullptr;
    QLabel *m_sessions = nullptr;
    QLabel *m_errors = nullptr;
    QLabel *m_memory = nullptr;
    QLabel *m_safety = nullptr;
    QLabel *m_pods = nullptr;
    QLabel *m_deployments = nullptr;
    QLabel *m_nodes = nullptr;
    QLabel *m_events = nullptr;
    std::vector<sim::SimEvent> m_recent;
};

} // namespace opsdeck::widgets
