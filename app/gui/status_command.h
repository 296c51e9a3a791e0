#pragma once
// `opsdeck status --kubeconfig F --context C --prometheus URL --alertmanager URL
//  [--component-map F] [--json]`:
// one refresh of a real cluster through RemoteBackend (the same code path as the
// console), printed headless: connections, inventory summary, firing alerts and the
// runbook's key metrics against their thresholds.
//
// Exit codes: 0 every configured component answered; 2 some were unreachable (what is
// known is still printed, and what is missing is said); 1 bad arguments.
#include <QStringList>

namespace opsdeck::app {

// args: the arguments after "status". Needs no running event loop; creates a
// QCoreApplication when there is none.
int runStatusCommand(const QStringList &args);

} // namespace opsdeck::app
