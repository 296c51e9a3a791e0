#include "map_layout.h"

#include <algorithm>
#include <cmath>

namespace opsdeck::widgets::map {

namespace {
constexpr double kMargin = 24;
constexpr double kStripHeight = 64;
constexpr double kNodeHeight = 180;
constexpr double kSpineGap = 30;   // room left of each grid column for its comb
constexpr double kColumnGap = 20;
constexpr double kRowGap = 22;
constexpr int kColumns = 3;

// The request path, then the orchestrator's dependencies column by column: inference
// and sandboxes with the state DB, the tool services, the safety systems with the queue.
const char *const kChain[] = {"load-balancer", "api-gateway", "agent-orchestrator"};
const char *const kGrid[kColumns][3] = {
    {"model-server", "virtual-computer", "state-db"},
    {"browser-tool", "code-executor", "tool-api-gateway"},
    {"safety-filter", "permission-manager", "message-queue"},
};
} // namespace

MapLayout layoutMap(const MapState &state)
{
    MapLayout L;
    const double usable = kCanvasWidth - 2 * kMargin;
    const double nodeWidth = (usable - kColumns * kSpineGap - (kColumns - 1) * kColumnGap) / kColumns;
    auto columnLeft = [&](int c) { return kMargin + kSpineGap + c * (nodeWidth + kSpineGap + kColumnGap); };

    auto rowOf = [&](const char *id) {
        for (std::size_t i = 0; i < state.nodes.size(); ++i)
            if (state.nodes[i].id == QLatin1String(id))
                return int(i);
        return -1;
    };

    // Region strip: equal cards, plus one for alerts no component could be found for.
    L.clusterAlertCard = !state.clusterAlerts.empty();
    const int cards = int(state.regions.size()) + (L.clusterAlertCard ? 1 : 0);
    if (cards > 0) {
        const double gap = 16;
        const double w = (usable - (cards - 1) * gap) / cards;
        for (int i = 0; i < cards; ++i)
            L.regionCards.emplace_back(kMargin + i * (w + gap), kMargin, w, kStripHeight);
    }

    L.nodes.assign(state.nodes.size(), QRectF());
    const double chainY = kMargin + kStripHeight + 28;
    for (int c = 0; c < 3; ++c) {
        const int row = rowOf(kChain[c]);
        if (row < 0)
            continue;
        L.nodes[std::size_t(row)] = QRectF(columnLeft(c), chainY, nodeWidth, kNodeHeight);
        L.chainRows.push_back(row);
    }
    L.hubRow = rowOf("agent-orchestrator");

    L.busY = chainY + kNodeHeight + 32;
    const double gridY = L.busY + 32;
    L.columns.assign(kColumns, {});
    std::vector<bool> placed(state.nodes.size(), false);
    for (int row : L.chainRows)
        placed[std::size_t(row)] = true;
    for (int c = 0; c < kColumns; ++c)
        for (const char *id : kGrid[c])
            if (const int row = rowOf(id); row >= 0) {
                L.columns[std::size_t(c)].push_back(row);
                placed[std::size_t(row)] = true;
            }
    // Components the catalogue does not know: fill the shortest column.
    for (std::size_t row = 0; row < state.nodes.size(); ++row) {
        if (placed[row])
            continue;
        auto shortest = std::min_element(L.columns.begin(), L.columns.end(),
                                         [](const auto &a, const auto &b) { return a.size() < b.size(); });
        shortest->push_back(int(row));
    }
    std::size_t tallest = 0;
    for (int c = 0; c < kColumns; ++c) {
        const auto &rows = L.columns[std::size_t(c)];
        tallest = std::max(tallest, rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i)
            L.nodes[std::size_t(rows[i])] = QRectF(columnLeft(c), gridY + double(i) * (kNodeHeight + kRowGap),
                                                   nodeWidth, kNodeHeight);
        L.spineX.push_back(columnLeft(c) - kSpineGap / 2);
    }
    const double bottom = gridY + double(tallest) * (kNodeHeight + kRowGap) - kRowGap + kMargin;
    L.canvas = QSizeF(kCanvasWidth, std::max(bottom, chainY + kNodeHeight + kMargin));
    return L;
}

} // namespace opsdeck::widgets::map
