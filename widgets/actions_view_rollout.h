#pragma once
// Progress of a progressive rollout (5 / 25 / 50 / 100 % with health checks), read from
// the cluster's events, so it is right whoever started the rollout and whenever the view
// was opened: "Action progressive-rollout ..." starts it, "Progressive rollout of IMG at
// 25%" advances it, "... rolled back at N%" and "... completed" end it. The panel shows
// one progress bar per stage, filling with simulated time, red at the stage that failed.
#include "../backends/cluster_backend.h"

#include <QString>
#include <QWidget>

#include <array>
#include <vector>

class QLabel;
class QProgressBar;

namespace opsdeck::widgets {

struct RolloutProgress {
    enum class State { Idle, Running, Completed, RolledBack };
    static constexpr std::array<int, 4> kStagePercent{5, 25, 50, 100};

    State state = State::Idle;
    QString image;
    int stage = 0;                  // index into kStagePercent
    std::int64_t stageStartMs = 0;  // cluster time the current stage began
    std::int64_t endedMs = 0;
    QString detail;                 // why it rolled back, or what it completed

    // Feed events in order (each event once).
    void apply(const sim::SimEvent &event);
    // Share 0..1 of stage `index` done at cluster time nowMs (monitoring 300 s per stage,
    // 600 s at 100 %).
    double stageFraction(int index, std::int64_t nowMs) const;
    static std::int64_t stageLengthMs(int index) { return kStagePercent[static_cast<std::size_t>(index)] < 100 ? 300'000 : 600'000; }
};

class RolloutProgressPanel : public QWidget {
    Q_OBJECT
public:
    explicit RolloutProgressPanel(QWidget *parent = nullptr);

    const RolloutProgress &progress() const { return m_progress; }
    QProgressBar *stageBar(int index) const { return m_bars[static_cast<std::size_t>(index)]; }
    QString statusText() const;

    void addEvents(const std::vector<sim::SimEvent> &events);
    void setNow(std::int64_t nowMs);

private:
    void refresh();

    RolloutProgress m_progress;
    std::int64_t m_nowMs = 0;
    std::array<QProgressBar *, 4> m_bars{};
    QLabel *m_status = nullptr;
};

} // namespace opsdeck::widgets
