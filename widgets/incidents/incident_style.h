#pragma once
// Colours and small labels shared by the incident widgets: one meaning per colour,
// taken from the console theme (red P1, amber P2).
#include "models/incident_records.h"

#include <QColor>
#include <QIcon>
#include <QString>

namespace opsdeck::widgets::incidents {

QColor severityColor(int severity);       // P1 red, P2 amber, P3 blue, P4 grey
QColor stateColor(models::IncidentState state);
QString stateLabel(models::IncidentState state); // "Investigating", ...
QString kindLabel(models::TimelineKind kind);    // "Alert firing", ...
QColor kindColor(models::TimelineKind kind);
// A round badge with a glyph per timeline kind, cached per kind.
QIcon kindIcon(models::TimelineKind kind);
// "P1" on the severity colour, as rich text.
QString severityBadgeHtml(int severity, int pointSize = 0);

} // namespace opsdeck::widgets::incidents
