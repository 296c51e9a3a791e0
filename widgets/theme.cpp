#include "theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace opsdeck::widgets::theme {

QColor ok() { return QColor(0x2e, 0xcc, 0x71); }
QColor p2() { return QColor(0xf5, 0xa6, 0x23); }
QColor p1() { return QColor(0xff, 0x4d, 0x4f); }
QColor simulation() { return QColor(0xb0, 0x1e, 0xc8); }

QColor severity(models::Severity s)
{
    return s == models::Severity::P1 ? p1() : p2();
}

QColor muted()
{
    QColor c = QApplication::palette().color(QPalette::WindowText);
    c.setAlphaF(0.6f);
    return c;
}

QColor panel()
{
    const QColor window = QApplication::palette().color(QPalette::Window);
    return window.lightness() < 128 ? window.lighter(135) : window.darker(106);
}

namespace {
QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x17, 0x1a, 0x21);
    const QColor base(0x11, 0x13, 0x18);
    const QColor text(0xe6, 0xe8, 0xee);
    const QColor accent(0x3d, 0x8b, 0xfd);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window.lighter(115));
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x80, 0x86, 0x94));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window.lighter(125));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, p1());
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, accent);
    p.setColor(QPalette::Mid, window.lighter(160));
    p.setColor(QPalette::Dark, window.darker(150));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6b, 0x70, 0x7c));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6b, 0x70, 0x7c));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6b, 0x70, 0x7c));
    return p;
}
} // namespace

namespace {
QString g_mode;

QPalette lightPalette()
{
    QPalette p = QApplication::style()->standardPalette();
    // A touch of blue in the highlight and crisp bases, so tables read well on a wall.
    p.setColor(QPalette::Highlight, QColor(0x1f, 0x6f, 0xeb));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf3, 0xf5, 0xf8));
    p.setColor(QPalette::Window, QColor(0xe9, 0xec, 0xf0));
    return p;
}

// The desktop's own palette: drop ours for a moment and read what the platform provides.
bool desktopIsDark()
{
    QGuiApplication::setPalette(QPalette());
    return QGuiApplication::palette().color(QPalette::Window).lightness() < 100;
}
} // namespace

QString currentMode()
{
    return g_mode;
}

bool isDark()
{
    return QApplication::palette().color(QPalette::Window).lightness() < 128;
}

void apply(QApplication &app, const QString &mode)
{
    g_mode = mode;
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    const bool dark = mode == QLatin1String("dark")
                      || (mode != QLatin1String("light") && desktopIsDark());
    app.setPalette(dark ? darkPalette() : lightPalette());
}

void followSystemChange()
{
    if (g_mode == QLatin1String("system"))
        apply(*qApp, g_mode);
}

} // namespace opsdeck::widgets::theme
