#pragma once
// Watches a run from the outside, the way an on-call engineer would: samples the
// cluster's health at every scrape and, for each injected fault, records when its
// symptom first crossed a runbook threshold (detection) and when it cleared
// (mitigation). Also keeps the totals and worst values the run summary prints.
#include "backends/sim/scenario.h"
#include "backends/sim/simulation.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace opsdeck::cli {

// What the monitor reads at one sample: the health snapshot and, when a fault's symptom
// only shows in raw metrics (GPU XID errors, the DB pool), sums taken from the scrape.
struct Observation {
    sim::HealthSnapshot health;
    bool haveScrape = false;
    double gpuXidErrors = 0;   // sum of DCGM_FI_DEV_XID_ERRORS
    double dbPoolInUse = 0;    // sum of db_pool_connections_in_use
    double dbPoolMax = 0;      // sum of db_pool_connections_max
};

// A threshold ("agent_success_rate < 95%", P1): the runbook's health metrics and alert
// rules, plus the symptoms its procedures name (pool exhausted, GPU errors, violations).
struct Threshold {
    std::string name;
    std::string severity;   // P1, P2, or "signal" for a symptom without a runbook alert
    bool (*breached)(const Observation &observation);
};
const std::vector<Threshold> &runbookThresholds();

struct FaultTimeline {
    std::string text;                       // as given on the command line
    std::int64_t onsetMs = 0;
    std::optional<std::int64_t> detectedMs; // first sample with a newly crossed threshold
    std::vector<std::string> detectedBy;    // the thresholds that crossed then
    std::optional<std::int64_t> mitigatedMs;// start of the clear spell lasting to the end
    int recurrences = 0;                    // times the symptoms came back after clearing
};

class RunMonitor {
public:
    RunMonitor(const std::vector<sim::TimedFault> &faults, const std::vector<std::string> &texts);

    // True when some fault's symptom needs the scrape (gpu-failure, db-pool-exhaustion).
    bool needsScrape() const { return m_needsScrape; }
    // Call at every sample time, t=0 included. Pass the scrape when one was taken anyway;
    // otherwise the monitor takes one itself if needsScrape().
    void observe(const sim::Simulation &simulation, const telemetry::Scrape *scrape = nullptr);

    const std::vector<FaultTimeline> &faults() const { return m_faults; }
    double requests() const { return m_requests; }       // integrated from the request rate
    double errors() const { return m_errors; }
    double worstInferenceP99Sec() const { return m_worstP99; }
    double worstTaskLatencySec() const { return m_worstTaskLatency; }
    double lowestSuccessRate() const { return m_lowestSuccess; }
    double peakVcUtilization() const { return m_peakVcUtilization; }

private:
    std::vector<FaultTimeline> m_faults;
    std::vector<bool> m_breachedBeforeOnset; // per fault and threshold, flattened
    std::vector<bool> m_lastBreached;        // per threshold, at the previous sample
    std::vector<bool> m_baselineTaken;       // per fault: m_breachedBeforeOnset is set
    bool m_needsScrape = false;
    std::int64_t m_lastMs = 0;
    double m_requests = 0;
    double m_errors = 0;
    double m_worstP99 = 0;
    double m_worstTaskLatency = 0;
    double m_lowestSuccess = 1;
    double m_peakVcUtilization = 0;
};

struct RunTiming {
    std::int64_t simulatedMs = 0;
    double wallSeconds = 0;
};

// The human summary `run` prints at the end.
void printRunSummary(std::ostream &out, const sim::Simulation &simulation,
                     const RunMonitor &monitor, const RunTiming &timing);

} // namespace opsdeck::cli
