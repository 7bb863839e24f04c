// SPDX-License-Identifier: MIT
#pragma once

#include <QPalette>

namespace Console {

/// The console follows the system palette. KEYGATE_COLOR_SCHEME=dark (or light) forces one instead,
/// on the Fusion style: for the screenshots, and for desktops whose platform theme does not hand its
/// dark mode to Qt 6.4. GUI thread.
class ColorScheme final
{
public:
    /// A dark palette in the colours of Fusion's own dark variant.
    static QPalette dark();
    /// Applies KEYGATE_COLOR_SCHEME ("dark", "light"); anything else, or unset, keeps the system's.
    /// Call after the QApplication exists, before any window is created.
    static void applyFromEnvironment();
};

} // namespace Console
