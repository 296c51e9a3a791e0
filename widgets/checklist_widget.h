#pragma once
// The runbook's pre-deployment checklist, in front of every deploy and canary: all tests
// passing in CI, security scan, performance benchmarks, rollback plan, change approval,
// on-call engineer notified, deployment calendar updated. The operator ticks what only a
// person can know; what the cluster can tell is filled from it ("rollback plan": a
// previous ReplicaSet of the deployment exists to roll back to) and cannot be ticked by
// hand. Deploy buttons stay disabled until complete, and missingText() says what is not.
#include "../backends/cluster_backend.h"

#include <QWidget>

#include <vector>

class QCheckBox;
class QLabel;

namespace opsdeck::widgets {

class PreDeploymentChecklist : public QWidget {
    Q_OBJECT
public:
    enum Item { TestsPassing, SecurityScan, Benchmarks, RollbackPlan, ChangeApproval, OnCallNotified, CalendarUpdated, ItemCount };

    explicit PreDeploymentChecklist(QWidget *parent = nullptr);

    bool isComplete() const;
    bool isChecked(Item item) const;
    // Ticks an item the operator vouches for; items filled from the cluster refuse.
    bool setChecked(Item item, bool checked);
    bool isFromCluster(Item item) const;
    QStringList missing() const;  // labels of unticked items
    QString missingText() const;  // "Missing: security scan, change approval"
    QCheckBox *checkBox(Item item) const { return m_boxes[static_cast<std::size_t>(item)]; }
    // Untick the operator's items (after a deploy: the next one needs its own checks).
    void resetManualItems();

public Q_SLOTS:
    // Re-reads what the cluster knows (previous ReplicaSet of agent-orchestrator).
    void updateFromSnapshot(const opsdeck::backends::SnapshotPtr &snapshot);

Q_SIGNALS:
    void completeChanged(bool complete);
    // Any item ticked or cleared (by the user or from the cluster): what is missing changed.
    void itemsChanged();

private:
    void onChanged();

    std::vector<QCheckBox *> m_boxes;
    QLabel *m_status = nullptr;
    bool m_lastComplete = false;
};

// True when deployment `name` in `region` has an older ReplicaSet to roll back to;
// `detail` gets "revision 6 (openai/chatgpt-agent:v2.14.0)" or why not.
bool hasRollbackTarget(const sim::Inventory &inventory, const std::string &region, const std::string &name, QString *detail);

} // namespace opsdeck::widgets
