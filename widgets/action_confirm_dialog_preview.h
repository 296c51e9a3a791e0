#pragma once
// What an action will do, worked out before it is sent: the confirmation dialog shows it,
// so the operator reads "agent-orchestrator in us-east-1: replicas 10 → 50" instead of
// "scale". A pure function of the action and the newest snapshot (inventory + health), so
// it can be tested without a dialog and works the same against a remote cluster.
//
// The kubectl line is built the way the simulator builds ActionResult::kubectl
// (backends/sim/actions.cpp), so what the dialog promises is what the record will say.
#include "../backends/cluster_backend.h"

#include <QString>
#include <QStringList>

namespace opsdeck::widgets {

struct ActionPreview {
    QString title;        // "Roll back agent-orchestrator"
    QStringList changes;  // one line per concrete change, old → new where known
    QString kubectl;      // the equivalent command (may be several joined by &&)
    bool destructive = false;
    QString confirmName;  // destructive: what the operator must type (target's name)
    QString warning;      // known up front to fail or to hurt (e.g. no previous revision)
};

// `snapshot` may be null (no data yet): the preview then says what it cannot know.
ActionPreview previewAction(const sim::ActionSpec &spec, const backends::ClusterSnapshot *snapshot);

// Short "verb target" text for logs and buttons: "scale model-server → 20".
QString describeAction(const sim::ActionSpec &spec);

// Scale to zero, failover, restore and isolation take something away: type to confirm.
bool isDestructive(const sim::ActionSpec &spec);

} // namespace opsdeck::widgets
