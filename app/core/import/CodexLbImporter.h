// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/import/CodexLbImportPlan.h"

namespace Core {

class Database;

/// `keygate import codex-lb`: reads the codex-lb database (read-only), plans against the keys
/// Keygate has, and applies the plan in one transaction (all of it or nothing). A running `serve`
/// picks the keys up as it does any key change (PRAGMA data_version). Main thread.
class CodexLbImporter final
{
public:
    explicit CodexLbImporter(Database &database);

    /// The plan for the codex-lb database at @p path; nothing is changed.
    Result<ImportPlan> plan(const QString &path) const;
    /// Writes the creates and updates of @p plan.
    Status apply(const ImportPlan &plan);

private:
    Status create(const KeyImport &item);
    Status update(const KeyImport &item);

    Database &m_database;
};

} // namespace Core
