#include "panel_view.h"

#include "../models/panel_data_model.h"
#include "theme.h"
#include "widgets_tr.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace opsdeck::widgets {

namespace {
QString cssColor(const QColor &c)
{
    return c.name(QColor::HexArgb);
}

QString thresholdText(const models::PanelDefinition &def)
{
    if (!def.threshold)
        return {};
    const QString op = def.threshold->badSide == models::Breach::Above ? QStringLiteral(">")
                                                                         : QStringLiteral("<");
    return op + QLatin1Char(' ') + models::formatPanelValue(def.unit, def.threshold->value);
}

enum State { NoData = 0, Ok = 1, Breach = 2, Failed = 3 };
constexpr int kLegendEntries = 4;
constexpr int kLegendNameChars = 22;

// "model-server-867bdc694-6j528" -> "model-server…694-6j528": both ends say the most.
QString shortName(const QString &name)
{
    if (name.size() <= kLegendNameChars)
        return name;
    const int half = (kLegendNameChars - 1) / 2;
    return name.left(half) + QStringLiteral("…") + name.right(kLegendNameChars - 1 - half);
}
} // namespace

PanelView::PanelView(models::PanelDataModel *model, bool removable, QWidget *parent)
    : QFrame(parent)
    , m_model(model)
{
    const models::PanelDefinition &def = model->definition();
    setObjectName(QStringLiteral("panelView"));
    setFrameShape(QFrame::NoFrame);
    setAutoFillBackground(true);
    setMinimumSize(280, 210);
    setToolTip(def.description.isEmpty() ? def.query : def.description + QStringLiteral("\n\n") + def.query);

    m_title = new QLabel(def.title, this);
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::NoTextInteraction);

    m_badge = new QLabel(this);
    m_badge->setAlignment(Qt::AlignCenter);
    if (def.threshold) {
        //: Badge on a dashboard panel: severity and threshold, e.g. "P1 < 95.0 %"
        m_badge->setText(Tr::tr("%1  %2").arg(models::severityName(def.threshold->severity),
                                              thresholdText(def)));
        m_badge->setToolTip(def.threshold->severity == models::Severity::P1
                                ? Tr::tr("Breach raises a P1 alert: immediate response")
                                : Tr::tr("Breach raises a P2 alert: response within 1 hour"));
        m_badge->setStyleSheet(QStringLiteral("QLabel { background: %1; color: #111; border-radius: 4px;"
                                              " padding: 1px 8px; font-weight: bold; }")
                                   .arg(cssColor(theme::severity(def.threshold->severity))));
    } else {
        m_badge->hide();
    }

    if (removable) {
        m_remove = new QToolButton(this);
        m_remove->setObjectName(QStringLiteral("removePanel"));
        m_remove->setText(QStringLiteral("✕"));
        m_remove->setAutoRaise(true);
        m_remove->setToolTip(Tr::tr("Remove this panel"));
        connect(m_remove, &QToolButton::clicked, this, [this]() { Q_EMIT removeRequested(this); });
    }
    // Right click: pin this chart, its query and time range to the open incident.
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        menu.addAction(Tr::tr("Pin to the open incident's timeline"), this,
                       [this]() { Q_EMIT pinRequested(this); });
        menu.exec(mapToGlobal(pos));
    });

    m_value = new QLabel(this);
    QFont valueFont = font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * 2.3);
    valueFont.setWeight(QFont::Bold);
    m_value->setFont(valueFont);
    m_caption = new QLabel(this);
    m_caption->setStyleSheet(QStringLiteral("color: %1").arg(cssColor(theme::muted())));

    m_chart = new MetricChart(this);
    const double scale = models::displayScale(def.unit, 0);
    m_chart->setDisplayScale(scale);
    m_chart->setStacked(def.stacked);
    const models::PanelUnit unit = def.unit;
    m_chart->setValueFormatter([unit](double v) { return models::formatPanelValue(unit, v); });
    if (def.threshold)
        m_chart->setThreshold(def.threshold->value,
                              def.threshold->badSide == models::Breach::Above ? MetricChart::BadSide::Above
                                                                                : MetricChart::BadSide::Below,
                              theme::severity(def.threshold->severity));
    if (def.yMin)
        m_chart->setValueFloor(*def.yMin * scale);
    if (def.yMax)
        m_chart->setValueCeiling(*def.yMax * scale);

    m_legend = new QLabel(this);
    m_legend->setTextFormat(Qt::RichText);
    m_legend->setWordWrap(false); // one line, always: the chart keeps its height
    m_legend->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("panelError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: %1; font-weight: bold").arg(cssColor(theme::p1())));
    m_error->hide();

    auto *header = new QHBoxLayout;
    header->setSpacing(8);
    header->addWidget(m_title, 1);
    header->addWidget(m_badge);
    if (m_remove)
        header->addWidget(m_remove);
    auto *valueRow = new QHBoxLayout;
    valueRow->addWidget(m_value, 0, Qt::AlignBottom);
    valueRow->addWidget(m_caption, 0, Qt::AlignBottom);
    valueRow->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(12, 8, 12, 6);
    layout->setSpacing(2);
    layout->addLayout(header);
    layout->addLayout(valueRow);
    layout->addWidget(m_error);
    layout->addWidget(m_chart, 1);
    layout->addWidget(m_legend);

    connect(model, &models::PanelDataModel::resultChanged, this, &PanelView::refresh);
    refresh();
}

QString PanelView::title() const
{
    return m_title->text();
}

QString PanelView::valueText() const
{
    return m_value->text();
}

QString PanelView::errorText() const
{
    return m_model->error();
}

void PanelView::setMarkers(const QList<ChartMarker> &markers)
{
    m_chart->setMarkers(markers);
}

void PanelView::resizeEvent(QResizeEvent *event)
{
    QFrame::resizeEvent(event);
    // The axis labels take ~60 px; the rest are the pixel columns the step is chosen for.
    m_model->setWidthPx(std::max(50, m_chart->width() - 60));
}

void PanelView::refresh()
{
    const models::PanelDefinition &def = m_model->definition();
    const auto &series = m_model->series();
    QList<ChartSeries> chartSeries;
    chartSeries.reserve(series.size());
    double maxAbs = 0;
    for (const auto &s : series) {
        chartSeries.append(ChartSeries{s.legend, s.points});
        for (const QPointF &p : s.points)
            maxAbs = std::max(maxAbs, std::abs(p.y()));
    }
    if (def.unit == models::PanelUnit::Bytes)
        m_chart->setDisplayScale(models::displayScale(def.unit, maxAbs));

    // The headline number: the total of a stack, else the worst series for the threshold
    // (the highest unless low is bad).
    double headline = qQNaN();
    int withData = 0;
    for (const auto &s : series) {
        if (s.points.isEmpty())
            continue;
        const double v = s.points.constLast().y();
        ++withData;
        if (std::isnan(headline))
            headline = v;
        else if (def.stacked)
            headline += v;
        else if (def.threshold && def.threshold->badSide == models::Breach::Below)
            headline = std::min(headline, v);
        else
            headline = std::max(headline, v);
    }
    m_value->setText(models::formatPanelValue(def.unit, headline));
    QString caption;
    const QString unitLabel = models::axisUnitLabel(def.unit, maxAbs);
    if (withData > 1)
        //: Caption next to a panel's headline number: which of several series it is
        caption = def.stacked ? Tr::tr("total of %n series", nullptr, withData)
                  : (def.threshold && def.threshold->badSide == models::Breach::Below)
                      ? Tr::tr("lowest of %n series", nullptr, withData)
                      : Tr::tr("highest of %n series", nullptr, withData);
    if (!unitLabel.isEmpty() && def.unit != models::PanelUnit::Count)
        //: Caption: the chart's y axis unit
        caption += (caption.isEmpty() ? QString() : QStringLiteral(" · ")) + Tr::tr("axis in %1").arg(unitLabel);
    m_caption->setText(caption);

    // Legend: colour chips in the chart's colours, a handful at most.
    QStringList names;
    for (const auto &s : chartSeries)
        names << s.name;
    const QString key = names.join(QLatin1Char('\x1f'));
    if (key != m_legendKey) {
        m_legendKey = key;
        QStringList entries;
        if (names.size() > 1) {
            for (int i = 0; i < names.size() && i < kLegendEntries; ++i)
                entries << QStringLiteral("<span style='color:%1'>■</span>&nbsp;%2")
                               .arg(MetricChart::seriesColor(i).name(), shortName(names[i]).toHtmlEscaped());
            if (names.size() > kLegendEntries)
                //: End of a panel legend that lists only the first series
                entries << Tr::tr("+%n more", nullptr, int(names.size() - kLegendEntries));
        }
        m_legend->setText(entries.join(QStringLiteral("&nbsp;&nbsp; ")));
        m_legend->setToolTip(names.join(QLatin1Char('\n')));
        m_legend->setVisible(!entries.isEmpty());
    }

    const QString error = m_model->error();
    m_error->setText(error.isEmpty() ? QString() : Tr::tr("Query failed: %1").arg(error));
    m_error->setVisible(!error.isEmpty());

    bool breached = false;
    if (def.threshold && !std::isnan(headline))
        breached = def.threshold->badSide == models::Breach::Above ? headline > def.threshold->value
                                                                    : headline < def.threshold->value;
    m_breached = breached;
    applyState(!error.isEmpty() ? Failed : withData == 0 ? NoData : breached ? Breach : Ok);

    // One series: coloured by state where there is a threshold; several: the palette.
    if (series.size() == 1 && def.threshold)
        m_chart->setLineColor(breached ? theme::severity(def.threshold->severity) : theme::ok().lighter(110));
    else
        m_chart->setLineColor(QColor());
    const qint64 to = m_model->hasResult() ? m_model->toMs() : 0;
    const qint64 from = m_model->hasResult() ? m_model->fromMs() : -m_model->rangeMs();
    m_chart->setSeries(chartSeries, from, to);
    Q_EMIT refreshed();
}

void PanelView::applyState(int state)
{
    if (state == m_appliedState)
        return;
    m_appliedState = state;
    const models::PanelDefinition &def = m_model->definition();
    const QColor severity = def.threshold ? theme::severity(def.threshold->severity) : theme::ok();
    const QColor stateColor = state == NoData ? theme::muted()
                              : state == Failed ? theme::p1()
                              : state == Breach ? severity
                              : def.threshold   ? theme::ok()
                                                : palette().color(QPalette::WindowText);
    m_value->setStyleSheet(QStringLiteral("color: %1").arg(cssColor(stateColor)));
    // Thresholded panels carry their state on the top edge, readable across the room.
    const QColor edge = def.threshold || state == Failed ? stateColor : theme::panel();
    setStyleSheet(QStringLiteral("#panelView { background: %1; border-radius: 6px;"
                                 " border-top: 4px solid %2; }")
                      .arg(cssColor(theme::panel()), cssColor(edge)));
    setProperty("breached", state == Breach);
}

} // namespace opsdeck::widgets
