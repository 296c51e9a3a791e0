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

// A runbook threshold ("agent_success_rate < 95%", P1) and the health value it reads.
struct Threshold {
    std::string name;
    std::string severity;
    bool (*breached)(const sim::HealthSnapshot &health);
};
const std::vector<Threshold> &runbookThresholds();

struct FaultTimeline {
    std::string text;                       // as given on the command line
    std::int64_t onsetMs = 0;
    std::optional<std::int64_t> detectedMs; // first sample with a newly crossed threshold
    std::vector<std::string> detectedBy;    // the thresholds that crossed then
    std::optional<std::int64_t> mitigatedMs;// first later sample with those all clear
};

class RunMonitor {
public:
    RunMonitor(const std::vector<sim::TimedFault> &faults, const std::vector<std::string> &texts);

    // Call after every advance, with the simulation at its new time.
    void observe(const sim::Simulation &simulation);

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
