#include "remediation_controller_log.h"

#include "action_confirm_dialog_preview.h"
#include "theme.h"
#include "widgets_tr.h"

#include <QDateTime>
#include <QFont>

namespace opsdeck::widgets {

RemediationLogModel::RemediationLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int RemediationLogModel::start(const sim::ActionSpec &spec, const QString &who, qint64 epochMs, const QString &kubectlPreview)
{
    Entry e;
    e.id = m_nextId++;
    e.epochMs = epochMs;
    e.who = who;
    e.spec = spec;
    e.what = describeAction(spec);
    e.kubectl = kubectlPreview;
    if (static_cast<int>(m_entries.size()) >= kMaxEntries) {
        const int last = static_cast<int>(m_entries.size()) - 1;
        beginRemoveRows({}, last, last);
        m_entries.pop_back();
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    m_entries.push_front(std::move(e));
    endInsertRows();
    return m_nextId - 1;
}

void RemediationLogModel::finish(int id, const sim::ActionResult &result)
{
    for (std::size_t row = 0; row < m_entries.size(); ++row) {
        Entry &e = m_entries[row];
        if (e.id != id)
            continue;
        e.state = result.ok ? Succeeded : Failed;
        e.message = QString::fromStdString(result.message);
        if (!result.kubectl.empty())
            e.kubectl = QString::fromStdString(result.kubectl);
        Q_EMIT dataChanged(index(static_cast<int>(row), 0), index(static_cast<int>(row), ColumnCount - 1));
        return;
    }
}

const RemediationLogModel::Entry *RemediationLogModel::entry(int row) const
{
    return row >= 0 && row < static_cast<int>(m_entries.size()) ? &m_entries[static_cast<std::size_t>(row)] : nullptr;
}

int RemediationLogModel::runningCount() const
{
    int n = 0;
    for (const auto &e : m_entries)
        n += e.state == Running ? 1 : 0;
    return n;
}

int RemediationLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int RemediationLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RemediationLogModel::data(const QModelIndex &index, int role) const
{
    const Entry *e = index.isValid() ? entry(index.row()) : nullptr;
    if (!e || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return e->epochMs > 0 ? QDateTime::fromMSecsSinceEpoch(e->epochMs, Qt::UTC).toString(QStringLiteral("HH:mm:ss"))
                                  : QStringLiteral("–");
        case WhoColumn:
            return e->who;
        case ActionColumn:
            return e->what;
        case ResultColumn:
            switch (e->state) {
            case Running:
                return Tr::tr("running…");
            case Succeeded:
                return Tr::tr("✔ %1").arg(e->message);
            case Failed:
                return Tr::tr("✖ FAILED: %1").arg(e->message);
            }
            return {};
        case CommandColumn:
            return e->kubectl;
        }
        return {};
    case Qt::ToolTipRole:
        return QStringLiteral("%1\n%2\n$ %3").arg(e->what, e->message, e->kubectl);
    case Qt::ForegroundRole:
        if (index.column() == ResultColumn && e->state != Running)
            return e->state == Succeeded ? theme::ok() : theme::p1();
        return {};
    case Qt::FontRole:
        if (index.column() == CommandColumn) {
            QFont f(QStringLiteral("monospace"));
            f.setStyleHint(QFont::Monospace);
            return f;
        }
        return {};
    case StateRole:
        return static_cast<int>(e->state);
    case TargetRole:
        return QString::fromStdString(e->spec.target);
    case KindRole:
        return QString::fromLatin1(sim::actionName(e->spec.kind));
    default:
        return {};
    }
}

QVariant RemediationLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return Tr::tr("Time (UTC)");
    case WhoColumn:
        return Tr::tr("Who");
    case ActionColumn:
        return Tr::tr("Action");
    case ResultColumn:
        return Tr::tr("Result");
    case CommandColumn:
        return Tr::tr("Command");
    }
    return {};
}

} // namespace opsdeck::widgets
