#pragma once
// One dashboard panel: title, the runbook threshold as a badge, the current value big
// and coloured by state, the chart (threshold line, breach shading, markers, hover
// read-out) and a compact legend. Renders a PanelDataModel; owns nothing but widgets.
#include "metric_chart.h"

#include <QFrame>

class QLabel;
class QToolButton;

namespace opsdeck::models {
class PanelDataModel;
}

namespace opsdeck::widgets {

class PanelView : public QFrame {
    Q_OBJECT
public:
    // `removable`: a user's own panel, with a button to remove it.
    PanelView(models::PanelDataModel *model, bool removable, QWidget *parent = nullptr);
    ~PanelView() override = default;

    models::PanelDataModel *model() const { return m_model; }
    MetricChart *chart() const { return m_chart; }
    QString title() const;
    QString valueText() const;
    QString errorText() const; // "" unless the query failed
    bool isBreached() const { return m_breached; }
    void setMarkers(const QList<ChartMarker> &markers);

public Q_SLOTS:
    void refresh(); // re-render from the model

Q_SIGNALS:
    void removeRequested(opsdeck::widgets::PanelView *panel);
    // "Pin to incident" from the panel's context menu.
    void pinRequested(opsdeck::widgets::PanelView *panel);
    // After every refresh() (the UI benchmark times result-to-pixels with it).
    void refreshed();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyState(int state);

    models::PanelDataModel *m_model;
    QLabel *m_title = nullptr;
    QLabel *m_badge = nullptr;
    QLabel *m_value = nullptr;
    QLabel *m_caption = nullptr;
    QLabel *m_legend = nullptr;
    QLabel *m_error = nullptr;
    QToolButton *m_remove = nullptr;
    MetricChart *m_chart = nullptr;
    bool m_breached = false;
    int m_appliedState = -1; // restyling is costly: only when the state changes
    QString m_legendKey;     // legend rebuilt only when the series names change
};

} // namespace opsdeck::widgets
