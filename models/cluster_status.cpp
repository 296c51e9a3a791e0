#include "cluster_status.h"

#include "models_tr.h"

#include <QDateTime>

namespace opsdeck::models {

ClusterStatus::ClusterStatus(backends::ClusterBackend *backend, QObject *parent)
    : QObject(parent)
    , m_backend(backend)
{
    if (!backend)
        return;
    connect(backend, &backends::ClusterBackend::snapshotPublished, this, &ClusterStatus::onSnapshot);
    connect(backend, &backends::ClusterBackend::clockChanged, this, &ClusterStatus::changed);
    connect(backend, &backends::ClusterBackend::connectionStateChanged, this, &ClusterStatus::changed);
    if (auto latest = backend->latestSnapshot())
        onSnapshot(latest);
}

void ClusterStatus::onSnapshot(const backends::SnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    m_timeMs = snapshot->timeMs;
    m_epochMs = snapshot->epochMs;
    Q_EMIT changed();
}

bool ClusterStatus::isPaused() const
{
    return m_backend && m_backend->isPaused();
}

backends::SimSpeed ClusterStatus::speed() const
{
    return m_backend ? m_backend->speed() : backends::SimSpeed::X1;
}

bool ClusterStatus::clockControllable() const
{
    return m_backend && m_backend->supportsClockControl();
}

QString ClusterStatus::clockText() const
{
    return QDateTime::fromMSecsSinceEpoch(m_epochMs, Qt::UTC)
               .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
        + QStringLiteral(" UTC");
}

QString ClusterStatus::formatElapsed(std::int64_t ms)
{
    const std::int64_t totalSec = std::max<std::int64_t>(0, ms) / 1000;
    const std::int64_t days = totalSec / 86400;
    const QString hms = QStringLiteral("%1:%2:%3")
                            .arg((totalSec / 3600) % 24, 2, 10, QLatin1Char('0'))
                            .arg((totalSec / 60) % 60, 2, 10, QLatin1Char('0'))
                            .arg(totalSec % 60, 2, 10, QLatin1Char('0'));
    //: Simulated time elapsed since the start of the scenario, "T+" as in a countdown
    return days > 0 ? Tr::tr("T+%1d %2").arg(days).arg(hms) : Tr::tr("T+%1").arg(hms);
}

QString ClusterStatus::elapsedText() const
{
    return formatElapsed(m_timeMs);
}

QString ClusterStatus::speedLabel(backends::SimSpeed speed)
{
    if (speed == backends::SimSpeed::Max)
        //: Simulation speed: as fast as the machine allows
        return Tr::tr("max");
    return QStringLiteral("%1×").arg(QString::fromLatin1(backends::speedName(speed)));
}

QString ClusterStatus::speedText() const
{
    return speedLabel(speed());
}

QString ClusterStatus::connectionText() const
{
    if (!m_backend)
        return Tr::tr("NO BACKEND");
    switch (m_backend->connectionState()) {
    case backends::ConnectionState::Simulation: return Tr::tr("SIMULATION");
    case backends::ConnectionState::Connected: return Tr::tr("CONNECTED");
    case backends::ConnectionState::Connecting: return Tr::tr("CONNECTING");
    case backends::ConnectionState::Disconnected: return Tr::tr("DISCONNECTED");
    case backends::ConnectionState::Failed: return Tr::tr("CONNECTION FAILED");
    }
    return {};
}

QString ClusterStatus::statusFactsText() const
{
    return m_backend ? m_backend->statusFacts().join(QStringLiteral(" · ")) : QString();
}

} // namespace opsdeck::models
