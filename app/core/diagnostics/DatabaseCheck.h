// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/diagnostics/DiagnosticLine.h"

namespace Core {

/// The database file: `PRAGMA integrity_check` and the schema version against what this build knows
/// (Migrations::latestVersion). Opens its own read-only connection, so it runs on any thread and
/// works on a file the normal open (which migrates) would refuse.
class DatabaseCheck final
{
public:
    /// Two lines: "database integrity" and "database schema".
    static DiagnosticLines run(const QString &dataDir);
};

} // namespace Core
