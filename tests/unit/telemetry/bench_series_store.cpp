// Micro benchmark for the telemetry core, run by hand (not a test):
//   bench_series_store [series=2000] [hours=6]
// Simulates a cluster exposing `series` series scraped every 15 s for `hours` simulated
// hours, then times appends, ingest, exposition write/parse and range reads.
#include "backends/telemetry/exposition.h"
#include "backends/telemetry/series_store.h"
#include "bench_memory.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace opsdeck::telemetry;
using bench::residentBytes;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// A scrape shaped like the simulator's: counters per service/code, gauges per pod,
// one histogram per service.
Scrape makeScrape(int seriesWanted)
{
    Scrape s;
    MetricFamily req{"agent_requests_total", "Requests.", MetricType::Counter, {}};
    MetricFamily util{"virtual_computer_utilization", "Utilisation.", MetricType::Gauge, {}};
    MetricFamily hist{"agent_task_duration_seconds", "Latency.", MetricType::Histogram, {}};
    int n = 0;
    for (int svc = 0; n < seriesWanted; ++svc) {
        const std::string service = "service-" + std::to_string(svc);
        for (const char *code : {"200", "429", "500", "503"}) {
            req.samples.push_back({"agent_requests_total", Labels{{"service", service}, {"code", code}, {"region", "eu-west-1"}}, 0, {}});
            ++n;
        }
        for (int pod = 0; pod < 12; ++pod) {
            util.samples.push_back({"virtual_computer_utilization",
                                    Labels{{"service", service}, {"pod", service + "-7d9f8c-" + std::to_string(pod)}}, 0, {}});
            ++n;
        }
        for (const char *le : {"0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"}) {
            hist.samples.push_back({"agent_task_duration_seconds_bucket", Labels{{"service", service}, {"le", le}}, 0, {}});
            ++n;
        }
        hist.samples.push_back({"agent_task_duration_seconds_sum", Labels{{"service", service}}, 0, {}});
        hist.samples.push_back({"agent_task_duration_seconds_count", Labels{{"service", service}}, 0, {}});
        n += 2;
    }
    s.push_back(std::move(req));
    s.push_back(std::move(util));
    s.push_back(std::move(hist));
    return s;
}

void advance(Scrape &s, int step)
{
    for (auto &fam : s)
        for (std::size_t i = 0; i < fam.samples.size(); ++i)
            fam.samples[i].value += double((i * 7 + static_cast<std::size_t>(step)) % 13) * 0.25;
}

} // namespace

int main(int argc, char **argv)
{
    const int seriesWanted = argc > 1 ? std::atoi(argv[1]) : 2000;
    const double hours = argc > 2 ? std::atof(argv[2]) : 6;
    const std::int64_t stepMs = 15000;
    const int steps = int(hours * 3600 * 1000 / stepMs);

    Scrape scrape = makeScrape(seriesWanted);
    std::size_t perScrape = 0;
    for (const auto &f : scrape)
        perScrape += f.samples.size();

    // 1. ingest: the simulation's path
    const long rssBefore = residentBytes();
    SeriesStore store;
    auto t0 = Clock::now();
    for (int i = 0; i < steps; ++i) {
        advance(scrape, i);
        store.ingest(scrape, i * stepMs);
    }
    double secs = secondsSince(t0);
    const double samples = double(perScrape) * steps;
    std::printf("ingest: %zu series x %d scrapes (%.1f h at 15 s) = %.2fM samples in %.2f s -> %.2fM samples/s\n",
                perScrape, steps, hours, samples / 1e6, secs, samples / secs / 1e6);
    std::printf("store:  %zu series, %zu points, approxBytes %.1f MB (%.1f bytes/point), RSS grew %.1f MB\n",
                store.seriesCount(), store.pointCount(), store.approxBytes() / 1e6,
                double(store.approxBytes()) / double(store.pointCount()),
                double(residentBytes() - rssBefore) / 1e6);

    // 2. append(): label set given in full each time (hash + compare per call)
    std::vector<Labels> labels;
    for (const auto &f : scrape)
        for (const auto &smp : f.samples) {
            Labels l = smp.labels;
            l.set("__name__", smp.name);
            labels.push_back(l);
        }
    SeriesStore store2;
    const int appendRounds = 200;
    t0 = Clock::now();
    for (int r = 0; r < appendRounds; ++r)
        for (std::size_t i = 0; i < labels.size(); ++i)
            store2.append(labels[i], r * 1000, double(i + r));
    secs = secondsSince(t0);
    std::printf("append: %.2fM appends in %.2f s -> %.2fM appends/s\n",
                double(labels.size()) * appendRounds / 1e6, secs,
                double(labels.size()) * appendRounds / secs / 1e6);

    // 3. exposition write and parse of one scrape
    std::string text;
    const int writeRounds = 200;
    t0 = Clock::now();
    for (int r = 0; r < writeRounds; ++r) {
        text.clear();
        writeExposition(scrape, text, r * stepMs);
    }
    secs = secondsSince(t0);
    std::printf("write:  %zu samples/%zu bytes per scrape; %.2fM samples/s, %.0f MB/s\n", perScrape,
                text.size(), double(perScrape) * writeRounds / secs / 1e6,
                double(text.size()) * writeRounds / secs / 1e6);
    const int parseRounds = 50;
    t0 = Clock::now();
    std::size_t parsed = 0;
    for (int r = 0; r < parseRounds; ++r) {
        auto res = parseExposition(text);
        if (!res) {
            std::printf("parse error: %s\n", res.error().c_str());
            return 1;
        }
        parsed += res->size();
    }
    secs = secondsSince(t0);
    std::printf("parse:  %.2fM samples/s, %.0f MB/s\n", double(perScrape) * parseRounds / secs / 1e6,
                double(text.size()) * parseRounds / secs / 1e6);

    // 4. range reads
    const std::int64_t end = (steps - 1) * stepMs;
    auto timeSelect = [&](const char *what, const std::vector<LabelMatcher> &m, std::int64_t minT, int rounds) {
        std::size_t series = 0, points = 0;
        auto start = Clock::now();
        for (int r = 0; r < rounds; ++r) {
            auto got = store.select(m, minT, end);
            series = got.size();
            points = 0;
            for (const auto &s : got)
                points += s.points.size();
        }
        const double s = secondsSince(start) / rounds;
        std::printf("select %-48s %5zu series %8zu points: %8.1f us/query, %.0fM points/s\n", what, series,
                    points, s * 1e6, double(points) / s / 1e6);
    };
    using Op = LabelMatcher::Op;
    timeSelect("one series, whole run", {{"__name__", Op::Equal, "agent_requests_total"}, {"service", Op::Equal, "service-3"}, {"code", Op::Equal, "500"}}, 0, 2000);
    timeSelect("one series, last 5 m", {{"__name__", Op::Equal, "agent_requests_total"}, {"service", Op::Equal, "service-3"}, {"code", Op::Equal, "500"}}, end - 300000, 20000);
    timeSelect("name=, 1 h", {{"__name__", Op::Equal, "agent_requests_total"}}, end - 3600000, 50);
    timeSelect("name= code=~\"5..\", last 5 m", {{"__name__", Op::Equal, "agent_requests_total"}, {"code", Op::RegexMatch, "5.."}}, end - 300000, 200);
    timeSelect("service=~\"service-1.*\" (regex only), last 5 m", {{"service", Op::RegexMatch, "service-1.*"}}, end - 300000, 200);
    timeSelect("all histogram buckets, last 5 m", {{"__name__", Op::Equal, "agent_task_duration_seconds_bucket"}}, end - 300000, 200);
    return 0;
}
