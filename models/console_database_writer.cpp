// GCC 12 reports a false -Wfree-nonheap-object for std::variant<std::vector<long>>
// (Result<std::vector<int64_t>>) destroyed inside std::packaged_task's inlined run
// (GCC bug 104475 family); the warning lands wherever the inlining happens, so it is
// silenced for this file only (before the includes: the state at the header's
// line is what counts).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wfree-nonheap-object"
#endif

#include "models/console_database_writer.h"

namespace opsdeck::models {

ConsoleDatabaseWriter::ConsoleDatabaseWriter(std::unique_ptr<DatabaseConnection> connection)
    : m_db(std::move(connection)), m_thread([this] { run(); })
{
}

ConsoleDatabaseWriter::~ConsoleDatabaseWriter()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void ConsoleDatabaseWriter::enqueue(std::function<void(Context &)> job)
{
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(job));
    }
    m_wake.notify_one();
}

size_t ConsoleDatabaseWriter::pending() const
{
    std::lock_guard lock(m_mutex);
    return m_queue.size();
}

void ConsoleDatabaseWriter::run()
{
    IncidentStore incidents(*m_db);
    AuditLog audit(*m_db);
    Context context{*m_db, incidents, audit};
    for (;;) {
        std::function<void(Context &)> job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                return; // stopping, and everything queued has been written
            job = std::move(m_queue.front());
            m_queue.pop_front();
        }
        job(context);
    }
}

std::future<Result<int64_t>> ConsoleDatabaseWriter::appendTimeline(TimelineEntry entry)
{
    return submit([entry = std::move(entry)](Context &c) { return c.incidents.appendTimeline(entry); });
}

std::future<Result<std::vector<int64_t>>>
ConsoleDatabaseWriter::appendTimelineBatch(std::vector<TimelineEntry> entries)
{
    return submit([entries = std::move(entries)](Context &c) {
        return c.incidents.appendTimelineBatch(entries);
    });
}

std::future<Result<int64_t>> ConsoleDatabaseWriter::appendAudit(AuditRecord record)
{
    return submit([record = std::move(record)](Context &c) { return c.audit.append(record); });
}

std::future<Status> ConsoleDatabaseWriter::writeBackup()
{
    return submit([](Context &c) {
        if (Status healthy = ConsoleDatabase::checkIntegrity(c.db); !healthy.ok())
            return Status(Error{healthy.error() + " (backup not refreshed)"});
        return ConsoleDatabase::writeBackup(c.db, ConsoleDatabase::backupPathFor(c.db.path()));
    });
}

} // namespace opsdeck::models
