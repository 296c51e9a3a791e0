#include "panel_data_model.h"

#include "models_tr.h"

#include <QFutureWatcher>
#include <QPromise>
#include <QThreadPool>

#include <QCoro/QCoroTask>

#include <algorithm>
#include <cmath>
#include <ctime>

namespace opsdeck::models {

namespace {
qint64 threadCpuNs()
{
#if defined(CLOCK_THREAD_CPUTIME_ID)
    timespec ts{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
        return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
#endif
    return 0;
}
} // namespace

qint64 PanelDataModel::cpuNsSinceApplyStarted() const
{
    return m_applyCpuNs ? threadCpuNs() - m_applyCpuNs : 0;
}

PanelDataModel::PanelDataModel(backends::ClusterBackend *backend, PanelDefinition definition,
                               QObject *parent)
    : QAbstractTableModel(parent)
    , m_backend(backend)
    , m_definition(std::move(definition))
{
    if (auto latest = backend->latestSnapshot())
        m_nowEpochMs = latest->epochMs;
    connect(backend, &backends::ClusterBackend::snapshotPublished, this, &PanelDataModel::onSnapshot);
}

PanelDataModel::~PanelDataModel() = default;

void PanelDataModel::setDefinition(PanelDefinition definition)
{
    if (definition == m_definition)
        return;
    m_definition = std::move(definition);
    invalidate();
}

void PanelDataModel::setRangeMs(qint64 rangeMs)
{
    rangeMs = std::max<qint64>(rangeMs, 60 * 1000);
    if (rangeMs == m_rangeMs)
        return;
    m_rangeMs = rangeMs;
    invalidate();
}

void PanelDataModel::setWidthPx(int widthPx)
{
    widthPx = std::max(widthPx, 50);
    if (widthPx == m_widthPx)
        return;
    const qint64 before = stepMs();
    m_widthPx = widthPx;
    if (stepMs() != before) // a few pixels more or less rarely changes the step
        invalidate();
}

void PanelDataModel::setStepOverrideMs(qint64 stepMs)
{
    if (stepMs == m_stepOverrideMs)
        return;
    m_stepOverrideMs = std::max<qint64>(stepMs, 0);
    invalidate();
}

qint64 PanelDataModel::stepMs() const
{
    return m_stepOverrideMs > 0 ? m_stepOverrideMs : chooseStepMs(m_rangeMs, m_widthPx);
}

qint64 PanelDataModel::chooseStepMs(qint64 rangeMs, int widthPx, qint64 minStepMs)
{
    static constexpr qint64 kSteps[] = {1'000, 2'000, 5'000, 10'000, 15'000, 30'000, 60'000,
                                        120'000, 300'000, 600'000, 900'000, 1'800'000, 3'600'000};
    const qint64 columns = std::max(widthPx, 1);
    const qint64 needed = std::max((rangeMs + columns - 1) / columns, minStepMs);
    for (qint64 step : kSteps)
        if (step >= needed)
            return step;
    return (needed + 3'600'000 - 1) / 3'600'000 * 3'600'000;
}

void PanelDataModel::setComponentFilter(const QString &component)
{
    if (component == m_component)
        return;
    m_component = component;
    if (usesComponent(m_definition.query))
        invalidate();
}

QString PanelDataModel::effectiveQuery() const
{
    return substituteComponent(m_definition.query, m_component);
}

void PanelDataModel::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    // Coming back on screen: show "now", not where the panel was when it was hidden.
    if (m_active)
        refresh();
}

void PanelDataModel::setMomentMs(qint64 epochMs)
{
    if (epochMs == m_momentMs)
        return;
    m_momentMs = std::max<qint64>(0, epochMs);
    invalidate();
}

void PanelDataModel::invalidate()
{
    ++m_generation;
    m_lastQueryEndMs = -1;
    if (m_active)
        refresh();
}

void PanelDataModel::onSnapshot(const backends::SnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    m_nowEpochMs = snapshot->epochMs;
    if (!m_active || (m_momentMs > 0 && m_lastQueryEndMs >= 0))
        return; // hidden, or looking at a fixed moment that is already drawn
    const qint64 step = stepMs();
    const qint64 alignedEnd = m_nowEpochMs / step * step;
    if (alignedEnd <= m_lastQueryEndMs)
        return; // the throttle: nothing new to plot at this step
    refresh();
}

void PanelDataModel::refresh()
{
    if (m_inFlight) {
        m_pending = true; // at most one in flight: ask again when it returns
        return;
    }
    issue();
}

void PanelDataModel::issue()
{
    if (m_nowEpochMs <= 0) {
        if (auto latest = m_backend->latestSnapshot())
            m_nowEpochMs = latest->epochMs;
        else
            return; // nothing published yet: the first snapshot will query
    }
    const qint64 step = stepMs();
    const qint64 anchor = m_momentMs > 0 ? std::min(m_nowEpochMs, m_momentMs + m_rangeMs / 2)
                                         : m_nowEpochMs;
    const qint64 end = anchor / step * step;
    const qint64 start = end - m_rangeMs;
    m_lastQueryEndMs = end;
    m_inFlight = true;
    m_pending = false;
    ++m_queriesIssued;
    const quint64 generation = m_generation;
    QCoro::connect(m_backend->queryRange(effectiveQuery(), start, end, step), this,
                   [this, generation, start, end](Result<telemetry::promql::Value> result) {
                       if (generation != m_generation) {
                           accept(generation, start, end, {}); // stale: dropped there, nothing to convert
                           return;
                       }
                       // An hour at 1 s is tens of thousands of points per panel: turning them
                       // into rows is most of applying a result, so a pool thread does it and
                       // the UI thread only swaps the rows in. The watcher is this model's
                       // child: if the model goes first, the finished rows are simply dropped.
                       auto promise = std::make_shared<QPromise<Rows>>();
                       auto *watcher = new QFutureWatcher<Rows>(this);
                       connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, start, end]() {
                           watcher->deleteLater();
                           accept(generation, start, end, watcher->future().takeResult());
                       });
                       watcher->setFuture(promise->future());
                       promise->start();
                       auto shared = std::make_shared<const Result<telemetry::promql::Value>>(std::move(result));
                       QThreadPool::globalInstance()->start([promise, shared, format = m_definition.legendFormat]() {
                           promise->addResult(toRows(*shared, format));
                           promise->finish();
                       });
                   });
}

PanelDataModel::Rows PanelDataModel::toRows(const Result<telemetry::promql::Value> &result,
                                            const QString &legendFormat)
{
    Rows rows;
    if (!result) {
        rows.error = QString::fromStdString(result.error());
        return rows;
    }
    if (result->type != telemetry::promql::ValueType::Matrix) {
        rows.error = Tr::tr("the query returned a %1, not series over time")
                         .arg(result->type == telemetry::promql::ValueType::String ? Tr::tr("string")
                                                                                    : Tr::tr("scalar"));
        return rows;
    }
    rows.series.reserve(qsizetype(result->matrix.size()));
    for (const auto &rs : result->matrix) {
        Series s;
        s.labels = rs.metric;
        s.legend = formatLegend(legendFormat, rs.metric);
        s.points.reserve(qsizetype(rs.points.size()));
        for (const telemetry::Point &p : rs.points)
            if (std::isfinite(p.v))
                s.points.append(QPointF(double(p.t), p.v));
        rows.series.append(std::move(s));
    }
    // Stable order, so colours do not jump between refreshes.
    std::sort(rows.series.begin(), rows.series.end(), [](const Series &a, const Series &b) {
        return a.legend < b.legend || (a.legend == b.legend && a.labels < b.labels);
    });
    return rows;
}

void PanelDataModel::accept(quint64 generation, qint64 fromMs, qint64 toMs, Rows rows)
{
    m_applyTimer.start();
    m_applyCpuNs = threadCpuNs();
    m_inFlight = false;
    if (generation != m_generation) {
        // Asked before the range / component / query changed: not what the user sees now.
        ++m_staleDropped;
        if (m_active)
            issue();
        return;
    }

    QList<Series> next = std::move(rows.series);
    const QString error = rows.error;
    bool sameRows = next.size() == m_series.size();
    for (qsizetype i = 0; sameRows && i < next.size(); ++i)
        sameRows = next[i].legend == m_series[i].legend;
    if (sameRows) {
        m_series = std::move(next);
        if (!m_series.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, NUM_COLUMNS - 1));
    } else {
        beginResetModel();
        m_series = std::move(next);
        endResetModel();
    }
    m_error = error;
    m_fromMs = fromMs;
    m_toMs = toMs;
    m_hasResult = true;
    Q_EMIT resultChanged();
    if (m_pending && m_active)
        issue();
}

int PanelDataModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_series.size());
}

int PanelDataModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant PanelDataModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Series &s = m_series.at(index.row());
    const double last = s.points.isEmpty() ? qQNaN() : s.points.constLast().y();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case LegendColumn:
            return s.legend;
        case LastValueColumn:
            return formatPanelValue(m_definition.unit, last);
        case PointsColumn:
            return int(s.points.size());
        }
        return {};
    case Qt::ToolTipRole:
        return QString::fromStdString(s.labels.toString());
    case LastValueRole:
        return last;
    case PointCountRole:
        return int(s.points.size());
    }
    return {};
}

QVariant PanelDataModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case LegendColumn:
        return Tr::tr("Series");
    case LastValueColumn:
        return Tr::tr("Last");
    case PointsColumn:
        return Tr::tr("Points");
    }
    return {};
}

} // namespace opsdeck::models
