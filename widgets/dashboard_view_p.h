#pragma once
// DashboardView's per-dashboard page, shared by its .cpp files. Not for other files.
#include "dashboard_view.h"

#include <QGridLayout>
#include <QList>
#include <QScrollArea>

namespace opsdeck::widgets {

struct DashboardView::Page {
    QString name;
    QScrollArea *scroll = nullptr;
    QWidget *body = nullptr;
    QGridLayout *grid = nullptr;
    QList<PanelView *> views;
    QList<models::PanelDataModel *> models;
    QList<bool> user; // per panel: the user's own (removable, persisted)
    bool withSummary = false;
};

} // namespace opsdeck::widgets
