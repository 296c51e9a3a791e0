#pragma once
// The one thread that writes the console database, so no write (and no fsync) ever
// runs on the UI thread. Callers queue jobs and get a std::future; a job's future is
// fulfilled only after its transaction committed (synchronous=FULL: on disk). Jobs run
// strictly in submission order. Optional completion callbacks run on the writer thread:
// post them to the UI with QMetaObject::invokeMethod(..., Qt::QueuedConnection).
#include "models/audit_log.h"
#include "models/incident_store.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

namespace opsdeck::models {

class ConsoleDatabaseWriter {
public:
    struct Context {
        DatabaseConnection &db;
        IncidentStore &incidents;
        AuditLog &audit;
    };

    // Takes ownership of an open read-write connection (from ConsoleDatabase::open).
    explicit ConsoleDatabaseWriter(std::unique_ptr<DatabaseConnection> connection);
    ~ConsoleDatabaseWriter(); // drains the queue, then joins
    ConsoleDatabaseWriter(const ConsoleDatabaseWriter &) = delete;
    ConsoleDatabaseWriter &operator=(const ConsoleDatabaseWriter &) = delete;

    template <typename Job>
    auto submit(Job job) -> std::future<std::invoke_result_t<Job, Context &>>
    {
        using R = std::invoke_result_t<Job, Context &>;
        auto task = std::make_shared<std::packaged_task<R(Context &)>>(std::move(job));
        auto future = task->get_future();
        enqueue([task](Context &context) { (*task)(context); });
        return future;
    }

    // The common cases, spelled out.
    std::future<Result<int64_t>> appendTimeline(TimelineEntry entry);
    std::future<Result<std::vector<int64_t>>> appendTimelineBatch(std::vector<TimelineEntry> entries);
    std::future<Result<int64_t>> appendAudit(AuditRecord record);
    // The rolling backup (ConsoleDatabase::backupPathFor), made off the UI thread after
    // a quick_check passes: a damaged database never overwrites the last good backup.
    std::future<Status> writeBackup();

    size_t pending() const;

private:
    void enqueue(std::function<void(Context &)> job);
    void run();

    std::unique_ptr<DatabaseConnection> m_db;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::function<void(Context &)>> m_queue;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace opsdeck::models
