#pragma once
// One panel's data: its PromQL range query, re-run through ClusterBackend::queryRange as
// the backend publishes snapshots (it listens itself), one row per returned series
// (legend, last value, points).
//
// Never blocks the UI thread: queries are QCoro tasks run by the backend (on the
// simulation's worker thread, or over the network). At most one query per panel is in
// flight; a change of range, component or definition while one runs marks it stale, its
// result is dropped on arrival and the new query goes out then. Refreshes are throttled
// in the backend's time: a new query only once "now" moved by a step, so a 24 h panel
// does not re-run its query for every snapshot of a fast simulation.
#include "../backends/cluster_backend.h"
#include "panel_definition.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QList>
#include <QPointF>

namespace opsdeck::models {

class PanelDataModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { LegendColumn, LastValueColumn, PointsColumn, NUM_COLUMNS };
    enum Role {
        LastValueRole = Qt::UserRole + 1, // double, query units (NaN: no point)
        PointCountRole,                   // int
    };

    struct Series {
        QString legend;
        telemetry::Labels labels;
        QList<QPointF> points; // x: epoch ms, y: query units; NaN-free, time-ordered
    };

    PanelDataModel(backends::ClusterBackend *backend, PanelDefinition definition,
                   QObject *parent = nullptr);
    ~PanelDataModel() override;

    const PanelDefinition &definition() const { return m_definition; }
    void setDefinition(PanelDefinition definition);

    // How far back the panel looks (15 min, 1 h, 6 h, 24 h) and how many pixel columns
    // it is drawn on; together they choose the step.
    void setRangeMs(qint64 rangeMs);
    qint64 rangeMs() const { return m_rangeMs; }
    void setWidthPx(int widthPx);
    int widthPx() const { return m_widthPx; }
    // 0: automatic (see chooseStepMs). The UI benchmark forces 1 s points.
    void setStepOverrideMs(qint64 stepMs);
    qint64 stepMs() const;
    // The smallest step that keeps at most one point per pixel column, rounded up to a
    // step a person would pick (1 s, 2 s, 5 s, 10 s, 15 s, 30 s, 1 m, 2 m, 5 m, ...),
    // never below minStepMs (the scrape interval).
    static qint64 chooseStepMs(qint64 rangeMs, int widthPx, qint64 minStepMs = 1000);

    // Look at a past moment (epoch ms) instead of following "now": the window is centred
    // on it (never past now) and stays put while time runs on. 0 follows now again.
    void setMomentMs(qint64 epochMs);
    qint64 momentMs() const { return m_momentMs; }

    // The service map's selection; only queries with $component change.
    void setComponentFilter(const QString &component);
    QString componentFilter() const { return m_component; }
    QString effectiveQuery() const;

    // Inactive (a dashboard not on screen): snapshots do not query.
    void setActive(bool active);
    bool isActive() const { return m_active; }

    const QList<Series> &series() const { return m_series; }
    // The x span of the result shown: [from, to] epoch ms (0, 0 before the first result).
    qint64 fromMs() const { return m_fromMs; }
    qint64 toMs() const { return m_toMs; }
    // The last query's error ("" when it worked): shown on the panel, never swallowed.
    QString error() const { return m_error; }
    bool hasResult() const { return m_hasResult; }

    bool isQueryInFlight() const { return m_inFlight; }
    int queriesIssued() const { return m_queriesIssued; }
    int staleResultsDropped() const { return m_staleDropped; }
    // Main-thread time since the latest result started being applied (the UI benchmark
    // reads it once the panel has redrawn).
    qint64 nsSinceApplyStarted() const { return m_applyTimer.isValid() ? m_applyTimer.nsecsElapsed() : 0; }
    // The same in CPU time of the calling (main) thread, so a loaded machine's waiting
    // does not count; 0 where the platform has no per-thread CPU clock.
    qint64 cpuNsSinceApplyStarted() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

public Q_SLOTS:
    void onSnapshot(const opsdeck::backends::SnapshotPtr &snapshot);
    // Query now (if none is in flight; otherwise right after it), whatever the throttle.
    void refresh();

Q_SIGNALS:
    // A result (or an error) replaced what the panel shows.
    void resultChanged();

private:
    void invalidate(); // settings changed: in-flight result is stale, query again
    void issue();
    // A result turned into rows, off the UI thread (see issue()).
    struct Rows {
        QList<Series> series;
        QString error;
    };
    static Rows toRows(const Result<telemetry::promql::Value> &result, const QString &legendFormat);
    void accept(quint64 generation, qint64 fromMs, qint64 toMs, Rows rows);

    backends::ClusterBackend *m_backend;
    PanelDefinition m_definition;
    QString m_component;
    qint64 m_rangeMs = 15 * 60 * 1000;
    qint64 m_momentMs = 0; // 0: live
    int m_widthPx = 600;
    qint64 m_stepOverrideMs = 0;
    bool m_active = true;

    qint64 m_nowEpochMs = 0;       // latest snapshot's instant
    qint64 m_lastQueryEndMs = -1;  // end of the last query issued (-1: none)
    quint64 m_generation = 0;      // bumped by every settings change
    bool m_inFlight = false;
    bool m_pending = false;        // query again when the one in flight returns
    int m_queriesIssued = 0;
    int m_staleDropped = 0;

    QList<Series> m_series;
    qint64 m_fromMs = 0;
    qint64 m_toMs = 0;
    QString m_error;
    bool m_hasResult = false;
    QElapsedTimer m_applyTimer;
    qint64 m_applyCpuNs = 0;
};

} // namespace opsdeck::models
