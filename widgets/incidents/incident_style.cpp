#include "widgets/incidents/incident_style.h"

#include "widgets/theme.h"
#include "widgets/widgets_tr.h"

#include <QPainter>
#include <QPixmap>

#include <array>

namespace opsdeck::widgets::incidents {

QColor severityColor(int severity)
{
    switch (severity) {
    case 1: return theme::p1();
    case 2: return theme::p2();
    case 3: return QColor(0x3d, 0x7e, 0xdb);
    default: return QColor(0x80, 0x86, 0x8e);
    }
}

QColor stateColor(models::IncidentState state)
{
    using S = models::IncidentState;
    switch (state) {
    case S::Investigating: return theme::p1();
    case S::Identified: return theme::p2();
    case S::Monitoring: return QColor(0x3d, 0x7e, 0xdb);
    case S::Resolved: return theme::ok();
    case S::Cancelled: return QColor(0x80, 0x86, 0x8e);
    }
    return {};
}

QString stateLabel(models::IncidentState state)
{
    using S = models::IncidentState;
    switch (state) {
    case S::Investigating: return Tr::tr("Investigating");
    case S::Identified: return Tr::tr("Identified");
    case S::Monitoring: return Tr::tr("Monitoring");
    case S::Resolved: return Tr::tr("Resolved");
    case S::Cancelled: return Tr::tr("Cancelled");
    }
    return {};
}

QString kindLabel(models::TimelineKind kind)
{
    using K = models::TimelineKind;
    switch (kind) {
    case K::AlertFiring: return Tr::tr("Alert firing");
    case K::AlertResolved: return Tr::tr("Alert resolved");
    case K::Acknowledged: return Tr::tr("Acknowledged");
    case K::Action: return Tr::tr("Action");
    case K::StatusChange: return Tr::tr("Status change");
    case K::RoleChange: return Tr::tr("Role change");
    case K::Note: return Tr::tr("Note");
    case K::MetricSnapshot: return Tr::tr("Metric snapshot");
    case K::StatusUpdate: return Tr::tr("Status page update");
    case K::NUM_KINDS: break;
    }
    return {};
}

QColor kindColor(models::TimelineKind kind)
{
    using K = models::TimelineKind;
    switch (kind) {
    case K::AlertFiring: return theme::p1();
    case K::AlertResolved: return theme::ok();
    case K::Acknowledged: return QColor(0x8e, 0x6b, 0xd8);
    case K::Action: return QColor(0x3d, 0x7e, 0xdb);
    case K::StatusChange: return theme::p2();
    case K::RoleChange: return QColor(0x2a, 0xa1, 0x98);
    case K::Note: return QColor(0x80, 0x86, 0x8e);
    case K::MetricSnapshot: return QColor(0x1f, 0x9e, 0xc9);
    case K::StatusUpdate: return QColor(0xd8, 0x6b, 0xb0);
    case K::NUM_KINDS: break;
    }
    return {};
}

QIcon kindIcon(models::TimelineKind kind)
{
    // Glyphs every font has: a shape per kind, so the colour is not the only cue.
    static const std::array<QChar, size_t(models::TimelineKind::NUM_KINDS)> glyphs = {
        QChar(0x25B2), QChar(0x2713), QChar(u'A'), QChar(0x25B6), QChar(0x25C6),
        QChar(0x263A), QChar(0x270E), QChar(0x25A6), QChar(0x2709)};
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(kindColor(kind));
    p.drawEllipse(1, 1, 30, 30);
    QFont font = p.font();
    font.setPixelSize(17);
    font.setBold(true);
    p.setFont(font);
    p.setPen(Qt::white);
    p.drawText(QRect(0, 0, 32, 32), Qt::AlignCenter, QString(glyphs[size_t(kind)]));
    return QIcon(pixmap);
}

QString severityBadgeHtml(int severity, int pointSize)
{
    const QString size = pointSize > 0 ? QStringLiteral("font-size:%1pt;").arg(pointSize) : QString();
    return QStringLiteral("<span style=\"background:%1;color:white;font-weight:bold;%2\">&nbsp;P%3&nbsp;</span>")
        .arg(severityColor(severity).name(), size)
        .arg(severity);
}

} // namespace opsdeck::widgets::incidents
