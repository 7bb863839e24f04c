// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <QSqlDatabase>

namespace Core {

/// Versioned schema migrations keyed on `PRAGMA user_version`. Each step runs in its own
/// `BEGIN IMMEDIATE` transaction and re-checks the version inside it, so two processes
/// opening a fresh database at once cannot apply a step twice.
class Migrations final
{
public:
    static int latestVersion();
    static int currentVersion(const QSqlDatabase &db);
    /// Migrates to @p targetVersion (-1: the latest). Tests build old schemas with a lower target.
    static Status run(const QSqlDatabase &db, int targetVersion = -1);
};

} // namespace Core
