#include "widgets/incidents/timeline_panel.h"

#include "models/incident_report.h"
#include "widgets/incidents/incident_style.h"
#include "widgets/theme.h"
#include "widgets/widgets_tr.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QToolButton>
#include <QVBoxLayout>

namespace opsdeck::widgets {
namespace {
using models::TimelineModel;

// Time | icon | text, actor underneath in the muted colour: the status-page example's
// "14:45 UTC - Identified resource constraint ..." with who did it.
class TimelineDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const override
    {
        return {option.rect.width(), option.fontMetrics.height() * 2 + 14};
    }

    void paint(QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        opt.icon = QIcon();
        opt.widget->style()->drawControl(QStyle::CE_ItemViewItem, &opt, p, opt.widget);
        const auto kind = models::TimelineKind(index.data(TimelineModel::KindRole).toInt());
        const qint64 t = index.data(TimelineModel::TimeMsRole).toLongLong();
        const QRect r = option.rect.adjusted(8, 5, -8, -5);
        QFont bold = option.font;
        bold.setBold(true);
        QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
        mono.setPointSizeF(option.font.pointSizeF());
        mono.setBold(true);
        const bool selected = option.state & QStyle::State_Selected;
        const QColor text = selected ? option.palette.highlightedText().color() : option.palette.text().color();
        p->save();
        p->setFont(mono);
        p->setPen(text);
        const QString time = QDateTime::fromMSecsSinceEpoch(t, Qt::UTC).toString(QStringLiteral("HH:mm:ss"));
        const int timeWidth = QFontMetrics(mono).horizontalAdvance(QStringLiteral("00:00:00 "));
        p->drawText(QRect(r.left(), r.top(), timeWidth, r.height() / 2), Qt::AlignLeft | Qt::AlignVCenter, time);
        const int iconSize = r.height() - 4;
        incidents::kindIcon(kind).paint(p, QRect(r.left() + timeWidth + 4, r.top() + 2, iconSize, iconSize));
        const int textLeft = r.left() + timeWidth + iconSize + 14;
        const QRect top(textLeft, r.top(), r.right() - textLeft, r.height() / 2);
        const QRect bottom(textLeft, r.top() + r.height() / 2, r.right() - textLeft, r.height() / 2);
        p->setFont(bold);
        p->drawText(top, Qt::AlignLeft | Qt::AlignVCenter,
                    QFontMetrics(bold).elidedText(index.data(TimelineModel::TextRole).toString(),
                                                  Qt::ElideRight, top.width()));
        p->setFont(option.font);
        p->setPen(selected ? text : theme::muted());
        QString sub = incidents::kindLabel(kind) + QStringLiteral("  \u00b7  ")
                      + index.data(TimelineModel::ActorRole).toString();
        const QVariantMap payload = index.data(TimelineModel::PayloadRole).toMap();
        if (payload.contains(QStringLiteral("kubectl")) && !payload.value(QStringLiteral("kubectl")).toString().isEmpty())
            sub += QStringLiteral("  \u00b7  ") + payload.value(QStringLiteral("kubectl")).toString();
        p->drawText(bottom, Qt::AlignLeft | Qt::AlignVCenter,
                    QFontMetrics(option.font).elidedText(sub, Qt::ElideRight, bottom.width()));
        p->restore();
    }
};
} // namespace

TimelinePanel::TimelinePanel(models::IncidentSession *session, QWidget *parent)
    : QWidget(parent), m_session(session), m_model(new models::TimelineModel(this)),
      m_filter(new models::TimelineKindFilterModel(this)), m_view(new QListView(this)),
      m_note(new QLineEdit(this)), m_jump(new QPushButton(Tr::tr("Dashboards at this moment"), this)),
      m_snapshotImage(new QLabel(this)), m_snapshotCaption(new QLabel(this))
{
    m_filter->setSourceModel(m_model);
    m_filter->setSortRole(TimelineModel::TimeMsRole);
    m_filter->sort(0, Qt::AscendingOrder);
    m_view->setModel(m_filter);
    m_view->setItemDelegate(new TimelineDelegate(m_view));
    m_view->setUniformItemSizes(true);
    m_view->setAlternatingRowColors(true);

    auto *filters = new QHBoxLayout;
    filters->setSpacing(2);
    filters->addWidget(new QLabel(Tr::tr("Show:"), this));
    for (int k = 0; k < int(models::TimelineKind::NUM_KINDS); ++k) {
        auto *button = new QToolButton(this);
        const auto kind = models::TimelineKind(k);
        button->setIcon(incidents::kindIcon(kind));
        button->setToolTip(incidents::kindLabel(kind));
        button->setCheckable(true);
        button->setChecked(true);
        button->setAutoRaise(true);
        button->setIconSize(QSize(18, 18));
        button->setObjectName(QStringLiteral("filter_%1").arg(QLatin1String(models::timelineKindName(kind))));
        connect(button, &QToolButton::toggled, this, &TimelinePanel::applyKindFilter);
        m_kindButtons.push_back(button);
        filters->addWidget(button);
    }
    filters->addStretch();
    filters->addWidget(m_jump);

    m_note->setPlaceholderText(Tr::tr("Type a note for the timeline and press Enter"));
    connect(m_note, &QLineEdit::returnPressed, this, [this] {
        if (m_incident == 0 || m_note->text().trimmed().isEmpty())
            return;
        m_session->addNote(m_incident, m_note->text());
        m_note->clear();
    });
    connect(m_jump, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_view->currentIndex();
        if (current.isValid())
            Q_EMIT showDashboardsAt(current.data(TimelineModel::TimeMsRole).toLongLong());
    });
    connect(m_view, &QListView::doubleClicked, this, [this](const QModelIndex &index) {
        Q_EMIT showDashboardsAt(index.data(TimelineModel::TimeMsRole).toLongLong());
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &TimelinePanel::onSelectionChanged);
    m_snapshotImage->setVisible(false);
    m_snapshotCaption->setVisible(false);
    m_snapshotCaption->setWordWrap(true);
    m_jump->setEnabled(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_snapshotImage);
    layout->addWidget(m_snapshotCaption);
    layout->addWidget(m_note);

    connect(session, &models::IncidentSession::timelineChanged, this, [this](qint64 id) {
        if (id == m_incident)
            reload();
    });
}

void TimelinePanel::setIncident(int64_t incidentId)
{
    m_incident = incidentId;
    m_model->setEntries({});
    reload();
}

void TimelinePanel::reload()
{
    if (m_incident == 0)
        return;
    // Only what was committed since the last load: a 100k-entry timeline is read once.
    if (m_model->rowCount() == 0)
        m_model->setEntries(m_session->timeline(m_incident));
    else
        m_model->appendEntries(m_session->timeline(m_incident, m_model->lastEntryId()));
    m_view->scrollToBottom();
}

void TimelinePanel::applyKindFilter()
{
    uint32_t mask = 0;
    for (size_t k = 0; k < m_kindButtons.size(); ++k)
        if (m_kindButtons[k]->isChecked())
            mask |= models::timelineKindBit(models::TimelineKind(k));
    m_filter->setKindMask(mask);
}

void TimelinePanel::onSelectionChanged()
{
    const QModelIndex current = m_view->currentIndex();
    m_jump->setEnabled(current.isValid());
    const bool snapshot = current.isValid()
                          && models::TimelineKind(current.data(TimelineModel::KindRole).toInt())
                                 == models::TimelineKind::MetricSnapshot;
    m_snapshotImage->setVisible(snapshot);
    m_snapshotCaption->setVisible(snapshot);
    if (!snapshot)
        return;
    const auto &entry = m_model->entry(m_filter->mapToSource(current).row());
    QPixmap chart;
    chart.loadFromData(QByteArray::fromStdString(entry.attachment), "PNG");
    m_snapshotImage->setPixmap(chart.scaledToHeight(std::min(chart.height(), 220), Qt::SmoothTransformation));
    const QVariantMap payload = current.data(TimelineModel::PayloadRole).toMap();
    m_snapshotCaption->setText(Tr::tr("%1 from %2 to %3")
                                   .arg(payload.value(QStringLiteral("query")).toString(),
                                        models::utcDateTime(payload.value(QStringLiteral("startMs")).toLongLong()),
                                        models::utcDateTime(payload.value(QStringLiteral("endMs")).toLongLong())));
}

} // namespace opsdeck::widgets
