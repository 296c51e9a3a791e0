#include "models/console_database_schema.h"

namespace opsdeck::models::schema {
namespace {

// v1: the first shipped schema. Commander is a column (NOT NULL, non-empty), so "exactly
// one commander, always" is structural rather than a rule someone can forget.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE incidents (
    id                 INTEGER PRIMARY KEY,
    title              TEXT    NOT NULL CHECK (length(title) > 0),
    severity           INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 4),
    state              TEXT    NOT NULL CHECK (state IN
                           ('investigating','identified','monitoring','resolved','cancelled')),
    created_at_ms      INTEGER NOT NULL,
    acknowledged_at_ms INTEGER,
    mitigated_at_ms    INTEGER,
    resolved_at_ms     INTEGER,
    source_fingerprint TEXT,
    commander          TEXT    NOT NULL CHECK (length(commander) > 0)
);
CREATE TABLE incident_roles (
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    role        TEXT    NOT NULL CHECK (role IN ('operator','communications','scribe')),
    person      TEXT    NOT NULL CHECK (length(person) > 0),
    PRIMARY KEY (incident_id, role, person)
);
CREATE TABLE timeline (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    time_ms     INTEGER NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('alert_firing','alert_resolved',
                    'acknowledged','action','status_change','role_change','note',
                    'metric_snapshot','status_update')),
    actor       TEXT    NOT NULL,
    text        TEXT    NOT NULL,
    payload     TEXT    NOT NULL DEFAULT '{}',
    attachment  BLOB
);
CREATE INDEX timeline_by_incident ON timeline (incident_id, id);
CREATE TABLE acknowledgements (
    id          INTEGER PRIMARY KEY,
    fingerprint TEXT    NOT NULL,
    who         TEXT    NOT NULL CHECK (length(who) > 0),
    comment     TEXT    NOT NULL DEFAULT '',
    at_ms       INTEGER NOT NULL
);
CREATE INDEX acknowledgements_by_fingerprint ON acknowledgements (fingerprint);
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at_ms   INTEGER NOT NULL,
    actor   TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    target  TEXT    NOT NULL,
    params  TEXT    NOT NULL DEFAULT '{}',
    kubectl TEXT    NOT NULL DEFAULT '',
    result  TEXT    NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END;
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
)sql";

// v2: an acknowledgement ends when its alert resolves, and incidents get status-page
// updates. v1 only recorded the resolution as an alert_resolved timeline entry whose
// payload names the fingerprint, so ended_at is backfilled from the first such entry
// at or after the acknowledgement: old acks do not look open forever.
constexpr std::string_view kV2 = R"sql(
ALTER TABLE acknowledgements ADD COLUMN ended_at_ms INTEGER;
UPDATE acknowledgements SET ended_at_ms = (
    SELECT min(t.time_ms) FROM timeline t
    WHERE t.kind = 'alert_resolved'
      AND json_extract(t.payload, '$.fingerprint') = acknowledgements.fingerprint
      AND t.time_ms >= acknowledgements.at_ms);
CREATE TABLE status_updates (
    id            INTEGER PRIMARY KEY,
    incident_id   INTEGER NOT NULL REFERENCES incidents(id),
    issue         TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    impact        TEXT    NOT NULL,
    started_at_ms INTEGER NOT NULL,
    text          TEXT    NOT NULL,
    stamped_at_ms INTEGER NOT NULL
);
CREATE INDEX status_updates_by_incident ON status_updates (incident_id, id);
)sql";

// v3: alert state survives a restart, so a firing alert comes back firing (with its
// original activeAt/firedAt) instead of pending and waiting out its `for` again.
constexpr std::string_view kV3 = R"sql(
CREATE TABLE alert_state (
    fingerprint     TEXT    PRIMARY KEY,
    labels          TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('pending','firing')),
    active_at_ms    INTEGER NOT NULL,
    fired_at_ms     INTEGER,
    acknowledged_by TEXT
);
)sql";

// v4: what an incident is about beyond its source alert (more alerts, services) so alert
// changes land on the right timelines; who was told when (the runbook's stakeholder
// matrix); and the postmortem's follow-ups.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE incident_links (
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    kind        TEXT    NOT NULL CHECK (kind IN ('alert','service')),
    value       TEXT    NOT NULL CHECK (length(value) > 0),
    PRIMARY KEY (incident_id, kind, value)
);
INSERT OR IGNORE INTO incident_links (incident_id, kind, value)
    SELECT id, 'alert', source_fingerprint FROM incidents
    WHERE source_fingerprint IS NOT NULL AND length(source_fingerprint) > 0;
CREATE TABLE stakeholder_notices (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    stakeholder TEXT    NOT NULL CHECK (stakeholder IN
                    ('engineering','product','leadership','users')),
    who         TEXT    NOT NULL CHECK (length(who) > 0),
    at_ms       INTEGER NOT NULL
);
CREATE INDEX stakeholder_notices_by_incident ON stakeholder_notices (incident_id);
CREATE TABLE follow_ups (
    id            INTEGER PRIMARY KEY,
    incident_id   INTEGER NOT NULL REFERENCES incidents(id),
    text          TEXT    NOT NULL CHECK (length(text) > 0),
    owner         TEXT    NOT NULL DEFAULT '',
    done          INTEGER NOT NULL DEFAULT 0,
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX follow_ups_by_incident ON follow_ups (incident_id);
)sql";

constexpr Migration kMigrations[] = {
    {1, "initial schema", kV1},
    {2, "acknowledgements.ended_at, status_updates", kV2},
    {3, "alert_state", kV3},
    {4, "incident_links (backfilled from source alerts), stakeholder_notices, follow_ups", kV4},
};

} // namespace

const Migration *migrations(int *count)
{
    *count = int(std::size(kMigrations));
    return kMigrations;
}

} // namespace opsdeck::models::schema
