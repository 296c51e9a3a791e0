// Benchmark (not a test): a 100,000-entry incident timeline. Reports batched and
// single-commit insert throughput through the writer thread, the longest main-thread
// stall while single commits run, the open time (open + integrity check + load into
// TimelineModel) and the kind-filter time on the main thread.
// Usage: bench_timeline [entries=100000] [single_commits=1000] [dir]
#include "models/console_database_writer.h"
#include "models/timeline_model.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>
#include <ctime>

using namespace opsdeck::models;

namespace {
TimelineEntry makeEntry(int64_t i)
{
    const auto kind = TimelineKind(i % int(TimelineKind::NUM_KINDS));
    return {0, 1, 1'700'000'000'000 + i * 1000, kind, "operator-" + std::to_string(i % 7),
            "timeline entry " + std::to_string(i) + ": scaled deployment/agent-orchestrator",
            R"({"what":"scale","target":"deployment/agent-orchestrator","kubectl":"kubectl scale deployment/agent-orchestrator --replicas=10 -n chatgpt-agent","result":"ok"})",
            {}};
}
double ms(const QElapsedTimer &t) { return double(t.nsecsElapsed()) / 1e6; }
// CPU time of this thread: on a loaded shared machine wall time mostly measures waiting.
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int entries = argc > 1 ? std::atoi(argv[1]) : 100'000;
    const int singles = argc > 2 ? std::atoi(argv[2]) : 1000;
    QTemporaryDir tmp(argc > 3 ? QString::fromLocal8Bit(argv[3]) + "/bench-XXXXXX" : QString());
    const std::string path = (tmp.path() + "/bench.sqlite").toStdString();

    {
        OpenResult opened = ConsoleDatabase::open(path);
        if (!opened.ok()) {
            std::fprintf(stderr, "%s\n", opened.message.c_str());
            return 1;
        }
        IncidentStore(*opened.connection).createIncident({"bench", 2, "alice", "", 0}, "alice");
        ConsoleDatabaseWriter writer(std::move(opened.connection));

        QElapsedTimer timer;
        timer.start();
        std::vector<std::future<opsdeck::Result<std::vector<int64_t>>>> batches;
        for (int start = 0; start < entries; start += 1000) {
            std::vector<TimelineEntry> batch;
            for (int i = start; i < std::min(entries, start + 1000); ++i)
                batch.push_back(makeEntry(i));
            batches.push_back(writer.appendTimelineBatch(std::move(batch)));
        }
        for (auto &b : batches)
            if (!b.get().ok())
                return 2;
        const double batchedMs = ms(timer);
        std::printf("batched insert: %d entries in %.0f ms = %.0f entries/s (batches of 1000)\n",
                    entries, batchedMs, entries / batchedMs * 1000);

        // Single commits queued from the main thread, which keeps spinning its event loop
        // and appending committed entries to a model; the longest gap between two turns
        // of that loop is the stall the UI would feel.
        TimelineModel live;
        std::vector<std::future<opsdeck::Result<int64_t>>> commits;
        timer.restart();
        QElapsedTimer turn;
        turn.start();
        double maxStallMs = 0, maxSubmitMs = 0;
        size_t done = 0;
        int submitted = 0;
        while (done < size_t(singles)) {
            if (submitted < singles) {
                QElapsedTimer submit;
                submit.start();
                commits.push_back(writer.appendTimeline(makeEntry(entries + submitted++)));
                maxSubmitMs = std::max(maxSubmitMs, ms(submit));
            }
            while (done < commits.size()
                   && commits[done].wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
                auto id = commits[done].get();
                if (!id.ok())
                    return 3;
                TimelineEntry e = makeEntry(entries + int(done));
                e.id = *id;
                live.appendEntries({e});
                ++done;
            }
            QCoreApplication::processEvents();
            maxStallMs = std::max(maxStallMs, ms(turn));
            turn.restart();
        }
        const double singleMs = ms(timer);
        std::printf("single-commit insert: %d entries in %.0f ms = %.0f entries/s "
                    "(synchronous=FULL, one fsync each)\n",
                    singles, singleMs, singles / singleMs * 1000);
        // The same loop with the writer idle, for as long: on a shared machine the
        // scheduler alone produces stalls, and only the difference is the writer's.
        double idleStallMs = 0;
        for (timer.restart(), turn.restart(); ms(timer) < singleMs;) {
            QCoreApplication::processEvents();
            idleStallMs = std::max(idleStallMs, ms(turn));
            turn.restart();
        }
        std::printf("main thread while committing: longest stall %.2f ms (writer idle: %.2f ms), "
                    "longest submit %.3f ms\n",
                    maxStallMs, idleStallMs, maxSubmitMs);
    }

    for (bool verify : {true, false}) {
        QElapsedTimer timer;
        timer.start();
        const double cpuStart = threadCpuMs();
        OpenResult opened = ConsoleDatabase::open(path, {.verifyIntegrity = verify});
        const double openMs = ms(timer);
        if (!opened.ok())
            return 4;
        auto timeline = IncidentStore(*opened.connection).timeline(1);
        const double readMs = ms(timer) - openMs;
        TimelineModel model;
        model.setEntries(std::move(*timeline));
        const double totalMs = ms(timer);
        const double cpuMs = threadCpuMs() - cpuStart;
        std::printf("open%s: %.1f ms (open+migrate check) + %.1f ms (read %d rows) = %.1f ms to a "
                    "loaded TimelineModel (main-thread CPU %.1f ms)\n",
                    verify ? " with quick_check" : " without quick_check", openMs, readMs,
                    model.rowCount(), totalMs, cpuMs);
        if (!verify)
            break;
        TimelineKindFilterModel filter;
        filter.setSourceModel(&model);
        timer.restart();
        // rowCount() and the last row force the lazily rebuilt mapping: the time a view
        // waits before it can paint.
        const double filterCpuStart = threadCpuMs();
        filter.setKindMask(timelineKindBit(TimelineKind::Action));
        const int actions = filter.rowCount();
        filter.index(actions - 1, 0).data(TimelineModel::TextRole);
        const double filterMs = ms(timer);
        const double filterCpuMs = threadCpuMs() - filterCpuStart;
        timer.restart();
        filter.setKindMask(kAllTimelineKinds);
        filter.index(filter.rowCount() - 1, 0).data(TimelineModel::TextRole);
        std::printf("filter by kind on the main thread: %.1f ms (CPU %.1f ms) -> %d actions; "
                    "%.1f ms back to all %d\n",
                    filterMs, filterCpuMs, actions, ms(timer), filter.rowCount());
    }
    return 0;
}
