#pragma once
// Helpers shared by the remediation GUI tests (tst_remediation, tst_actions_view): a
// step-mode backend, alert lookups in the snapshot, and driving the confirmation dialog
// the way an operator does (find it, type, click).
#include "backends/simulated/simulated_backend.h"
#include "widgets/action_confirm_dialog.h"
#include "widgets/remediation_controller.h"

#include <QLineEdit>
#include <QPushButton>
#include <QTest>

namespace opsdeck::testing {

inline constexpr std::int64_t kMinuteMs = 60'000;

inline backends::SimulatedBackendOptions stepOptions()
{
    backends::SimulatedBackendOptions o;
    o.config.seed = 3;
    o.threaded = false;
    return o;
}

// The afternoon peak (the simulated clock starts at 14:00 UTC): enough load for a slowed
// state DB to run out of connections.
inline backends::SimulatedBackendOptions busyOptions()
{
    backends::SimulatedBackendOptions o = stepOptions();
    o.config.startEpochMs += 14 * 60 * kMinuteMs;
    return o;
}

// True while an alert named `name` is firing (not resolved) in the latest snapshot.
inline bool alertFiring(const backends::ClusterBackend &backend, const std::string &name)
{
    const auto snap = backend.latestSnapshot();
    if (!snap || !snap->alerts)
        return false;
    for (const auto &a : *snap->alerts)
        if (a.alert.labels.get("alertname") == name && !a.resolved)
            return true;
    return false;
}

// Steps half a minute at a time (as a live console sees it) until `name` fires, at most
// `maxMinutes`. Returns whether it fired.
inline bool stepUntilFiring(backends::SimulatedBackend &backend, const std::string &name, int maxMinutes)
{
    for (int i = 0; i < maxMinutes * 2; ++i) {
        if (alertFiring(backend, name))
            return true;
        backend.step(kMinuteMs / 2);
    }
    return alertFiring(backend, name);
}

inline const sim::Deployment *deployment(const backends::ClusterBackend &backend, const std::string &name,
                                         const std::string &ns = "chatgpt-agent")
{
    const auto snap = backend.latestSnapshot();
    if (!snap || !snap->inventory)
        return nullptr;
    for (const auto &d : snap->inventory->deployments)
        if (d.name == name && d.ns == ns && d.region == snap->health.activeRegion)
            return &d;
    return nullptr;
}

// Types `confirmation` (when the dialog asks for one) and clicks Apply.
inline void confirm(widgets::ActionConfirmDialog *dialog, const QString &confirmation = {})
{
    QVERIFY(dialog);
    if (dialog->confirmField()) {
        dialog->confirmField()->setText(confirmation);
    }
    QVERIFY2(dialog->okButton()->isEnabled(), "Apply is disabled");
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
}

} // namespace opsdeck::testing
