#include "run_monitor.h"

#include <algorithm>
#include <cstdio>

namespace opsdeck::cli {

const std::vector<Threshold> &runbookThresholds()
{
    // The runbook's "System Health Metrics" and alert rules, read off the snapshot.
    static const std::vector<Threshold> thresholds{
        {"error ratio > 5% (HighErrorRate)", "P1",
         [](const sim::HealthSnapshot &h) { return h.errorRatio > 0.05; }},
        {"agent_success_rate < 95%", "P1",
         [](const sim::HealthSnapshot &h) { return h.successRate < 0.95; }},
        {"model_inference_latency_p99 > 2s", "P1",
         [](const sim::HealthSnapshot &h) { return h.modelInferenceP99Sec > 2.0; }},
        {"up{job=\"model-server\"} == 0 (ModelServerDown)", "P1",
         [](const sim::HealthSnapshot &h) {
             int desired = 0, ready = 0;
             for (const sim::ServiceStatus &s : h.services) {
                 if (s.component == "model-server") {
                     desired += s.desired;
                     ready += s.ready;
                 }
             }
             return desired > 0 && ready == 0;
         }},
        {"average_task_latency > 30s", "P2",
         [](const sim::HealthSnapshot &h) { return h.avgTaskLatencySec > 30.0; }},
        {"virtual_computer_utilization > 80%", "P2",
         [](const sim::HealthSnapshot &h) { return h.virtualComputerUtilization > 0.8; }},
        {"memory usage / limit > 90% (HighMemoryUsage)", "P2",
         [](const sim::HealthSnapshot &h) { return h.memoryUsageRatio > 0.9; }},
        {"agent_request_rate > 10000/min", "P2",
         [](const sim::HealthSnapshot &h) { return h.requestRatePerMin > 10000.0; }},
    };
    return thresholds;
}

RunMonitor::RunMonitor(const std::vector<sim::TimedFault> &faults,
                       const std::vector<std::string> &texts)
{
    const std::size_t n = runbookThresholds().size();
    for (std::size_t i = 0; i < faults.size(); ++i) {
        FaultTimeline timeline;
        timeline.text = i < texts.size() ? texts[i] : sim::faultName(faults[i].spec.kind);
        timeline.onsetMs = faults[i].atMs;
        m_faults.push_back(std::move(timeline));
    }
    m_breachedBeforeOnset.assign(faults.size() * n, false);
    m_lastBreached.assign(n, false);
    m_baselineTaken.assign(faults.size(), false);
}

void RunMonitor::observe(const sim::Simulation &simulation)
{
    const sim::HealthSnapshot health = simulation.health();
    const std::int64_t now = simulation.nowMs();
    const double dtSec = static_cast<double>(now - m_lastMs) / 1000.0;
    const double stepRequests = health.requestRatePerMin / 60.0 * dtSec;
    m_requests += stepRequests;
    m_errors += stepRequests * health.errorRatio;
    m_worstP99 = std::max(m_worstP99, health.modelInferenceP99Sec);
    m_worstTaskLatency = std::max(m_worstTaskLatency, health.avgTaskLatencySec);
    m_lowestSuccess = std::min(m_lowestSuccess, health.successRate);
    m_peakVcUtilization = std::max(m_peakVcUtilization, health.virtualComputerUtilization);

    const std::vector<Threshold> &thresholds = runbookThresholds();
    const std::size_t n = thresholds.size();
    std::vector<bool> breached(n);
    for (std::size_t t = 0; t < n; ++t)
        breached[t] = thresholds[t].breached(health);

    for (std::size_t f = 0; f < m_faults.size(); ++f) {
        FaultTimeline &fault = m_faults[f];
        if (now < fault.onsetMs)
            continue;
        if (!m_baselineTaken[f]) {
            // What was already wrong at the sample before onset is not this fault's symptom.
            for (std::size_t t = 0; t < n; ++t)
                m_breachedBeforeOnset[f * n + t] = m_lastBreached[t];
            m_baselineTaken[f] = true;
        }
        if (!fault.detectedMs) {
            for (std::size_t t = 0; t < n; ++t) {
                if (breached[t] && !m_breachedBeforeOnset[f * n + t])
                    fault.detectedBy.push_back(thresholds[t].name + " (" + thresholds[t].severity + ")");
            }
            if (!fault.detectedBy.empty())
                fault.detectedMs = now;
            continue;
        }
        if (!fault.mitigatedMs) {
            bool stillBreached = false;
            for (std::size_t t = 0; t < n; ++t) {
                if (breached[t] && !m_breachedBeforeOnset[f * n + t])
                    stillBreached = true;
            }
            if (!stillBreached)
                fault.mitigatedMs = now;
        }
    }
    m_lastBreached = breached;
    m_lastMs = now;
}

namespace {

std::string number(double v, int decimals = 0)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string percent(double ratio, int decimals = 2)
{
    return number(ratio * 100.0, decimals) + "%";
}

// Counters summed over every series of a family, when the simulation exports it.
std::optional<double> counterTotal(const telemetry::Scrape &scrape, const std::string &name)
{
    for (const telemetry::MetricFamily &family : scrape) {
        if (family.name != name && family.name + "_total" != name)
            continue;
        double sum = 0;
        for (const telemetry::Sample &sample : family.samples) {
            if (sample.name == name)
                sum += sample.value;
        }
        return sum;
    }
    return std::nullopt;
}

std::string at(std::int64_t ms)
{
    return "t=" + sim::formatDuration(ms);
}

} // namespace

void printRunSummary(std::ostream &out, const sim::Simulation &simulation,
                     const RunMonitor &monitor, const RunTiming &timing)
{
    const double simulatedSec = static_cast<double>(timing.simulatedMs) / 1000.0;
    out << "Simulated " << sim::formatDuration(timing.simulatedMs) << " (seed "
        << simulation.config().seed << ", preset "
        << (simulation.config().preset == sim::Preset::Large ? "large" : "default") << ") in "
        << number(timing.wallSeconds, 3) << " s wall time";
    if (timing.wallSeconds > 0)
        out << ", " << number(simulatedSec / timing.wallSeconds) << "x real time";
    out << "\n";

    out << "\nFaults:\n";
    if (monitor.faults().empty())
        out << "  none\n";
    for (const FaultTimeline &fault : monitor.faults()) {
        out << "  " << fault.text << "\n";
        out << "    onset       " << at(fault.onsetMs) << "\n";
        if (fault.detectedMs) {
            out << "    detected    " << at(*fault.detectedMs) << " (+"
                << sim::formatDuration(*fault.detectedMs - fault.onsetMs) << "): ";
            for (std::size_t i = 0; i < fault.detectedBy.size(); ++i)
                out << (i ? "; " : "") << fault.detectedBy[i];
            out << "\n";
        } else {
            out << "    detected    never: no runbook threshold crossed\n";
        }
        if (fault.mitigatedMs)
            out << "    mitigated   " << at(*fault.mitigatedMs) << " ("
                << sim::formatDuration(*fault.mitigatedMs - fault.onsetMs) << " after onset)\n";
        else if (fault.detectedMs)
            out << "    mitigated   not by the end of the run\n";
    }

    out << "\nActions:\n";
    bool anyAction = false;
    for (const sim::SimEvent &event : simulation.events()) {
        if (event.kind != sim::SimEvent::Kind::Action)
            continue;
        anyAction = true;
        out << "  " << at(event.timeMs) << "  " << (event.ok ? "ok    " : "FAILED") << "  "
            << event.title;
        if (!event.detail.empty())
            out << ": " << event.detail;
        out << "\n";
    }
    if (!anyAction)
        out << "  none\n";

    const telemetry::Scrape scrape = simulation.scrape();
    const std::optional<double> requestCounter = counterTotal(scrape, "agent_requests_total");
    const std::optional<double> errorCounter = counterTotal(scrape, "agent_errors_total");
    const double requests = requestCounter ? *requestCounter : monitor.requests();
    const double errors = errorCounter ? *errorCounter : monitor.errors();
    out << "\nTotals" << (requestCounter ? " (agent_requests_total, agent_errors_total)" : "")
        << ":\n";
    out << "  requests                    " << number(requests) << "\n";
    out << "  errors                      " << number(errors) << "\n";
    out << "  error ratio                 " << percent(requests > 0 ? errors / requests : 0, 3)
        << "\n";
    out << "  lowest success rate         " << percent(monitor.lowestSuccessRate()) << "\n";
    out << "  worst inference p99         " << number(monitor.worstInferenceP99Sec(), 3) << " s\n";
    out << "  worst average task latency  " << number(monitor.worstTaskLatencySec(), 2) << " s\n";
    out << "  peak VC utilization         " << percent(monitor.peakVcUtilization(), 1) << "\n";

    // RPO: what a restore lost. The simulation reports it in the restore's event.
    for (const sim::SimEvent &event : simulation.events()) {
        if (event.kind == sim::SimEvent::Kind::Action &&
            event.title.find("restore") != std::string::npos)
            out << "  restore at " << at(event.timeMs) << " (RPO): "
                << (event.detail.empty() ? event.title : event.detail) << "\n";
    }
}

} // namespace opsdeck::cli
