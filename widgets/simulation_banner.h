#pragma once
// The stripe that says "this is not production". Magenta, a colour no production view
// uses, full width, always on top of the window when the backend is a simulation.
#include <QLabel>

namespace opsdeck::widgets {

class SimulationBanner : public QLabel {
    Q_OBJECT
public:
    explicit SimulationBanner(QWidget *parent = nullptr);
    ~SimulationBanner() override = default;
};

} // namespace opsdeck::widgets
