#include "health_history_model.h"

#include "models_tr.h"

#include <algorithm>

namespace opsdeck::models {

namespace {
QString formatElapsed(std::int64_t ms)
{
    const std::int64_t totalSec = ms / 1000;
    return QStringLiteral("%1:%2:%3")
        .arg(totalSec / 3600)
        .arg((totalSec / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(totalSec % 60, 2, 10, QLatin1Char('0'));
}

// Worse of two values for this metric (larger when breaching above, smaller when below).
double worse(HealthMetric metric, double a, double b)
{
    return healthMetricInfo(metric).breach == Breach::Above ? std::max(a, b) : std::min(a, b);
}
} // namespace

HealthHistoryModel::HealthHistoryModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(std::max(1, capacity))
{
}

int HealthHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HealthHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant HealthHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const sim::HealthSnapshot &row = m_rows[std::size_t(index.row())];
    if (role == TimeMsRole)
        return QVariant::fromValue<qint64>(row.timeMs);
    if (index.column() == TimeColumn) {
        switch (role) {
        case Qt::DisplayRole: return formatElapsed(row.timeMs);
        case ValueRole: return double(row.timeMs);
        case BreachRole: return false;
        default: return {};
        }
    }
    const auto metric = HealthMetric(index.column() - 1);
    const double value = healthValue(row, metric);
    switch (role) {
    case Qt::DisplayRole: return formatHealthValue(metric, value);
    case ValueRole: return value;
    case BreachRole: return isBreach(metric, value);
    case Qt::TextAlignmentRole: return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    default: return {};
    }
}

QVariant HealthHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0
        || section >= NUM_COLUMNS)
        return {};
    if (section == TimeColumn)
        return Tr::tr("Time");
    return healthMetricInfo(HealthMetric(section - 1)).title;
}

void HealthHistoryModel::append(const std::vector<sim::HealthSnapshot> &samples)
{
    // Only strictly newer samples: a republished snapshot must not duplicate a row.
    auto first = samples.begin();
    if (!m_rows.empty()) {
        const std::int64_t latest = m_rows.back().timeMs;
        first = std::find_if(samples.begin(), samples.end(),
                             [latest](const auto &s) { return s.timeMs > latest; });
    }
    std::vector<sim::HealthSnapshot> fresh(first, samples.end());
    if (fresh.empty())
        return;
    // Samples beyond capacity would be trimmed straight away: never insert them.
    if (fresh.size() > std::size_t(m_capacity))
        fresh.erase(fresh.begin(), fresh.end() - m_capacity);

    const int excess = int(m_rows.size() + fresh.size()) - m_capacity;
    if (excess > 0) {
        beginRemoveRows({}, 0, excess - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + excess);
        endRemoveRows();
    }
    const int firstRow = int(m_rows.size());
    beginInsertRows({}, firstRow, firstRow + int(fresh.size()) - 1);
    for (auto &s : fresh)
        m_rows.push_back(std::move(s));
    endInsertRows();
}

void HealthHistoryModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

void HealthHistoryModel::onSnapshot(const backends::SnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    m_epochOffsetMs = snapshot->epochMs - snapshot->timeMs;
    if (!snapshot->healthSincePrevious.empty())
        append(snapshot->healthSincePrevious);
    else
        append({snapshot->health});
}

QList<QPointF> HealthHistoryModel::points(HealthMetric metric, std::int64_t fromMs,
                                          std::int64_t toMs, int maxPoints) const
{
    QList<QPointF> out;
    if (m_rows.empty() || toMs < fromMs)
        return out;
    const auto begin = std::lower_bound(m_rows.begin(), m_rows.end(), fromMs,
                                        [](const auto &s, std::int64_t t) { return s.timeMs < t; });
    const auto end = std::upper_bound(m_rows.begin(), m_rows.end(), toMs,
                                      [](std::int64_t t, const auto &s) { return t < s.timeMs; });
    const auto count = std::distance(begin, end);
    if (count <= 0)
        return out;
    const double scale = healthMetricInfo(metric).displayScale;
    const std::ptrdiff_t perBucket = maxPoints > 0 ? (count + maxPoints - 1) / maxPoints : 1;
    out.reserve(qsizetype(count / std::max<std::ptrdiff_t>(1, perBucket) + 1));
    for (auto it = begin; it < end;) {
        const auto bucketEnd = (end - it) > perBucket ? it + perBucket : end;
        double value = healthValue(*it, metric);
        for (auto j = it + 1; j < bucketEnd; ++j)
            value = worse(metric, value, healthValue(*j, metric));
        out.append(QPointF(double((bucketEnd - 1)->timeMs), value * scale));
        it = bucketEnd;
    }
    return out;
}

} // namespace opsdeck::models
