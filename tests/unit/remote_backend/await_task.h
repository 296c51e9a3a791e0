#pragma once
// Runs the event loop until a QCoro task finishes and returns its value. QCoro::waitFor
// needs a default-constructible T, which Result<T> is not on purpose.
#include <QCoro/QCoroTask>
#include <QObject>
#include <QTest>

#include <optional>

namespace opsdeck::testing {

template <typename T>
T awaitTask(QCoro::Task<T> task, int timeoutMs = 120000)
{
    std::optional<T> out;
    QObject context;
    QCoro::connect(std::move(task), &context, [&out](T value) { out.emplace(std::move(value)); });
    if (!out && !QTest::qWaitFor([&out] { return out.has_value(); }, timeoutMs))
        qFatal("a coroutine did not finish within %d ms", timeoutMs);
    return std::move(*out);
}

} // namespace opsdeck::testing
