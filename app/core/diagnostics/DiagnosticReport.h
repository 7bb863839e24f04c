// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/diagnostics/DiagnosticLine.h"

#include <QJsonArray>
#include <QStringList>

namespace Core {

/// The two forms of a diagnostics run: aligned text lines (`doctor`, the console's "Copy report")
/// and a JSON array (`doctor --json`). Pure; any thread.
class DiagnosticReport final
{
public:
    /// One line per result, `status  check  detail  fix`, columns aligned, no trailing blanks.
    static QStringList text(const DiagnosticLines &lines);
    /// [{"status", "check", "detail", "fix"}, …]
    static QJsonArray json(const DiagnosticLines &lines);
    static bool hasFailure(const DiagnosticLines &lines);
};

} // namespace Core
