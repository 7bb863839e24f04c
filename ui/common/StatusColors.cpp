// SPDX-License-Identifier: MIT
#include "ui/common/StatusColors.h"

#include <QGuiApplication>

#include <algorithm>
#include <cmath>

namespace Console {

namespace {

// Material-like hues: the 800 shades read on white, the 200–300 shades on a dark grey.
QColor forLight(StatusColors::Status status)
{
    switch (status) {
    case StatusColors::Status::Ok:
        return QColor(0x1b, 0x6e, 0x20);
    case StatusColors::Status::Warning:
        return QColor(0x9a, 0x4a, 0x00);
    case StatusColors::Status::Error:
        return QColor(0xb0, 0x20, 0x20);
    case StatusColors::Status::Refused:
        return QColor(0x6a, 0x1b, 0x9a);
    case StatusColors::Status::Muted:
        return QColor(0x5f, 0x5f, 0x5f);
    case StatusColors::Status::Info:
        return QColor(0x0d, 0x47, 0xa1);
    }
    return {};
}

QColor forDark(StatusColors::Status status)
{
    switch (status) {
    case StatusColors::Status::Ok:
        return QColor(0x81, 0xc7, 0x84);
    case StatusColors::Status::Warning:
        return QColor(0xff, 0xb7, 0x4d);
    case StatusColors::Status::Error:
        return QColor(0xff, 0x8a, 0x80);
    case StatusColors::Status::Refused:
        return QColor(0xce, 0x93, 0xd8);
    case StatusColors::Status::Muted:
        return QColor(0xb0, 0xb0, 0xb0);
    case StatusColors::Status::Info:
        return QColor(0x90, 0xca, 0xf9);
    }
    return {};
}

double luminance(const QColor &color)
{
    const auto channel = [](double value) {
        return value <= 0.03928 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF());
}

QColor blend(const QColor &over, const QColor &under, double alpha)
{
    return QColor::fromRgbF(float(over.redF() * alpha + under.redF() * (1 - alpha)),
                            float(over.greenF() * alpha + under.greenF() * (1 - alpha)),
                            float(over.blueF() * alpha + under.blueF() * (1 - alpha)));
}

} // namespace

bool StatusColors::isDark(const QPalette &palette)
{
    return luminance(palette.color(QPalette::Base)) < luminance(palette.color(QPalette::Text));
}

QColor StatusColors::text(Status status, const QPalette &palette)
{
    const bool dark = isDark(palette);
    const QColor base = palette.color(QPalette::Base);
    const QColor window = palette.color(QPalette::Window);
    // Themes with an unusual background (mid grey, tinted) get the hue pushed towards the text
    // colour until it is readable on both backgrounds; the text colour itself always is.
    const QColor target = palette.color(QPalette::Text);
    QColor color = dark ? forDark(status) : forLight(status);
    for (int step = 1; step <= 10; ++step) {
        if (contrast(color, base) >= MinTextContrast && contrast(color, window) >= MinTextContrast)
            break;
        color = blend(target, dark ? forDark(status) : forLight(status), step / 10.0);
    }
    return color;
}

QColor StatusColors::text(Status status)
{
    return text(status, QGuiApplication::palette());
}

QColor StatusColors::background(Status status, const QPalette &palette)
{
    // A light tint of the hue: enough to tell an error strip from a note, too little to hurt WindowText.
    return blend(text(status, palette), palette.color(QPalette::Window), isDark(palette) ? 0.18 : 0.12);
}

double StatusColors::contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace Console
