#pragma once
// Geometry of the service map on a fixed logical canvas (1600 wide): a region strip on
// top, the request path (load balancer -> API gateway -> orchestrator) in one row, and
// the orchestrator's dependencies in a three-column grid below, each column hung on a
// vertical "comb" fed by a bus from the orchestrator. Unknown components append rows.
#include "map_health.h"

#include <QPainter>
#include <QPalette>
#include <QRectF>

#include <vector>

namespace opsdeck::widgets::map {

inline constexpr double kCanvasWidth = 1600;        // full design
inline constexpr double kCompactCanvasWidth = 1200; // compact design

struct MapLayout {
    // Compact: a smaller canvas with fewer, bigger figures per node, for docks that would
    // shrink the full design below reading size (the wall layout's map column).
    bool compact = false;
    QSizeF canvas;
    std::vector<QRectF> regionCards;   // one per MapState::regions, then cluster alerts card
    bool clusterAlertCard = false;
    std::vector<QRectF> nodes;         // one per MapState::nodes
    std::vector<int> chainRows;        // rows on the request path, in order
    int hubRow = -1;                   // the orchestrator
    std::vector<std::vector<int>> columns; // dependency rows per grid column
    double busY = 0;
    std::vector<double> spineX;        // per column
};

// fitHeight: canvas height the view would like (its aspect at full width); the compact
// design grows its nodes, by up to half, towards it instead of leaving bands empty.
MapLayout layoutMap(const MapState &state, bool compact = false, double fitHeight = 0);

// Everything the painter needs besides the state and geometry.
struct PaintOptions {
    QPalette palette;
    int selectedRow = -1;
    int focusRow = -1;     // drawn only when the view has keyboard focus
    int hoverRow = -1;
};

void paintMap(QPainter &p, const MapState &state, const MapLayout &layout, const PaintOptions &options);

} // namespace opsdeck::widgets::map
