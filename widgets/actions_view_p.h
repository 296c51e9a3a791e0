#pragma once
// What ActionsView's .cpp files share (its group boxes and default target); not for other files.
#include <QString>

class QGroupBox;
class QWidget;

namespace opsdeck::widgets::actions_view_parts {

// The deployment per-deployment actions target while none is chosen.
inline const QString kOrchestrator = QStringLiteral("agent-orchestrator");

// A titled box of actions on a grid: inputs on its first rows, buttons two a row below.
QGroupBox *makeGroup(const QString &title, QWidget *parent);

} // namespace opsdeck::widgets::actions_view_parts
