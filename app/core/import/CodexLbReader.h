// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/import/CodexLbRows.h"

#include <QList>
#include <QString>

namespace Core {

/// Reads the keys of a codex-lb SQLite database (`api_keys`, `api_key_limits`). The file is opened
/// read-only (SQLITE_OPEN_READONLY): nothing in it is ever written, locked for writing or migrated.
/// Errors name what is wrong: no such file, not an SQLite file, not a codex-lb database (a missing
/// table or column), or locked by a writer for longer than the busy timeout. Main thread.
class CodexLbReader final
{
public:
    static Result<QList<CodexLbKeyRow>> read(const QString &path);
};

} // namespace Core
