#include "simulation_worker.h"

#include "../telemetry/rules/rule_file.h"

#include <QFile>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace opsdeck::backends {

namespace {
constexpr std::int64_t kTickMs = 1000;        // the simulator's own resolution
constexpr int kTimerIntervalMs = 20;          // wall-clock pacing of the live loop
constexpr qint64 kStepBudgetPerTickMs = 40;   // never hog the worker longer than this
constexpr const char *kScrapeTarget = "opsdeck-simulation";
constexpr const char *kEmbeddedRules = ":/opsdeck/rules/runbook.rules.yml";

telemetry::alerting::RuleAlertSenderOptions senderOptions(const SimulatedBackendOptions &o)
{
    telemetry::alerting::RuleAlertSenderOptions opts;
    opts.evaluationIntervalMs = o.ruleIntervalMs;
    return opts;
}
} // namespace

SimulationWorker::SimulationWorker(const SimulatedBackendOptions &options)
    : m_options(options)
    , m_sim(std::make_unique<sim::Simulation>(options.config))
    , m_rules(options.ruleIntervalMs)
    , m_alertSender(senderOptions(options))
    , m_paused(options.startPaused)
    , m_speed(options.speed)
{
    for (const auto &fault : m_options.faults)
        m_sim->scheduleFault(fault.atMs, fault.spec);
    for (const auto &action : m_options.actions)
        m_sim->scheduleAction(action.atMs, action.spec);
    // The first chart point is t=0, so a fresh console already shows something.
    m_pendingHealth.push_back(m_sim->health());
    m_nextHealthSampleMs = m_options.healthSampleEveryMs;
    if (m_options.recordMetrics)
        m_store.ingest(m_sim->scrape(), m_sim->epochMs(), kScrapeTarget);
    if (m_options.evaluateRules && m_options.recordMetrics)
        loadRules();
}

SimulationWorker::~SimulationWorker() = default;

void SimulationWorker::loadRules()
{
    std::string text = m_options.rulesYaml;
    std::string name = "rules";
    if (text.empty()) {
        QFile file(QString::fromLatin1(kEmbeddedRules));
        if (!file.open(QIODevice::ReadOnly)) {
            m_rulesError = std::string("cannot open the embedded rule file ") + kEmbeddedRules;
            return;
        }
        text = file.readAll().toStdString();
        name = "runbook.rules.yml";
    }
    auto parsed = telemetry::rules::parseRuleFile(text, name);
    if (!parsed.errors.empty()) {
        m_rulesError = parsed.errors.front();
        return;
    }
    m_rules.addFile(parsed.file);
    // Evaluate from the simulation's start on, not from every interval since 1970 (or
    // from rulesStartAtMs on, when playing a console restarted mid-run).
    m_rules.startAt(m_sim->epochMs() + std::max<std::int64_t>(0, m_options.rulesStartAtMs));
    m_rulesLoaded = true;
}

void SimulationWorker::evaluateRules()
{
    const std::int64_t now = m_sim->epochMs();
    if (m_rules.advanceTo(m_store, m_ruleSink, now) > 0) {
        // What Prometheus would POST after the evaluation, one rule at a time.
        std::vector<telemetry::alerting::PostableAlert> batch;
        for (const auto &group : m_rules.groups()) {
            if (group.lastEvaluationMs() != now)
                continue;
            for (const auto &rule : group.rules()) {
                if (!rule.alerting)
                    continue;
                std::vector<telemetry::rules::Alert> alerts = rule.alerting->allAlerts();
                if (!m_restored.empty())
                    applyRestoredState(rule.spec, alerts, now);
                auto sent = m_alertSender.collect(alerts, rule.spec.exprText, now);
                batch.insert(batch.end(), std::make_move_iterator(sent.begin()),
                             std::make_move_iterator(sent.end()));
            }
        }
        if (!batch.empty())
            m_alertQueue.put(batch, now);
        if (!m_acksToRestore.empty())
            restoreAcknowledgements(now);
    }
    // Notifications have no receiver in the console: the queue view is the receiver.
    m_alertQueue.advance(now);
}

namespace {
// An imported state continuing `alert`: the earlier activeAt wins, and a firing state
// (or a pending one whose `for` has run out since it became active) fires now.
void continueFrom(RuleAlertState &restored, telemetry::rules::Alert &alert,
                  const telemetry::rules::RuleSpec &rule, std::int64_t nowMs)
{
    alert.activeAtMs = std::min(alert.activeAtMs, restored.activeAtMs);
    if (!restored.firing && nowMs - restored.activeAtMs >= rule.forMs) {
        restored.firing = true;
        restored.firedAtMs = nowMs;
    }
    if (restored.firing) {
        alert.state = telemetry::rules::AlertState::Firing;
        alert.firedAtMs = restored.firedAtMs.value_or(restored.activeAtMs);
    }
}
} // namespace

void SimulationWorker::applyRestoredState(const telemetry::rules::RuleSpec &rule,
                                          std::vector<telemetry::rules::Alert> &alerts,
                                          std::int64_t nowMs)
{
    std::map<telemetry::Labels, bool> stillActive;
    for (auto &alert : alerts) {
        const auto it = m_restored.find(alert.labels);
        if (it == m_restored.end())
            continue;
        if (alert.state == telemetry::rules::AlertState::Inactive) {
            m_restored.erase(it); // resolved since: the restored state has ended
            continue;
        }
        continueFrom(it->second, alert, rule, nowMs);
        stillActive[alert.labels] = true;
    }
    // The rule ran and no longer finds these: they went away while the console was down.
    for (auto it = m_restored.begin(); it != m_restored.end();) {
        if (it->first.get("alertname") == rule.name && !stillActive.count(it->first))
            it = m_restored.erase(it);
        else
            ++it;
    }
}

void SimulationWorker::restoreAcknowledgements(std::int64_t nowMs)
{
    for (auto it = m_acksToRestore.begin(); it != m_acksToRestore.end();) {
        const auto fp = telemetry::alerting::fingerprintOf(it->labels);
        const auto queued = m_alertQueue.find(fp, nowMs);
        if (!queued) {
            // Not sent yet (still pending) or gone: wait while the rule state continues.
            if (m_restored.count(it->labels)) {
                ++it;
            } else {
                it = m_acksToRestore.erase(it);
            }
            continue;
        }
        if (!queued->resolved && !queued->ack) {
            // The original time, so the response-deadline outcome stays what it was.
            auto acked = m_alertQueue.acknowledge(fp, it->acknowledgedBy, it->ackComment,
                                                  it->acknowledgedAtMs.value_or(nowMs));
            if (!acked)
                m_alertQueue.acknowledge(fp, it->acknowledgedBy, it->ackComment, nowMs);
        }
        it = m_acksToRestore.erase(it);
    }
}

std::vector<RuleAlertState> SimulationWorker::exportAlertState()
{
    std::vector<RuleAlertState> out;
    const std::int64_t now = m_sim->epochMs();
    for (const auto &group : m_rules.groups()) {
        for (const auto &rule : group.rules()) {
            if (!rule.alerting)
                continue;
            for (auto alert : rule.alerting->activeAlerts()) {
                if (auto it = m_restored.find(alert.labels); it != m_restored.end()) {
                    RuleAlertState copy = it->second; // read-only: no firing decided here
                    continueFrom(copy, alert, rule.spec, now);
                }
                RuleAlertState state;
                state.labels = alert.labels;
                state.firing = alert.state == telemetry::rules::AlertState::Firing;
                state.activeAtMs = alert.activeAtMs;
                state.firedAtMs = alert.firedAtMs;
                if (const auto queued = m_alertQueue.find(
                        telemetry::alerting::fingerprintOf(alert.labels), now);
                    queued && queued->ack) {
                    state.acknowledgedBy = queued->ack->by;
                    state.ackComment = queued->ack->comment;
                    state.acknowledgedAtMs = queued->ack->atMs;
                }
                out.push_back(std::move(state));
            }
        }
    }
    // Imported but not yet met by an evaluation (rules not run since): keep them as given.
    for (const auto &[labels, state] : m_restored) {
        const bool listed = std::any_of(out.begin(), out.end(),
                                        [&](const RuleAlertState &s) { return s.labels == labels; });
        if (!listed)
            out.push_back(state);
    }
    return out;
}

void SimulationWorker::importAlertState(std::vector<RuleAlertState> states)
{
    for (auto &state : states) {
        if (!state.acknowledgedBy.empty())
            m_acksToRestore.push_back(state);
        m_restored[state.labels] = std::move(state);
    }
    m_dirty = true;
}

void SimulationWorker::stepOneSecond()
{
    m_sim->advance(kTickMs);
    m_dirty = true;
    for (auto &done : m_sim->takeScheduledActionResults())
        m_actionsCompleted.push_back(std::move(done));
    if (m_options.recordMetrics)
        m_store.ingest(m_sim->scrape(), m_sim->epochMs(), kScrapeTarget);
    if (m_rulesLoaded)
        evaluateRules();
    if (m_sim->nowMs() >= m_nextHealthSampleMs) {
        sim::HealthSnapshot sample = m_sim->health();
        sample.services.clear(); // history needs the headline numbers only
        m_pendingHealth.push_back(std::move(sample));
        while (m_nextHealthSampleMs <= m_sim->nowMs())
            m_nextHealthSampleMs += m_options.healthSampleEveryMs;
    }
}

void SimulationWorker::advance(std::int64_t ms)
{
    for (std::int64_t stepped = 0; stepped + kTickMs <= ms; stepped += kTickMs)
        stepOneSecond();
}

SnapshotPtr SimulationWorker::takeSnapshot()
{
    auto snapshot = std::make_shared<ClusterSnapshot>();
    snapshot->timeMs = m_sim->nowMs();
    snapshot->epochMs = m_sim->epochMs();
    snapshot->health = m_sim->health();
    snapshot->inventory = std::make_shared<const sim::Inventory>(m_sim->inventory());
    snapshot->eventCount = m_sim->events().size();
    if (m_rulesLoaded) {
        m_alertQueue.advance(m_sim->epochMs()); // acks and silences made since the last step
        snapshot->alerts = std::make_shared<const std::vector<telemetry::alerting::QueuedAlert>>(
            m_alertQueue.snapshot(m_sim->epochMs()));
    }
    snapshot->healthSincePrevious = std::move(m_pendingHealth);
    m_pendingHealth.clear();
    snapshot->scheduledActionsCompleted = std::move(m_actionsCompleted);
    m_actionsCompleted.clear();
    return snapshot;
}

void SimulationWorker::publish()
{
    m_sinceLastPublish.restart();
    m_dirty = false;
    Q_EMIT snapshotReady(takeSnapshot());
}

void SimulationWorker::startTicking()
{
    if (!m_timer) {
        m_timer = new QTimer(this);
        m_timer->setTimerType(Qt::PreciseTimer);
        m_timer->setInterval(kTimerIntervalMs);
        connect(m_timer, &QTimer::timeout, this, &SimulationWorker::onTick);
    }
    m_sinceLastTick.start();
    m_sinceLastPublish.start();
    m_timer->start();
    publish();
}

void SimulationWorker::stopTicking()
{
    if (m_timer)
        m_timer->stop();
}

void SimulationWorker::setPaused(bool paused)
{
    m_paused = paused;
    m_owedSimMs = 0;
    m_sinceLastTick.restart();
}

void SimulationWorker::setSpeed(SimSpeed speed)
{
    m_speed = speed;
    m_owedSimMs = 0;
    m_sinceLastTick.restart();
}

void SimulationWorker::onTick()
{
    const qint64 wallMs = m_sinceLastTick.restart();
    QElapsedTimer budget;
    budget.start();
    if (!m_paused) {
        const double factor = speedFactor(m_speed);
        if (std::isinf(factor)) {
            // Max: as many seconds as fit in the budget, then let the event loop breathe.
            do {
                stepOneSecond();
            } while (budget.elapsed() < kStepBudgetPerTickMs);
        } else {
            m_owedSimMs += double(wallMs) * factor;
            while (m_owedSimMs >= kTickMs && budget.elapsed() < kStepBudgetPerTickMs) {
                stepOneSecond();
                m_owedSimMs -= kTickMs;
            }
            // Falling behind: drop the debt rather than snowball (the clock shows truth).
            m_owedSimMs = std::min(m_owedSimMs, double(kTickMs) * factor);
        }
    }
    const int hz = std::max(1, m_options.maxPublishHz);
    if (m_dirty && m_sinceLastPublish.elapsed() >= 1000 / hz)
        publish();
}

} // namespace opsdeck::backends
