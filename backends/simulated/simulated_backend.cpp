#include "simulated_backend.h"

#include "../sim/scenario.h"
#include "../telemetry/promql/promql.h"

#include <QCoro/QCoroFuture>

namespace opsdeck::backends {

namespace {
const char *presetName(sim::Preset preset)
{
    return preset == sim::Preset::Large ? "large" : "default";
}

Result<telemetry::promql::Value> noStoreError()
{
    return Error{"metric queries are not available: this simulation runs with recordMetrics off"};
}
} // namespace

SimulatedBackend::SimulatedBackend(const SimulatedBackendOptions &options, QObject *parent)
    : ClusterBackend(parent)
    , m_options(options)
    , m_paused(options.startPaused)
    , m_speed(options.speed)
{
    qRegisterMetaType<SnapshotPtr>();
    qRegisterMetaType<sim::ActionSpec>();
    qRegisterMetaType<sim::ActionResult>();

    m_worker = new SimulationWorker(m_options);
    connect(m_worker, &SimulationWorker::snapshotReady, this, &SimulatedBackend::onSnapshot);
    if (m_options.threaded) {
        m_thread = new QThread(this);
        m_thread->setObjectName(QStringLiteral("opsdeck-simulation"));
        m_worker->moveToThread(m_thread);
        m_thread->start();
        QMetaObject::invokeMethod(m_worker, &SimulationWorker::startTicking);
    } else {
        // The t=0 snapshot, so views have something before the first step.
        onSnapshot(m_worker->takeSnapshot());
    }
}

SimulatedBackend::~SimulatedBackend()
{
    if (m_thread) {
        QMetaObject::invokeMethod(m_worker, &SimulationWorker::stopTicking,
                                  Qt::BlockingQueuedConnection);
        m_thread->quit();
        m_thread->wait();
    }
    // The thread has stopped, so nothing else can be touching the worker now.
    delete m_worker;
}

std::int64_t SimulatedBackend::nowMs() const
{
    return m_latest ? m_latest->timeMs : 0;
}

void SimulatedBackend::step(std::int64_t ms)
{
    if (!m_thread) {
        m_worker->advance(ms);
        onSnapshot(m_worker->takeSnapshot());
        return;
    }
    SnapshotPtr snapshot;
    QMetaObject::invokeMethod(
        m_worker,
        [this, ms, &snapshot]() {
            m_worker->advance(ms);
            snapshot = m_worker->takeSnapshot();
        },
        Qt::BlockingQueuedConnection);
    onSnapshot(snapshot);
}

std::vector<RuleAlertState> SimulatedBackend::exportAlertState()
{
    if (!m_thread)
        return m_worker->exportAlertState();
    std::vector<RuleAlertState> states;
    QMetaObject::invokeMethod(
        m_worker, [this, &states]() { states = m_worker->exportAlertState(); },
        Qt::BlockingQueuedConnection);
    return states;
}

void SimulatedBackend::importAlertState(std::vector<RuleAlertState> states)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, states = std::move(states)]() mutable {
        worker->importAlertState(std::move(states));
    });
}

void SimulatedBackend::onSnapshot(const SnapshotPtr &snapshot)
{
    m_latest = snapshot;
    for (const auto &[action, result] : snapshot->scheduledActionsCompleted)
        Q_EMIT actionCompleted(action, result);
    Q_EMIT snapshotPublished(snapshot);
}

QString SimulatedBackend::displayName() const
{
    return tr("Simulation (seed %1, %2)")
        .arg(m_options.config.seed)
        .arg(QString::fromLatin1(presetName(m_options.config.preset)));
}

QStringList SimulatedBackend::statusFacts() const
{
    //: Status bar facts about the simulated cluster
    return {tr("seed %1").arg(m_options.config.seed),
            tr("preset %1").arg(QString::fromLatin1(presetName(m_options.config.preset)))};
}

QCoro::Task<Result<sim::Inventory>> SimulatedBackend::inventory()
{
    auto future = runOnWorker<Result<sim::Inventory>>(
        [](SimulationWorker &w) { return Result<sim::Inventory>(w.simulation().inventory()); });
    // Await a named future: GCC 12 double-destroys temporaries in `co_return co_await f(...)`.
    auto result = co_await future;
    co_return result;
}

QCoro::Task<Result<telemetry::promql::Value>> SimulatedBackend::queryInstant(QString promql,
                                                                            std::int64_t tMs)
{
    const std::string text = promql.toStdString();
    auto future = runOnWorker<Result<telemetry::promql::Value>>(
        [text, tMs](SimulationWorker &w) -> Result<telemetry::promql::Value> {
            if (!w.options().recordMetrics)
                return noStoreError();
            const telemetry::SeriesSource *source = &w.store();
            auto expr = telemetry::promql::parse(text);
            if (!expr)
                return Error{expr.error()};
            return telemetry::promql::evalInstant(*expr, *source, tMs);
        });
    // Await a named future: GCC 12 double-destroys temporaries in `co_return co_await f(...)`.
    auto result = co_await future;
    co_return result;
}

QCoro::Task<Result<telemetry::promql::Value>>
SimulatedBackend::queryRange(QString promql, std::int64_t startMs, std::int64_t endMs,
                             std::int64_t stepMs)
{
    const std::string text = promql.toStdString();
    auto future = runOnWorker<Result<telemetry::promql::Value>>(
        [text, startMs, endMs, stepMs](SimulationWorker &w) -> Result<telemetry::promql::Value> {
            if (!w.options().recordMetrics)
                return noStoreError();
            const telemetry::SeriesSource *source = &w.store();
            if (stepMs <= 0)
                return Error{"query_range: step must be positive"};
            if (endMs < startMs)
                return Error{"query_range: end is before start"};
            auto expr = telemetry::promql::parse(text);
            if (!expr)
                return Error{expr.error()};
            return telemetry::promql::evalRange(*expr, *source, startMs, endMs, stepMs);
        });
    // Await a named future: GCC 12 double-destroys temporaries in `co_return co_await f(...)`.
    auto result = co_await future;
    co_return result;
}

QCoro::Task<Result<std::vector<sim::SimEvent>>> SimulatedBackend::events(std::size_t from)
{
    auto future = runOnWorker<Result<std::vector<sim::SimEvent>>>(
        [from](SimulationWorker &w) {
            const auto &all = w.simulation().events();
            std::vector<sim::SimEvent> tail;
            if (from < all.size())
                tail.assign(all.begin() + std::ptrdiff_t(from), all.end());
            return Result<std::vector<sim::SimEvent>>(std::move(tail));
        });
    // Await a named future: GCC 12 double-destroys temporaries in `co_return co_await f(...)`.
    auto result = co_await future;
    co_return result;
}

QCoro::Task<Result<sim::ActionResult>> SimulatedBackend::apply(sim::ActionSpec action)
{
    auto future = runOnWorker<Result<sim::ActionResult>>(
        [action](SimulationWorker &w) {
            sim::ActionResult r = w.simulation().apply(action);
            w.markDirty();
            return Result<sim::ActionResult>(std::move(r));
        });
    auto result = co_await future;
    if (result)
        Q_EMIT actionCompleted(action, *result);
    co_return result;
}

namespace {
Error noAlertingError(const SimulationWorker &w)
{
    if (!w.rulesError().empty())
        return Error{"alerting is off: " + w.rulesError()};
    return Error{"alerting is off in this simulation (rules or metrics recording disabled)"};
}
} // namespace

QCoro::Task<Status> SimulatedBackend::acknowledge(telemetry::alerting::Fingerprint fingerprint,
                                                  QString who, QString comment)
{
    const std::string by = who.toStdString();
    const std::string text = comment.toStdString();
    auto future = runOnWorker<Status>([fingerprint, by, text](SimulationWorker &w) -> Status {
        if (!w.options().evaluateRules || !w.options().recordMetrics || !w.rulesError().empty())
            return noAlertingError(w);
        auto acked = w.alertQueue().acknowledge(fingerprint, by, text, w.simulation().epochMs());
        if (!acked)
            return Error{acked.error()};
        w.markDirty();
        return Done{};
    });
    // Await a named future: GCC 12 double-destroys temporaries in `co_return co_await f(...)`.
    auto result = co_await future;
    if (m_options.threaded == false && result)
        onSnapshot(m_worker->takeSnapshot()); // step mode: no tick will publish it
    co_return result;
}

QCoro::Task<Result<std::string>> SimulatedBackend::silence(telemetry::alerting::Matchers matchers,
                                                           std::int64_t durationMs, QString who,
                                                           QString comment)
{
    const std::string by = who.toStdString();
    const std::string text = comment.toStdString();
    auto future = runOnWorker<Result<std::string>>(
        [matchers = std::move(matchers), durationMs, by, text](
            SimulationWorker &w) -> Result<std::string> {
            if (!w.options().evaluateRules || !w.options().recordMetrics || !w.rulesError().empty())
                return noAlertingError(w);
            if (durationMs <= 0)
                return Error{"silence: the duration must be positive"};
            const std::int64_t now = w.simulation().epochMs();
            telemetry::alerting::SilenceSpec spec;
            spec.matchers = matchers;
            spec.startsAtMs = now;
            spec.endsAtMs = now + durationMs;
            spec.createdBy = by;
            spec.comment = text;
            auto id = w.alertQueue().setSilence(spec, now);
            if (id)
                w.markDirty();
            return id;
        });
    // Await a named future: GCC 12 double-destroys temporaries in `co_return co_await f(...)`.
    auto result = co_await future;
    if (m_options.threaded == false && result)
        onSnapshot(m_worker->takeSnapshot());
    co_return result;
}

Status SimulatedBackend::injectFault(const sim::FaultSpec &fault)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, fault]() {
        worker->simulation().injectFault(fault);
        worker->markDirty();
    });
    return Done{};
}

Status SimulatedBackend::clearFault(sim::FaultKind kind)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, kind]() {
        worker->simulation().clearFault(kind);
        worker->markDirty();
    });
    return Done{};
}

Status SimulatedBackend::setPaused(bool paused)
{
    if (paused == m_paused)
        return Done{};
    m_paused = paused;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, paused]() { worker->setPaused(paused); });
    Q_EMIT clockChanged();
    return Done{};
}

Status SimulatedBackend::setSpeed(SimSpeed speed)
{
    if (speed == m_speed)
        return Done{};
    m_speed = speed;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, speed]() { worker->setSpeed(speed); });
    Q_EMIT clockChanged();
    return Done{};
}

} // namespace opsdeck::backends
