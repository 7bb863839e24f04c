// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QPalette>

namespace Console {

/// The colours that carry a meaning (ok, warning, error, refused, muted) and the tint of a banner,
/// picked for the palette in use: a deep shade on a light palette, a pale one on a dark palette, then
/// moved further from the background until text in it reaches WCAG AA (contrast ≥ 4.5) against both
/// Base and Window. The one place that decides a status colour; nothing in ui/ hard-codes one. GUI thread.
class StatusColors final
{
public:
    enum class Status
    {
        Ok,
        Warning,
        Error,
        Refused, ///< a valid key its policy refused
        Muted,   ///< anonymous, unknown, not applicable
        Info
    };

    /// Minimum contrast of normal text (WCAG 2.x, level AA).
    static constexpr double MinTextContrast = 4.5;

    /// Text (and icon) colour for @p status on @p palette.
    static QColor text(Status status, const QPalette &palette);
    /// Same on the application palette.
    static QColor text(Status status);
    /// A banner's background: @p status tinted into the palette's Window, so WindowText stays legible.
    static QColor background(Status status, const QPalette &palette);
    /// WCAG 2.x contrast ratio of two opaque colours, 1 … 21.
    static double contrast(const QColor &a, const QColor &b);
    /// Whether @p palette draws light text on a dark background.
    static bool isDark(const QPalette &palette);
};

} // namespace Console
