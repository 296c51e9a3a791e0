#include "models/console_database.h"
#include "models/console_database_schema.h"

#include <QDir>
#include <QStandardPaths>

#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace opsdeck::models {

namespace fs = std::filesystem;

// ---- DatabaseConnection ---------------------------------------------------------------

DatabaseConnection::DatabaseConnection(sqlite3 *handle, std::string path, bool readOnly)
    : m_db(handle), m_path(std::move(path)), m_readOnly(readOnly)
{
}

DatabaseConnection::~DatabaseConnection()
{
    // close_v2 defers the close until any forgotten statement is finalized.
    sqlite3_close_v2(m_db);
}

Status DatabaseConnection::exec(std::string_view sql)
{
    char *message = nullptr;
    const std::string text(sql);
    if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string why = message ? message : sqlite3_errmsg(m_db);
        sqlite3_free(message);
        return Error{m_path + ": " + why};
    }
    return success();
}

Result<int64_t> DatabaseConnection::queryInt(std::string_view sql)
{
    Statement statement(*this, sql);
    if (!statement.prepared())
        return Error{statement.prepareError()};
    const int rc = statement.step();
    if (rc == SQLITE_ROW)
        return statement.columnInt(0);
    if (rc == SQLITE_DONE)
        return Error{m_path + ": no row from " + std::string(sql)};
    return Error{m_path + ": " + lastError()};
}

std::string DatabaseConnection::lastError() const { return sqlite3_errmsg(m_db); }
int DatabaseConnection::lastErrorCode() const { return sqlite3_extended_errcode(m_db); }

// ---- Statement ------------------------------------------------------------------------

Statement::Statement(DatabaseConnection &db, std::string_view sql) : m_db(db)
{
    if (sqlite3_prepare_v2(db.handle(), sql.data(), int(sql.size()), &m_stmt, nullptr)
        != SQLITE_OK) {
        m_prepareError = db.path() + ": cannot prepare \"" + std::string(sql.substr(0, 60))
                         + "\": " + db.lastError();
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement &Statement::bind(int index, int64_t value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}
Statement &Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
    return *this;
}
Statement &Statement::bind(int index, std::string_view text)
{
    sqlite3_bind_text(m_stmt, index, text.data(), int(text.size()), SQLITE_TRANSIENT);
    return *this;
}
Statement &Statement::bindBlob(int index, const std::string &bytes)
{
    if (bytes.empty())
        return bindNull(index);
    sqlite3_bind_blob(m_stmt, index, bytes.data(), int(bytes.size()), SQLITE_TRANSIENT);
    return *this;
}
Statement &Statement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
    return *this;
}
Statement &Statement::bindOptional(int index, int64_t value, bool present)
{
    return present ? bind(index, value) : bindNull(index);
}

int Statement::step() { return m_stmt ? sqlite3_step(m_stmt) : SQLITE_MISUSE; }

Status Statement::run()
{
    if (!m_stmt)
        return Error{m_prepareError};
    int rc;
    while ((rc = sqlite3_step(m_stmt)) == SQLITE_ROW) {
    }
    sqlite3_reset(m_stmt);
    if (rc != SQLITE_DONE)
        return Error{m_db.path() + ": " + m_db.lastError()};
    return success();
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int64_t Statement::columnInt(int column) const { return sqlite3_column_int64(m_stmt, column); }
bool Statement::columnIsNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}
std::string Statement::columnText(int column) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return text ? std::string(text, size_t(sqlite3_column_bytes(m_stmt, column))) : std::string();
}
std::string Statement::columnBlob(int column) const
{
    const auto *bytes = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    return bytes ? std::string(bytes, size_t(sqlite3_column_bytes(m_stmt, column))) : std::string();
}

// ---- Transaction ----------------------------------------------------------------------

Transaction::Transaction(DatabaseConnection &db) : m_db(db), m_began(db.exec("BEGIN IMMEDIATE"))
{
    m_open = m_began.ok();
}

Transaction::~Transaction()
{
    if (m_open)
        m_db.exec("ROLLBACK");
}

Status Transaction::commit()
{
    if (!m_open)
        return Error{m_db.path() + ": commit without an open transaction"};
    Status status = m_db.exec("COMMIT");
    if (!status.ok())
        return status; // the destructor rolls back
    m_open = false;
    return status;
}

// ---- ConsoleDatabase ------------------------------------------------------------------

const char *openFailureName(OpenFailure failure)
{
    switch (failure) {
    case OpenFailure::None: return "None";
    case OpenFailure::Corrupt: return "Corrupt";
    case OpenFailure::Locked: return "Locked";
    case OpenFailure::Unreadable: return "Unreadable";
    case OpenFailure::TooNew: return "TooNew";
    }
    return "?";
}

namespace {

OpenFailure classify(int code)
{
    switch (code & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return OpenFailure::Corrupt;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return OpenFailure::Locked;
    default:
        return OpenFailure::Unreadable;
    }
}

const char *adviceFor(OpenFailure failure)
{
    switch (failure) {
    case OpenFailure::Corrupt:
        return " The file is damaged: restore the automatic backup, or start fresh (the "
               "damaged file is kept aside, not deleted).";
    case OpenFailure::Locked:
        return " Another program (or another OpsDeck) is writing to it: close it, or open "
               "read-only.";
    case OpenFailure::Unreadable:
        return " Check the file's permissions and the disk.";
    case OpenFailure::TooNew:
        return " It was written by a newer OpsDeck: use that version, or open read-only.";
    case OpenFailure::None: break;
    }
    return "";
}

OpenResult failed(OpenFailure failure, const std::string &path, const std::string &why,
                  int versionFound = 0)
{
    OpenResult result;
    result.failure = failure;
    result.message = path + ": " + why + "." + adviceFor(failure);
    result.schemaVersionFound = versionFound;
    return result;
}

OpenResult failedWithCode(const std::string &path, sqlite3 *db, int code, const char *during)
{
    std::string why = std::string(during) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(code));
    return failed(classify(code), path, why);
}

std::string utcStamp()
{
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &tm);
    return buffer;
}

} // namespace

std::string ConsoleDatabase::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return (dir + QStringLiteral("/opsdeck.sqlite")).toStdString();
}

std::string ConsoleDatabase::backupPathFor(const std::string &databasePath)
{
    return databasePath + ".backup";
}

int ConsoleDatabase::schemaVersion(DatabaseConnection &db)
{
    auto version = db.queryInt("PRAGMA user_version");
    return version.ok() ? int(*version) : -1;
}

Status ConsoleDatabase::migrate(DatabaseConnection &db, int target)
{
    int count = 0;
    const schema::Migration *steps = schema::migrations(&count);
    int version = schemaVersion(db);
    if (version < 0)
        return Error{db.path() + ": cannot read the schema version: " + db.lastError()};
    for (int i = 0; i < count; ++i) {
        const schema::Migration &step = steps[i];
        if (step.toVersion <= version || step.toVersion > target)
            continue;
        Transaction transaction(db);
        if (!transaction.began().ok())
            return transaction.began();
        Status applied = db.exec(step.sql);
        if (applied.ok())
            applied = db.exec("PRAGMA user_version = " + std::to_string(step.toVersion));
        if (!applied.ok())
            return Error{"migration to v" + std::to_string(step.toVersion) + " ("
                         + std::string(step.description) + ") failed: " + applied.error()};
        if (Status committed = transaction.commit(); !committed.ok())
            return committed;
        version = step.toVersion;
    }
    return success();
}

OpenResult ConsoleDatabase::open(const std::string &path, const OpenOptions &options)
{
    if (path.empty())
        return failed(OpenFailure::Unreadable, "(empty path)", "no database path given");
    std::error_code ec;
    const bool exists = fs::exists(path, ec);
    if (exists) {
        if (fs::is_directory(path, ec))
            return failed(OpenFailure::Unreadable, path, "is a directory");
        const int mode = options.readOnly ? R_OK : (R_OK | W_OK);
        if (::access(path.c_str(), mode) != 0)
            return failed(OpenFailure::Unreadable, path,
                          options.readOnly ? "no read permission" : "no read/write permission");
    } else if (options.readOnly) {
        return failed(OpenFailure::Unreadable, path, "does not exist");
    } else {
        const fs::path parent = fs::path(path).parent_path();
        if (!parent.empty())
            fs::create_directories(parent, ec);
    }

    sqlite3 *raw = nullptr;
    const int flags = options.readOnly ? SQLITE_OPEN_READONLY
                                       : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    auto connection = std::make_unique<DatabaseConnection>(raw, path, options.readOnly);
    if (rc != SQLITE_OK)
        return failedWithCode(path, raw, rc, "cannot open");
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, options.busyTimeoutMs);

    // The first read touches page 1: garbage there shows up here as SQLITE_NOTADB.
    auto version = connection->queryInt("PRAGMA user_version");
    if (!version.ok())
        return failedWithCode(path, raw, connection->lastErrorCode(), "cannot read the header");
    if (*version > kSchemaVersion)
        return failed(OpenFailure::TooNew, path,
                      "schema version " + std::to_string(*version) + " is newer than this "
                          "OpsDeck understands (" + std::to_string(kSchemaVersion) + ")",
                      int(*version));

    if (options.verifyIntegrity) {
        std::string verdict;
        {
            // Scoped: a statement left open keeps a read transaction, and then
            // journal_mode=WAL below silently stays in rollback mode.
            Statement check(*connection, "PRAGMA quick_check(1)");
            rc = check.step();
            verdict = check.columnText(0);
        }
        if (rc != SQLITE_ROW)
            return failedWithCode(path, raw, connection->lastErrorCode(), "integrity check");
        if (verdict != "ok")
            return failed(OpenFailure::Corrupt, path, "integrity check failed: " + verdict);
    }

    if (!options.readOnly) {
        std::string mode;
        {
            Statement wal(*connection, "PRAGMA journal_mode = WAL");
            rc = wal.step();
            mode = wal.columnText(0);
        }
        if (rc != SQLITE_ROW)
            return failedWithCode(path, raw, connection->lastErrorCode(), "switching to WAL");
        if (mode != "wal")
            return failed(OpenFailure::Locked, path, "cannot switch to WAL mode (still \"" + mode
                                                         + "\"): another connection is using it");
        // Probe the write lock now, so "someone else holds it" is an open-time answer
        // rather than a failure on the first audit record.
        if (Status probe = connection->exec("BEGIN IMMEDIATE; ROLLBACK"); !probe.ok())
            return failedWithCode(path, raw, connection->lastErrorCode(), "taking the write lock");
    }
    // FULL: a commit is on disk (WAL fsynced) before it is reported; the audit log and
    // the timeline promise exactly that.
    // mmap: reading a long timeline straight from the page cache instead of copying
    // every page through read() roughly halves the load time of 100k entries.
    connection->exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
                     "PRAGMA mmap_size = 268435456");

    OpenResult result;
    result.schemaVersionFound = int(*version);
    if (!options.readOnly) {
        if (Status migrated = migrate(*connection); !migrated.ok()) {
            OpenResult failure = failed(classify(connection->lastErrorCode()), path,
                                        migrated.error(), int(*version));
            return failure;
        }
    }
    result.connection = std::move(connection);
    return result;
}

Status ConsoleDatabase::writeBackup(DatabaseConnection &db, const std::string &destination)
{
    const std::string temporary = destination + ".tmp";
    std::error_code ec;
    fs::remove(temporary, ec);
    sqlite3 *target = nullptr;
    int rc = sqlite3_open_v2(temporary.c_str(), &target,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_close_v2(target);
        return Error{temporary + ": cannot create the backup: " + sqlite3_errstr(rc)};
    }
    sqlite3_backup *backup = sqlite3_backup_init(target, "main", db.handle(), "main");
    if (!backup) {
        std::string why = sqlite3_errmsg(target);
        sqlite3_close_v2(target);
        return Error{temporary + ": cannot start the backup: " + why};
    }
    rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc == SQLITE_DONE)
        rc = sqlite3_exec(target, "PRAGMA journal_mode = DELETE", nullptr, nullptr, nullptr);
    sqlite3_close_v2(target);
    if (rc != SQLITE_OK && rc != SQLITE_DONE)
        return Error{db.path() + ": backup failed: " + sqlite3_errstr(rc)};
    fs::rename(temporary, destination, ec);
    if (ec)
        return Error{destination + ": cannot move the backup into place: " + ec.message()};
    return success();
}

Status ConsoleDatabase::checkIntegrity(DatabaseConnection &db)
{
    Statement check(db, "PRAGMA quick_check(1)");
    const int rc = check.step();
    if (rc != SQLITE_ROW)
        return Error{db.path() + ": integrity check failed to run: " + db.lastError()};
    if (const std::string verdict = check.columnText(0); verdict != "ok")
        return Error{db.path() + ": integrity check failed: " + verdict};
    return success();
}

Result<std::string> ConsoleDatabase::moveAside(const std::string &path, const std::string &reason)
{
    std::string aside = path + "." + reason + "-" + utcStamp();
    std::error_code ec;
    for (int n = 1; fs::exists(aside, ec); ++n)
        aside = path + "." + reason + "-" + utcStamp() + "-" + std::to_string(n);
    if (fs::exists(path, ec)) {
        fs::rename(path, aside, ec);
        if (ec)
            return Error{path + ": cannot move aside to " + aside + ": " + ec.message()};
    }
    // The WAL may hold committed transactions: it travels with its database.
    for (const char *suffix : {"-wal", "-shm"}) {
        if (fs::exists(path + suffix, ec))
            fs::rename(path + suffix, aside + suffix, ec);
    }
    return aside;
}

OpenResult ConsoleDatabase::restoreBackup(const std::string &path, const OpenOptions &options)
{
    const std::string backup = backupPathFor(path);
    std::error_code ec;
    if (!fs::exists(backup, ec))
        return failed(OpenFailure::Unreadable, backup, "there is no backup to restore");
    auto aside = moveAside(path, "replaced-by-backup");
    if (!aside.ok())
        return failed(OpenFailure::Unreadable, path, aside.error());
    fs::copy_file(backup, path, fs::copy_options::overwrite_existing, ec);
    if (ec)
        return failed(OpenFailure::Unreadable, path, "cannot copy the backup: " + ec.message());
    return open(path, options);
}

OpenResult ConsoleDatabase::startFresh(const std::string &path, const OpenOptions &options)
{
    auto aside = moveAside(path, "set-aside");
    if (!aside.ok())
        return failed(OpenFailure::Unreadable, path, aside.error());
    return open(path, options);
}

} // namespace opsdeck::models
