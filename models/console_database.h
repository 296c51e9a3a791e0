#pragma once
// The console's one SQLite database (incidents, timeline, audit log, acknowledgements,
// status-page updates, settings, persisted alert state). Opening classifies every way it
// can go wrong (Corrupt, Locked, Unreadable, TooNew) so the UI can offer a way forward
// (read-only, restore the rolling backup, start fresh after moving the bad file aside)
// instead of losing data silently. Plain SQLite C API: it gives direct control of WAL,
// synchronous=FULL, busy timeouts and the online backup API.
#include "backends/telemetry/result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

struct sqlite3;
struct sqlite3_stmt;

namespace opsdeck::models {

using Status = Result<std::monostate>;
inline Status success() { return Status(std::monostate{}); }

// RAII owner of one sqlite3 connection. Not shared between threads at the same time:
// the writer thread owns one, each reader owns another (WAL lets them run concurrently).
class DatabaseConnection {
public:
    explicit DatabaseConnection(sqlite3 *handle, std::string path, bool readOnly);
    ~DatabaseConnection();
    DatabaseConnection(const DatabaseConnection &) = delete;
    DatabaseConnection &operator=(const DatabaseConnection &) = delete;

    sqlite3 *handle() const { return m_db; }
    const std::string &path() const { return m_path; }
    bool readOnly() const { return m_readOnly; }

    Status exec(std::string_view sql);            // one or more statements, no results
    Result<int64_t> queryInt(std::string_view sql); // first column of the first row
    std::string lastError() const;
    int lastErrorCode() const;

private:
    sqlite3 *m_db = nullptr;
    std::string m_path;
    bool m_readOnly = false;
};

// A prepared statement with positional binds (1-based, as SQLite counts).
class Statement {
public:
    Statement(DatabaseConnection &db, std::string_view sql);
    ~Statement();
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    bool prepared() const { return m_stmt != nullptr; }
    const std::string &prepareError() const { return m_prepareError; }

    Statement &bind(int index, int64_t value);
    Statement &bind(int index, int value) { return bind(index, int64_t(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, std::string_view text);
    Statement &bind(int index, const char *text) { return bind(index, std::string_view(text)); }
    Statement &bindBlob(int index, const std::string &bytes); // empty => NULL
    Statement &bindNull(int index);
    Statement &bindOptional(int index, int64_t value, bool present);

    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step();
    // Runs to completion; an error message naming the statement on failure.
    Status run();
    void reset();

    int64_t columnInt(int column) const;
    bool columnIsNull(int column) const;
    std::string columnText(int column) const;
    std::string columnBlob(int column) const;

private:
    DatabaseConnection &m_db;
    sqlite3_stmt *m_stmt = nullptr;
    std::string m_prepareError;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed (early return on error).
class Transaction {
public:
    explicit Transaction(DatabaseConnection &db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;
    const Status &began() const { return m_began; }
    Status commit();

private:
    DatabaseConnection &m_db;
    Status m_began;
    bool m_open = false;
};

enum class OpenFailure {
    None,
    Corrupt,    // not a database, or it fails its integrity check
    Locked,     // another process holds a lock we cannot wait out
    Unreadable, // permissions, missing directory, I/O error
    TooNew,     // schema written by a newer OpsDeck: we refuse to touch it
};
const char *openFailureName(OpenFailure failure);

struct OpenOptions {
    bool readOnly = false;
    int busyTimeoutMs = 2000;
    // PRAGMA quick_check on open: catches damage past the header page too (damage to
    // the header itself is caught without it). It reads the whole file, ~0.5 s for a
    // 100k-entry timeline under load (docs/BENCHMARKS.md), so the UI-thread open leaves
    // it off and runs checkIntegrity() on the writer thread before the daily backup.
    bool verifyIntegrity = false;
};

struct OpenResult {
    std::unique_ptr<DatabaseConnection> connection;
    OpenFailure failure = OpenFailure::None;
    std::string message; // says which file and why; empty on success
    int schemaVersionFound = 0;
    bool ok() const { return connection != nullptr; }
};

class ConsoleDatabase {
public:
    static constexpr int kSchemaVersion = 4;

    // QStandardPaths::AppDataLocation/opsdeck.sqlite (directory created if missing).
    static std::string defaultPath();
    static std::string backupPathFor(const std::string &databasePath);

    // Opens (creating if needed, unless read-only), applies WAL, synchronous=FULL,
    // foreign keys, then migrates forward to kSchemaVersion. Never modifies a file it
    // classified as failed.
    static OpenResult open(const std::string &path, const OpenOptions &options = {});

    // Applies the forward migrations from the current user_version up to `target`
    // (each step in its own transaction together with its user_version bump). Tests use
    // a target below kSchemaVersion to build databases as earlier versions left them.
    static Status migrate(DatabaseConnection &db, int target = kSchemaVersion);
    static int schemaVersion(DatabaseConnection &db);

    // Copies a consistent snapshot to `destination` with the online backup API, through
    // a temporary file renamed into place so an old backup is never half-overwritten.
    static Status writeBackup(DatabaseConnection &db, const std::string &destination);
    // PRAGMA quick_check; the error says what SQLite found.
    static Status checkIntegrity(DatabaseConnection &db);

    // Ways forward after a failed open. Both move the bad file (and its -wal/-shm) aside
    // to "<path>.<reason>-<UTC timestamp>", never delete it; the new name is returned.
    static Result<std::string> moveAside(const std::string &path, const std::string &reason);
    static OpenResult restoreBackup(const std::string &path, const OpenOptions &options = {});
    static OpenResult startFresh(const std::string &path, const OpenOptions &options = {});
};

} // namespace opsdeck::models
