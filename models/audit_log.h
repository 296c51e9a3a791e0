#pragma once
// The audit log of every action: who, what, target, parameters, the equivalent kubectl
// command, result, when. Append-only by construction: this class has no update or
// delete, and the schema's triggers RAISE on any UPDATE/DELETE that bypasses it.
#include "models/console_database.h"
#include "models/incident_records.h"

#include <vector>

namespace opsdeck::models {

class AuditLog {
public:
    explicit AuditLog(DatabaseConnection &db) : m_db(db) {}

    Result<int64_t> append(const AuditRecord &record); // one committed transaction
    Result<std::vector<AuditRecord>> records(int64_t afterId = 0, int limit = 1000);

private:
    DatabaseConnection &m_db;
};

} // namespace opsdeck::models
