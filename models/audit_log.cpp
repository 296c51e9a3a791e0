#include "models/audit_log.h"

#include <sqlite3.h>

namespace opsdeck::models {

Result<int64_t> AuditLog::append(const AuditRecord &record)
{
    if (record.actor.empty() || record.action.empty())
        return Error{"audit record: who and what are required"};
    // Outside an explicit transaction each INSERT is its own (fsynced) commit.
    Statement insert(m_db, "INSERT INTO audit_log (at_ms, actor, action, target, params, kubectl, "
                           "result) VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, record.atMs).bind(2, record.actor).bind(3, record.action);
    insert.bind(4, record.target).bind(5, record.paramsJson.empty() ? "{}" : record.paramsJson);
    insert.bind(6, record.kubectl).bind(7, record.result);
    if (Status done = insert.run(); !done.ok())
        return Error{"audit record: " + done.error()};
    return sqlite3_last_insert_rowid(m_db.handle());
}

Result<std::vector<AuditRecord>> AuditLog::records(int64_t afterId, int limit)
{
    Statement rows(m_db, "SELECT id, at_ms, actor, action, target, params, kubectl, result "
                         "FROM audit_log WHERE id > ? ORDER BY id LIMIT ?");
    if (!rows.prepared())
        return Error{rows.prepareError()};
    rows.bind(1, afterId).bind(2, limit);
    std::vector<AuditRecord> out;
    while (rows.step() == SQLITE_ROW)
        out.push_back({rows.columnInt(0), rows.columnInt(1), rows.columnText(2),
                       rows.columnText(3), rows.columnText(4), rows.columnText(5),
                       rows.columnText(6), rows.columnText(7)});
    return out;
}

} // namespace opsdeck::models
