#pragma once
// The console's view of "where are we": connection, simulated clock, pause and speed,
// formatted for the toolbar and status bar. Follows one ClusterBackend.
#include "../backends/cluster_backend.h"

#include <QObject>
#include <QPointer>

namespace opsdeck::models {

class ClusterStatus : public QObject {
    Q_OBJECT
public:
    explicit ClusterStatus(backends::ClusterBackend *backend, QObject *parent = nullptr);
    ~ClusterStatus() override = default;

    backends::ClusterBackend *backend() const { return m_backend; }

    std::int64_t timeMs() const { return m_timeMs; }
    std::int64_t epochMs() const { return m_epochMs; }
    bool isPaused() const;
    backends::SimSpeed speed() const;
    bool clockControllable() const;

    QString clockText() const;       // "2025-07-20 01:00:00 UTC"
    QString elapsedText() const;     // "T+ 1:00:00" (days shown when > 24 h)
    QString speedText() const;       // "60×", "max"
    QString connectionText() const;  // "SIMULATION", "CONNECTED", ...
    QString statusFactsText() const; // "seed 42 · preset default"

    static QString speedLabel(backends::SimSpeed speed);
    static QString formatElapsed(std::int64_t ms);

Q_SIGNALS:
    void changed();

private:
    void onSnapshot(const backends::SnapshotPtr &snapshot);

    QPointer<backends::ClusterBackend> m_backend;
    std::int64_t m_timeMs = 0;
    std::int64_t m_epochMs = 0;
};

} // namespace opsdeck::models
