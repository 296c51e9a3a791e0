#pragma once
// Owns the sim::Simulation and everything that must only be touched by the thread that
// advances it. Lives on SimulatedBackend's worker thread (or, in deterministic step
// mode, on the caller's thread with no timer at all). Never touched by the UI directly:
// SimulatedBackend posts closures to it and receives snapshots by queued signal.
#include "../cluster_backend.h"
#include "../sim/scenario.h"
#include "../telemetry/alerting/alert_queue.h"
#include "../telemetry/alerting/rule_alert_sender.h"
#include "../telemetry/rules/rule_group.h"
#include "../telemetry/rules/store_sink.h"
#include "../telemetry/series_store.h"

#include <QElapsedTimer>
#include <QObject>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

class QTimer;

namespace opsdeck::backends {

struct SimulatedBackendOptions {
    sim::SimConfig config;
    std::vector<sim::TimedFault> faults;   // scheduled before the first step
    std::vector<sim::TimedAction> actions;
    // false: deterministic step mode, no thread and no timer; the owner drives simulated
    // time with SimulatedBackend::step(). Tests and --screenshot use it.
    bool threaded = true;
    // false: skip the per-second scrape into the series store (PromQL queries then fail
    // with a clear error). Only for callers that need raw stepping speed.
    bool recordMetrics = true;
    SimSpeed speed = SimSpeed::X1;
    bool startPaused = false;
    std::int64_t healthSampleEveryMs = 5000; // chart resolution, simulated time
    int maxPublishHz = 10;                   // snapshots to the UI, at most
    // Alert rules evaluated over the series store every ruleIntervalMs of simulated
    // time, their alerts handed to the console's AlertQueue. Empty: the runbook rules
    // embedded in the binary (resources/rules/runbook.rules.yml). Needs recordMetrics.
    bool evaluateRules = true;
    std::string rulesYaml;
    std::int64_t ruleIntervalMs = 15'000;
    // Simulated ms since start before which rules are not evaluated: a console restarted
    // mid-run has an evaluator with no memory of what came before (as a restarted
    // Prometheus), which importAlertState() then fills in.
    std::int64_t rulesStartAtMs = 0;
};

// One alert of the rule evaluator as a restart must resume it: pending or firing since
// when (epoch ms), and who acknowledged it in the queue. Plain values, so the console's
// database can store it without knowing the rule engine.
struct RuleAlertState {
    telemetry::Labels labels;      // the alert's full label set (alertname included)
    bool firing = false;           // false: pending
    std::int64_t activeAtMs = 0;   // when it became pending
    std::optional<std::int64_t> firedAtMs;
    std::string acknowledgedBy;    // empty: not acknowledged
    std::string ackComment;
    std::optional<std::int64_t> acknowledgedAtMs;
};

class SimulationWorker : public QObject {
    Q_OBJECT
public:
    explicit SimulationWorker(const SimulatedBackendOptions &options);
    ~SimulationWorker() override;

    // All of these run on the worker's thread.
    void advance(std::int64_t ms);  // whole simulated seconds, scrape each second
    SnapshotPtr takeSnapshot();     // hands over the health samples gathered so far
    sim::Simulation &simulation() { return *m_sim; }
    const SimulatedBackendOptions &options() const { return m_options; }
    // Every metric scraped so far (one scrape per simulated second, epoch ms), for PromQL.
    const telemetry::SeriesStore &store() const { return m_store; }
    // The console's alert queue, fed by the rule evaluations (times: epoch ms).
    telemetry::alerting::AlertQueue &alertQueue() { return m_alertQueue; }
    // Empty when the rule file loaded; otherwise why the rules are not evaluated.
    const std::string &rulesError() const { return m_rulesError; }

    void startTicking();            // threaded mode: begin the wall-clock driven loop
    void stopTicking();
    void setPaused(bool paused);
    void setSpeed(SimSpeed speed);
    // Something changed outside a step (fault, action): publish at the next tick.
    void markDirty() { m_dirty = true; }

    // The evaluator's pending/firing alerts with their times and queue acknowledgements.
    std::vector<RuleAlertState> exportAlertState();
    // Resumes alerts saved by exportAlertState() (typically before the previous console
    // exited). Each one is applied at the first evaluation of its rule that still finds
    // it active: it keeps its original activeAt, a firing one fires at once with its
    // original firedAt, and its acknowledgement is put back on the queue. An alert the
    // rule no longer finds is forgotten: it resolved while the console was away.
    void importAlertState(std::vector<RuleAlertState> states);

Q_SIGNALS:
    void snapshotReady(const opsdeck::backends::SnapshotPtr &snapshot);

private:
    void onTick();
    void stepOneSecond();
    void publish();
    void loadRules();
    void evaluateRules();
    // Rewrites one rule's alerts with the imported state they continue (see import).
    void applyRestoredState(const telemetry::rules::RuleSpec &rule,
                            std::vector<telemetry::rules::Alert> &alerts, std::int64_t nowMs);
    void restoreAcknowledgements(std::int64_t nowMs);

    SimulatedBackendOptions m_options;
    std::unique_ptr<sim::Simulation> m_sim;
    telemetry::SeriesStore m_store;
    std::vector<sim::HealthSnapshot> m_pendingHealth;
    std::vector<std::pair<sim::ActionSpec, sim::ActionResult>> m_actionsCompleted; // scheduled
    std::int64_t m_nextHealthSampleMs = 0;

    telemetry::rules::RuleEvaluator m_rules;
    telemetry::rules::SeriesStoreSink m_ruleSink{m_store};
    telemetry::alerting::RuleAlertSender m_alertSender;
    telemetry::alerting::AlertQueue m_alertQueue;
    std::string m_rulesError;
    bool m_rulesLoaded = false;
    std::map<telemetry::Labels, RuleAlertState> m_restored; // imported, still continuing
    std::vector<RuleAlertState> m_acksToRestore;             // once the queue holds them

    QTimer *m_timer = nullptr;
    QElapsedTimer m_sinceLastTick;
    QElapsedTimer m_sinceLastPublish;
    double m_owedSimMs = 0;         // simulated time due but not yet stepped (< 1 s)
    bool m_paused = false;
    bool m_dirty = true;            // state changed since the last publish
    SimSpeed m_speed = SimSpeed::X1;
};

} // namespace opsdeck::backends
