#include "map_layout.h"

#include <algorithm>
#include <cmath>

namespace opsdeck::widgets::map {

namespace {
struct Metrics {
    double width, margin, strip, node, spineGap, columnGap, rowGap, bus;
};
constexpr Metrics kFull{kCanvasWidth, 24, 64, 180, 30, 20, 22, 32};
constexpr Metrics kCompact{kCompactCanvasWidth, 16, 56, 124, 26, 16, 16, 26};
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

MapLayout layoutMap(const MapState &state, bool compact, double fitHeight)
{
    Metrics m = compact ? kCompact : kFull;
    if (compact && fitHeight > 0) {
        // Node rows: the request path plus the tallest grid column (three, or more).
        const std::size_t extra = state.nodes.size() > 12 ? (state.nodes.size() - 12 + 2) / 3 : 0;
        const double rows = 4 + double(extra);
        const double natural = 2 * m.margin + m.strip + 2.8 * m.bus + rows * m.node + (rows - 2) * m.rowGap;
        if (fitHeight > natural)
            m.node = std::min(m.node * 1.5, m.node + (fitHeight - natural) / rows);
    }
    MapLayout L;
    L.compact = compact;
    const double usable = m.width - 2 * m.margin;
    const double nodeWidth = (usable - kColumns * m.spineGap - (kColumns - 1) * m.columnGap) / kColumns;
    auto columnLeft = [&](int c) { return m.margin + m.spineGap + c * (nodeWidth + m.spineGap + m.columnGap); };

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
            L.regionCards.emplace_back(m.margin + i * (w + gap), m.margin, w, m.strip);
    }

    L.nodes.assign(state.nodes.size(), QRectF());
    const double chainY = m.margin + m.strip + m.bus * 0.8;
    for (int c = 0; c < 3; ++c) {
        const int row = rowOf(kChain[c]);
        if (row < 0)
            continue;
        L.nodes[std::size_t(row)] = QRectF(columnLeft(c), chainY, nodeWidth, m.node);
        L.chainRows.push_back(row);
    }
    L.hubRow = rowOf("agent-orchestrator");

    L.busY = chainY + m.node + m.bus;
    const double gridY = L.busY + m.bus;
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
            L.nodes[std::size_t(rows[i])] = QRectF(columnLeft(c), gridY + double(i) * (m.node + m.rowGap),
                                                   nodeWidth, m.node);
        L.spineX.push_back(columnLeft(c) - m.spineGap / 2);
    }
    const double bottom = gridY + double(tallest) * (m.node + m.rowGap) - m.rowGap + m.margin;
    L.canvas = QSizeF(m.width, std::max(bottom, chainY + m.node + m.margin));
    return L;
}

} // namespace opsdeck::widgets::map
