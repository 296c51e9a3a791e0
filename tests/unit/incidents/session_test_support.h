#pragma once
// Helpers for tests that drive an IncidentSession over a step-mode SimulatedBackend.
#include "backends/simulated/simulated_backend.h"

#include <QCoro/QCoroTask>
#include <QEventLoop>
#include <QTimer>

#include <optional>

namespace opsdeck::models::testing {

// Runs a task to completion on this thread's event loop (step mode finishes it at once;
// the watchdog only turns a hang into a failure).
template <typename T>
T await(QCoro::Task<T> task)
{
    std::optional<T> out;
    QEventLoop loop;
    QCoro::connect(std::move(task), &loop, [&](T value) {
        out.emplace(std::move(value));
        loop.quit();
    });
    if (!out) {
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (!out)
        qFatal("task did not finish within 30 s");
    return std::move(*out);
}

inline backends::SimulatedBackendOptions stepOptions(std::uint64_t seed = 11)
{
    backends::SimulatedBackendOptions o;
    o.config.seed = seed;
    o.threaded = false;
    return o;
}

// Steps until a firing, unresolved alert is in the queue (at most `maxMs`).
inline std::optional<telemetry::alerting::QueuedAlert> stepUntilFiring(backends::SimulatedBackend &backend,
                                                                      std::int64_t maxMs = 20 * 60'000)
{
    for (std::int64_t t = 0; t < maxMs; t += 30'000) {
        backend.step(30'000);
        const auto snapshot = backend.latestSnapshot();
        if (snapshot && snapshot->alerts)
            for (const auto &alert : *snapshot->alerts)
                if (!alert.resolved && alert.severity == telemetry::alerting::Severity::P1)
                    return alert;
    }
    return std::nullopt;
}

} // namespace opsdeck::models::testing
