#include "actions_view_rollout.h"

#include "theme.h"
#include "widgets_tr.h"

#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>

#include <algorithm>

namespace opsdeck::widgets {

namespace {
const QString kPrefix = QStringLiteral("Progressive rollout of ");

// "Progressive rollout of IMG at 25%" -> stage index of 25, or -1.
int stageIn(const QString &title, const QString &marker)
{
    const int at = title.lastIndexOf(marker);
    if (at < 0)
        return -1;
    QString number = title.mid(at + marker.size());
    number.chop(number.endsWith(QLatin1Char('%')) ? 1 : 0);
    bool ok = false;
    const int percent = number.toInt(&ok);
    for (std::size_t i = 0; ok && i < RolloutProgress::kStagePercent.size(); ++i)
        if (RolloutProgress::kStagePercent[i] == percent)
            return static_cast<int>(i);
    return -1;
}

QString imageIn(const QString &title)
{
    QString rest = title.mid(kPrefix.size());
    const int space = rest.indexOf(QLatin1Char(' '));
    return space < 0 ? rest : rest.left(space);
}

QString barStyle(const QColor &chunk)
{
    return QStringLiteral("QProgressBar { border: 1px solid palette(mid); border-radius: 4px; text-align: center; "
                          "min-height: 22px; font-weight: bold; } QProgressBar::chunk { background: %1; border-radius: 3px; }")
        .arg(chunk.name());
}
} // namespace

void RolloutProgress::apply(const sim::SimEvent &event)
{
    const QString title = QString::fromStdString(event.title);
    if (event.kind == sim::SimEvent::Kind::Action && title.startsWith(QLatin1String("Action progressive-rollout"))) {
        if (!event.ok)
            return; // refused (e.g. one already running): nothing started
        // detail: "progressive rollout of IMG started: ..."
        const QString detail = QString::fromStdString(event.detail);
        const QString marker = QStringLiteral("progressive rollout of ");
        QString img = detail.startsWith(marker) ? detail.mid(marker.size()) : QString();
        img = img.left(img.indexOf(QLatin1Char(' ')));
        *this = RolloutProgress{};
        state = State::Running;
        image = img;
        stage = 0;
        stageStartMs = event.timeMs;
        return;
    }
    if (event.kind != sim::SimEvent::Kind::Rollout || !title.startsWith(kPrefix))
        return;
    if (title.contains(QLatin1String(" rolled back at "))) {
        state = State::RolledBack;
        image = imageIn(title);
        stage = std::max(0, stageIn(title, QStringLiteral(" rolled back at ")));
        endedMs = event.timeMs;
        detail = QString::fromStdString(event.detail);
    } else if (title.endsWith(QLatin1String(" completed"))) {
        state = State::Completed;
        image = imageIn(title);
        stage = static_cast<int>(kStagePercent.size()) - 1;
        endedMs = event.timeMs;
        detail = QString::fromStdString(event.detail);
    } else if (const int s = stageIn(title, QStringLiteral(" at ")); s >= 0) {
        state = State::Running;
        image = imageIn(title);
        stage = s;
        stageStartMs = event.timeMs;
    }
}

double RolloutProgress::stageFraction(int index, std::int64_t nowMs) const
{
    switch (state) {
    case State::Idle:
        return 0;
    case State::Completed:
        return 1;
    case State::RolledBack:
    case State::Running:
        if (index < stage)
            return 1;
        if (index > stage)
            return 0;
        {
            const std::int64_t until = state == State::Running ? nowMs : endedMs;
            return std::clamp(static_cast<double>(until - stageStartMs) / static_cast<double>(stageLengthMs(index)), 0.0, 1.0);
        }
    }
    return 0;
}

RolloutProgressPanel::RolloutProgressPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("rolloutProgress"));
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(4);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("rolloutStatus"));
    m_status->setWordWrap(true);
    grid->addWidget(m_status, 0, 0, 1, 4);
    for (std::size_t i = 0; i < m_bars.size(); ++i) {
        auto *label = new QLabel(QStringLiteral("%1 %").arg(RolloutProgress::kStagePercent[i]), this);
        label->setAlignment(Qt::AlignCenter);
        QFont f = label->font();
        f.setBold(true);
        label->setFont(f);
        auto *bar = new QProgressBar(this);
        bar->setObjectName(QStringLiteral("stage%1").arg(RolloutProgress::kStagePercent[i]));
        bar->setRange(0, 1000);
        grid->addWidget(label, 1, static_cast<int>(i));
        grid->addWidget(bar, 2, static_cast<int>(i));
        m_bars[i] = bar;
    }
    refresh();
}

void RolloutProgressPanel::addEvents(const std::vector<sim::SimEvent> &events)
{
    for (const auto &e : events)
        m_progress.apply(e);
    refresh();
}

void RolloutProgressPanel::setNow(std::int64_t nowMs)
{
    m_nowMs = nowMs;
    refresh();
}

QString RolloutProgressPanel::statusText() const { return m_status->text(); }

void RolloutProgressPanel::refresh()
{
    const RolloutProgress &p = m_progress;
    const int pct = RolloutProgress::kStagePercent[static_cast<std::size_t>(p.stage)];
    QColor statusColour = palette().color(QPalette::WindowText);
    switch (p.state) {
    case RolloutProgress::State::Idle:
        m_status->setText(Tr::tr("No progressive rollout running."));
        break;
    case RolloutProgress::State::Running: {
        const std::int64_t left = std::max<std::int64_t>(0, RolloutProgress::stageLengthMs(p.stage) - (m_nowMs - p.stageStartMs));
        m_status->setText(Tr::tr("Rolling out %1: %2 % of traffic, health checks every 30 s, next stage in %3 s")
                              .arg(p.image)
                              .arg(pct)
                              .arg(left / 1000));
        break;
    }
    case RolloutProgress::State::Completed:
        m_status->setText(Tr::tr("✔ Rollout of %1 completed: %2").arg(p.image, p.detail));
        statusColour = theme::ok();
        break;
    case RolloutProgress::State::RolledBack:
        m_status->setText(Tr::tr("✖ AUTOMATIC ROLLBACK of %1 at %2 %: %3").arg(p.image).arg(pct).arg(p.detail));
        statusColour = theme::p1();
        break;
    }
    m_status->setStyleSheet(QStringLiteral("QLabel { color: %1; font-weight: bold; }").arg(statusColour.name()));
    for (int i = 0; i < static_cast<int>(m_bars.size()); ++i) {
        QProgressBar *bar = m_bars[static_cast<std::size_t>(i)];
        const double f = p.stageFraction(i, m_nowMs);
        bar->setValue(static_cast<int>(f * 1000));
        const bool failedHere = p.state == RolloutProgress::State::RolledBack && i == p.stage;
        QString text;
        if (failedHere)
            text = Tr::tr("rolled back");
        else if (f >= 1)
            text = Tr::tr("passed");
        else if (p.state == RolloutProgress::State::Running && i == p.stage)
            text = QStringLiteral("%1 %").arg(static_cast<int>(f * 100));
        else
            text = QStringLiteral("–");
        bar->setFormat(text);
        if (failedHere) {
            bar->setValue(1000);
        }
        bar->setStyleSheet(barStyle(failedHere ? theme::p1() : (f >= 1 ? theme::ok() : QColor(0x3d, 0x8b, 0xd9))));
    }
}

} // namespace opsdeck::widgets
