// scrape(): deterministic (same seed and inputs -> byte-identical output), well formed
// (valid names, cumulative buckets ending in +Inf == _count, counters that only grow),
// the runbook's metric names present, and a healthy day that keeps HighErrorRate quiet.
#include "sim_test_support.h"

#include <QTest>

#include <map>
#include <regex>
#include <set>

using namespace opsdeck::sim;
using namespace opsdeck::sim::testing;
using opsdeck::telemetry::MetricType;

namespace {
std::vector<std::string> runScenario(std::uint64_t seed)
{
    SimConfig cfg;
    cfg.seed = seed;
    Simulation sim(cfg);
    sim.scheduleFault(2 * kHour, fault(FaultKind::BadDeploy));
    sim.scheduleAction(2 * kHour + 5 * kMin, action(ActionKind::Rollback, "agent-orchestrator"));
    sim.scheduleFault(3 * kHour, fault(FaultKind::TrafficSurge));
    std::vector<std::string> out;
    for (int i = 0; i < 4; ++i) {
        sim.advance(kHour);
        out.push_back(serialise(sim.scrape()));
    }
    return out;
}
} // namespace

class TestSimScrape : public QObject {
    Q_OBJECT
private slots:
    void sameSeedSameBytes()
    {
        const auto a = runScenario(7), b = runScenario(7), c = runScenario(8);
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY2(a[i] == b[i], qPrintable(QString("scrape %1 differs between identical runs").arg(i)));
        QVERIFY(a.back() != c.back());
    }

    void wellFormed()
    {
        Simulation sim(SimConfig{});
        sim.injectFault(fault(FaultKind::MemoryLeak));
        sim.advance(10 * kMin);
        const auto first = sim.scrape();
        sim.advance(5 * kMin);
        const auto second = sim.scrape();
        const std::regex metricName("[a-zA-Z_:][a-zA-Z0-9_:]*");
        const std::regex labelName("[a-zA-Z_][a-zA-Z0-9_]*");
        std::set<std::string> families;
        for (const auto &f : second) {
            QVERIFY2(families.insert(f.name).second, f.name.c_str());
            QVERIFY2(std::regex_match(f.name, metricName), f.name.c_str());
            QVERIFY(!f.help.empty());
            std::map<std::string, std::vector<const opsdeck::telemetry::Sample *>> buckets; // by series
            std::map<std::string, double> counts;
            for (const auto &s : f.samples) {
                QVERIFY2(s.name.rfind(f.name, 0) == 0, s.name.c_str());
                QVERIFY(std::isfinite(s.value));
                for (const auto &[k, v] : s.labels.items()) {
                    QVERIFY2(std::regex_match(k, labelName), k.c_str());
                    QVERIFY(k.rfind("__", 0) != 0);
                }
                if (f.type == MetricType::Histogram) {
                    opsdeck::telemetry::Labels base = s.labels;
                    base.remove("le");
                    if (s.name == f.name + "_bucket")
                        buckets[base.toString()].push_back(&s);
                    else if (s.name == f.name + "_count")
                        counts[base.toString()] = s.value;
                    else
                        QCOMPARE(s.name, f.name + "_sum");
                }
            }
            for (const auto &[series, list] : buckets) {
                QVERIFY(list.size() >= 2);
                double prev = -1, prevLe = -1;
                for (const auto *b : list) {
                    QVERIFY2(b->value >= prev, (f.name + series).c_str());
                    prev = b->value;
                    const std::string le = b->labels.get("le");
                    if (le != "+Inf") {
                        QVERIFY(std::stod(le) > prevLe);
                        prevLe = std::stod(le);
                    }
                }
                QCOMPARE(list.back()->labels.get("le"), std::string("+Inf"));
                QCOMPARE(list.back()->value, counts.at(series));
            }
        }
        // counters never go down between scrapes (same series)
        std::map<std::string, double> before;
        for (const auto &f : first)
            if (f.type == MetricType::Counter || f.type == MetricType::Histogram)
                for (const auto &s : f.samples)
                    before[s.name + s.labels.toString()] = s.value;
        int compared = 0;
        for (const auto &f : second)
            if (f.type == MetricType::Counter || f.type == MetricType::Histogram)
                for (const auto &s : f.samples)
                    if (auto it = before.find(s.name + s.labels.toString()); it != before.end()) {
                        QVERIFY2(s.value >= it->second, (s.name + s.labels.toString()).c_str());
                        ++compared;
                    }
        QVERIFY(compared > 100);
        // the family order is stable
        QCOMPARE(first.size(), second.size());
        for (std::size_t i = 0; i < first.size(); ++i)
            QCOMPARE(first[i].name, second[i].name);
    }

    void runbookAndExporterNames()
    {
        Simulation sim(SimConfig{});
        sim.advance(kMin);
        const auto s = sim.scrape();
        std::map<std::string, MetricType> types;
        for (const auto &f : s)
            types[f.name] = f.type;
        const std::pair<const char *, MetricType> expected[] = {
            {"agent_requests_total", MetricType::Counter},
            {"agent_errors_total", MetricType::Counter},
            {"agent_task_duration_seconds", MetricType::Histogram},
            {"agent_active_sessions", MetricType::Gauge},
            {"safety_violations_total", MetricType::Counter},
            {"model_inference_latency_seconds", MetricType::Histogram},
            {"virtual_computer_utilization", MetricType::Gauge},
            {"container_memory_usage_bytes", MetricType::Gauge},
            {"container_spec_memory_limit_bytes", MetricType::Gauge},
            {"up", MetricType::Gauge},
            {"db_pool_connections_in_use", MetricType::Gauge},
            {"db_pool_connections_max", MetricType::Gauge},
            {"db_pool_wait_seconds", MetricType::Gauge},
            {"message_queue_depth", MetricType::Gauge},
            {"kube_deployment_spec_replicas", MetricType::Gauge},
            {"kube_deployment_status_replicas_available", MetricType::Gauge},
            {"http_request_duration_seconds", MetricType::Histogram},
            {"external_service_latency_seconds", MetricType::Histogram},
            {"vllm:num_requests_running", MetricType::Gauge},
            {"vllm:num_requests_waiting", MetricType::Gauge},
            {"vllm:kv_cache_usage_perc", MetricType::Gauge},
            {"vllm:time_to_first_token_seconds", MetricType::Histogram},
            {"vllm:inter_token_latency_seconds", MetricType::Histogram},
            {"vllm:e2e_request_latency_seconds", MetricType::Histogram},
            {"vllm:num_preemptions_total", MetricType::Counter},
            {"vllm:prompt_tokens_total", MetricType::Counter},
            {"vllm:generation_tokens_total", MetricType::Counter},
            {"DCGM_FI_DEV_GPU_UTIL", MetricType::Gauge},
            {"DCGM_FI_DEV_FB_USED", MetricType::Gauge},
            {"DCGM_FI_DEV_FB_FREE", MetricType::Gauge},
            {"DCGM_FI_DEV_XID_ERRORS", MetricType::Gauge},
            {"DCGM_FI_DEV_GPU_TEMP", MetricType::Gauge},
            {"DCGM_FI_DEV_POWER_USAGE", MetricType::Gauge},
        };
        for (const auto &[name, type] : expected) {
            QVERIFY2(types.count(name), name);
            QVERIFY2(types[name] == type, name);
        }
        // labels Prometheus users expect
        QCOMPARE(countSamples(s, "up", [](const Labels &l) { return l.get("job") == "model-server" && l.get("region") == "us-east-1"; }), 5);
        QVERIFY(countSamples(s, "up", [](const Labels &l) {
                    return l.has("instance") && l.has("pod") && l.has("namespace") && l.has("region");
                }) > 100);
        QCOMPARE(countSamples(s, "vllm:num_requests_running", [](const Labels &l) { return l.get("model_name") == "agent-70b"; }), 10);
        QVERIFY(countSamples(s, "DCGM_FI_DEV_GPU_UTIL", [](const Labels &l) {
                    return l.has("gpu") && l.has("UUID") && l.has("Hostname") && l.get("modelName") == "NVIDIA H200";
                }) >= 8 * 20);
        QCOMPARE(countSamples(s, "container_memory_usage_bytes", [](const Labels &l) {
                     return l.get("container") == "orchestrator" && l.get("namespace") == "chatgpt-agent" && l.get("region") == "us-east-1";
                 }), 10);
        QCOMPARE(sumSamples(s, "kube_deployment_spec_replicas", [](const Labels &l) {
                     return l.get("deployment") == "agent-orchestrator" && l.get("region") == "us-east-1" && l.get("namespace") == "chatgpt-agent";
                 }), 10.0);
        QCOMPARE(countSamples(s, "agent_active_sessions", [](const Labels &l) { return l.get("region") == "us-east-1"; }), 4);
        const double util = sumSamples(s, "DCGM_FI_DEV_GPU_UTIL", [](const Labels &l) { return l.get("region") == "us-east-1"; });
        QVERIFY(util > 0);
    }

    void healthyDayStaysQuiet()
    {
        // A whole day without faults: per-series rate(agent_errors_total[5m]) stays well
        // under 0.05/s, memory under 90 %, model servers up, and the peak reaches
        // ~6,000-8,000 requests/min while staying below the 10,000/min P2 threshold.
        Simulation sim(SimConfig{});
        std::map<std::string, double> last;
        double maxRate = 0, peakRpm = 0;
        for (int step = 0; step < 24 * 12; ++step) {
            sim.advance(5 * kMin);
            const auto s = sim.scrape();
            for (const auto &f : s)
                if (f.name == "agent_errors_total")
                    for (const auto &x : f.samples) {
                        const std::string key = x.labels.toString();
                        if (last.count(key))
                            maxRate = std::max(maxRate, (x.value - last[key]) / 300.0);
                        last[key] = x.value;
                    }
            const HealthSnapshot h = sim.health();
            peakRpm = std::max(peakRpm, h.requestRatePerMin);
            QVERIFY(h.memoryUsageRatio < 0.9);
            QVERIFY(h.modelInferenceP99Sec < 2.0);
            QVERIFY(h.avgTaskLatencySec < 30);
            QCOMPARE(sumSamples(s, "up", [](const Labels &l) { return l.get("job") == "model-server"; }), 10.0);
        }
        QVERIFY2(maxRate < 0.02, qPrintable(QString("max per-series error rate %1/s").arg(maxRate)));
        QVERIFY2(peakRpm > 6000 && peakRpm < 9500, qPrintable(QString("peak %1/min").arg(peakRpm)));
    }
};

QTEST_GUILESS_MAIN(TestSimScrape)
#include "tst_sim_scrape.moc"
