#include "simulation_banner.h"

#include "theme.h"
#include "widgets_tr.h"

namespace opsdeck::widgets {

SimulationBanner::SimulationBanner(QWidget *parent)
    : QLabel(parent)
{
    setObjectName(QStringLiteral("simulationBanner"));
    //: Banner across the top of the window whenever the console runs a simulated cluster
    setText(Tr::tr("SIMULATION — training cluster, not production"));
    setAlignment(Qt::AlignCenter);
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.25);
    f.setWeight(QFont::Bold);
    f.setLetterSpacing(QFont::PercentageSpacing, 108);
    setFont(f);
    const QColor stripe = theme::simulation();
    // Diagonal hazard hatching at the ends: unmistakable even in a screenshot crop.
    setStyleSheet(QStringLiteral("#simulationBanner { color: white; padding: 6px;"
                                 " background: qlineargradient(x1:0, y1:0, x2:1, y2:0,"
                                 " stop:0 %1, stop:0.5 %2, stop:1 %1); }")
                      .arg(stripe.darker(130).name(), stripe.name()));
    setAccessibleName(text());
}

} // namespace opsdeck::widgets
