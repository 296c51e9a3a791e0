// Helper for tst_incident_crash (not a test itself): appends timeline entries to
// incident 1 of the database at argv[1] through the writer thread in single-commit
// mode, printing each sequence number right after its commit was reported, until killed.
#include "crash_entry.h"
#include "models/console_database_writer.h"

#include <cstdio>

using namespace opsdeck::models;

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DATABASE\n", argv[0]);
        return 2;
    }
    OpenResult opened = ConsoleDatabase::open(argv[1], {.verifyIntegrity = false});
    if (!opened.ok()) {
        std::fprintf(stderr, "%s\n", opened.message.c_str());
        return 3;
    }
    // Continue after the last entry a previous (killed) run committed.
    auto last = opened.connection->queryInt(
        "SELECT ifnull(max(json_extract(payload, '$.seq')), 0) FROM timeline WHERE kind = 'note'");
    if (!last.ok()) {
        std::fprintf(stderr, "%s\n", last.error().c_str());
        return 4;
    }
    ConsoleDatabaseWriter writer(std::move(opened.connection));
    for (int64_t seq = *last + 1; seq < 10'000'000; ++seq) {
        TimelineEntry entry{0, 1, seq, TimelineKind::Note, "crash-writer",
                            testing::crashEntryText(seq), testing::crashEntryPayload(seq), {}};
        auto committed = writer.appendTimeline(std::move(entry)).get();
        if (!committed.ok()) {
            std::fprintf(stderr, "seq %lld: %s\n", static_cast<long long>(seq), committed.error().c_str());
            return 5;
        }
        std::printf("%lld\n", static_cast<long long>(seq));
        std::fflush(stdout);
    }
    return 0;
}
