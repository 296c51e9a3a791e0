#include "run_monitor.h"

#include <algorithm>
#include <cstdio>

namespace opsdeck::cli {

const std::vector<Threshold> &runbookThresholds()
{
    using O = Observation;
    static const std::vector<Threshold> thresholds{
        {"error ratio > 5% (HighErrorRate)", "P1",
         [](const O &o) { return o.health.errorRatio > 0.05; }},
        {"agent_success_rate < 95%", "P1", [](const O &o) { return o.health.successRate < 0.95; }},
        {"model_inference_latency_p99 > 2s", "P1",
         [](const O &o) { return o.health.modelInferenceP99Sec > 2.0; }},
        {"up{job=\"model-server\"} == 0 (ModelServerDown)", "P1",
         [](const O &o) {
             int desired = 0, ready = 0;
             for (const sim::ServiceStatus &s : o.health.services) {
                 if (s.component == "model-server") {
                     desired += s.desired;
                     ready += s.ready;
                 }
             }
             return desired > 0 && ready == 0;
         }},
        {"average_task_latency > 30s", "P2",
         [](const O &o) { return o.health.avgTaskLatencySec > 30.0; }},
        {"virtual_computer_utilization > 80%", "P2",
         [](const O &o) { return o.health.virtualComputerUtilization > 0.8; }},
        {"memory usage / limit > 90% (HighMemoryUsage)", "P2",
         [](const O &o) { return o.health.memoryUsageRatio > 0.9; }},
        {"agent_request_rate > 10000/min", "P2",
         [](const O &o) { return o.health.requestRatePerMin > 10000.0; }},
        // The P2 diagnosis' "connection_pool_exhausted".
        {"db_pool_connections_in_use >= 95% of max (pool exhausted)", "signal",
         [](const O &o) { return o.haveScrape && o.dbPoolMax > 0 && o.dbPoolInUse >= 0.95 * o.dbPoolMax; }},
        {"DCGM_FI_DEV_XID_ERRORS > 0 (GPU errors)", "signal",
         [](const O &o) { return o.haveScrape && o.gpuXidErrors > 0; }},
        // Baseline is a few hundredths per second; an injection wave is an order above 1/s.
        {"safety violations > 1/s", "signal",
         [](const O &o) { return o.health.safetyViolationsPerSec > 1.0; }},
    };
    return thresholds;
}

namespace {

double sumOf(const telemetry::Scrape &scrape, const std::string &family)
{
    double sum = 0;
    for (const telemetry::MetricFamily &f : scrape) {
        if (f.name != family)
            continue;
        for (const telemetry::Sample &sample : f.samples)
            sum += sample.value;
    }
    return sum;
}

} // namespace

RunMonitor::RunMonitor(const std::vector<sim::TimedFault> &faults,
                       const std::vector<std::string> &texts)
{
    const std::size_t n = runbookThresholds().size();
    for (std::size_t i = 0; i < faults.size(); ++i) {
        FaultTimeline timeline;
        timeline.text = i < texts.size() ? texts[i] : sim::faultName(faults[i].spec.kind);
        timeline.onsetMs = faults[i].atMs;
        m_faults.push_back(std::move(timeline));
        m_needsScrape = m_needsScrape || faults[i].spec.kind == sim::FaultKind::GpuFailure ||
                        faults[i].spec.kind == sim::FaultKind::DbPoolExhaustion;
    }
    m_breachedBeforeOnset.assign(faults.size() * n, false);
    m_lastBreached.assign(n, false);
    m_baselineTaken.assign(faults.size(), false);
}

void RunMonitor::observe(const sim::Simulation &simulation, const telemetry::Scrape *scrape)
{
    Observation observation;
    observation.health = simulation.health();
    telemetry::Scrape ownScrape;
    if (!scrape && m_needsScrape) {
        ownScrape = simulation.scrape();
        scrape = &ownScrape;
    }
    if (scrape) {
        observation.haveScrape = true;
        observation.gpuXidErrors = sumOf(*scrape, "DCGM_FI_DEV_XID_ERRORS");
        observation.dbPoolInUse = sumOf(*scrape, "db_pool_connections_in_use");
        observation.dbPoolMax = sumOf(*scrape, "db_pool_connections_max");
    }
    const sim::HealthSnapshot &health = observation.health;
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
        breached[t] = thresholds[t].breached(observation);

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
        bool symptomatic = false;
        for (std::size_t t = 0; t < n; ++t)
            symptomatic = symptomatic || (breached[t] && !m_breachedBeforeOnset[f * n + t]);
        if (!fault.detectedMs) {
            if (!symptomatic)
                continue;
            fault.detectedMs = now;
            for (std::size_t t = 0; t < n; ++t) {
                if (breached[t] && !m_breachedBeforeOnset[f * n + t])
                    fault.detectedBy.push_back(thresholds[t].name + " (" + thresholds[t].severity + ")");
            }
        } else if (symptomatic && fault.mitigatedMs) {
            fault.mitigatedMs.reset(); // it came back: the earlier clear spell did not last
            ++fault.recurrences;
        } else if (!symptomatic && !fault.mitigatedMs) {
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

// Multi-line details (a result, then the kubectl command) stay under their entry.
std::string indentContinuation(const std::string &text, const std::string &indent)
{
    std::string out;
    for (char c : text) {
        out += c;
        if (c == '\n')
            out += indent;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n'))
        out.pop_back();
    return out;
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
            out << "    detected    never: no runbook threshold or symptom crossed\n";
        }
        if (fault.mitigatedMs)
            out << "    mitigated   " << at(*fault.mitigatedMs) << " ("
                << sim::formatDuration(*fault.mitigatedMs - fault.onsetMs) << " after onset)";
        else if (fault.detectedMs)
            out << "    mitigated   not by the end of the run";
        if (fault.recurrences > 0)
            out << (fault.detectedMs ? "; " : "") << "symptoms came back " << fault.recurrences
                << (fault.recurrences == 1 ? " time" : " times") << " after clearing";
        if (fault.detectedMs)
            out << "\n";
    }

    out << "\nActions:\n";
    bool anyAction = false;
    for (const sim::SimEvent &event : simulation.events()) {
        if (event.kind != sim::SimEvent::Kind::Action)
            continue;
        anyAction = true;
        std::string when = at(event.timeMs);
        when.resize(std::max<std::size_t>(when.size() + 1, 10), ' ');
        out << "  " << when << (event.ok ? "ok      " : "FAILED  ") << event.title;
        if (!event.detail.empty())
            out << ": " << indentContinuation(event.detail, std::string(20, ' '));
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

    // RPO: what a restore lost. The simulation states it in the restore's result.
    for (const sim::SimEvent &event : simulation.events()) {
        if (event.kind != sim::SimEvent::Kind::Action ||
            event.title.find("restore") == std::string::npos)
            continue;
        const std::string firstLine = event.detail.substr(0, event.detail.find('\n'));
        const std::size_t loss = firstLine.find("data loss");
        out << "  RPO data loss (restore " << at(event.timeMs) << ")  "
            << (loss == std::string::npos ? firstLine : firstLine.substr(loss + 10)) << "\n";
    }
}

} // namespace opsdeck::cli
