#pragma once
// Shared helpers for the incident-store tests: open-or-fail, raw SQL, small fixtures.
#include "models/console_database.h"
#include "models/incident_store.h"

#include <QtTest>

#include <sqlite3.h>

namespace opsdeck::models::testing {

inline std::unique_ptr<DatabaseConnection> openOrFail(const std::string &path,
                                                      const OpenOptions &options = {})
{
    OpenResult opened = ConsoleDatabase::open(path, options);
    if (!opened.ok())
        qWarning("open failed: %s (%s)", opened.message.c_str(), openFailureName(opened.failure));
    return std::move(opened.connection);
}

// A bare connection with none of ConsoleDatabase's set-up: builds historical databases
// and plays "another program" in the lock tests.
inline std::unique_ptr<DatabaseConnection> rawConnection(const std::string &path)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    return std::make_unique<DatabaseConnection>(db, path, false);
}

inline int64_t declare(IncidentStore &store, const std::string &title = "Model server crash",
                       int severity = 1, const std::string &commander = "alice")
{
    auto id = store.createIncident({title, severity, commander, "fp-1", 1000}, "alice");
    if (!id.ok())
        qWarning("createIncident: %s", id.error().c_str());
    return id.ok() ? *id : -1;
}

inline QByteArray readAll(const std::string &path)
{
    QFile file(QString::fromStdString(path));
    file.open(QIODevice::ReadOnly);
    return file.readAll();
}

} // namespace opsdeck::models::testing
