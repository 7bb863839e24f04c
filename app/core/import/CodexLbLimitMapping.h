// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/import/CodexLbImportPlan.h"
#include "app/core/import/CodexLbRows.h"

#include <QDateTime>
#include <QList>

namespace Core {

/// Maps codex-lb's limit rows of one key onto Keygate limits. Types and windows are read as codex-lb
/// writes them (its enum values, or the enum NAMEs older versions stored). codex-lb's current window
/// ends at reset_at: the Keygate limit's windows are anchored there (rounded up to the hour, so a
/// window never ends sooner than codex-lb's) and current_value is carried into that window. A
/// window that already ended carries nothing. Credits, unknown types or windows, a model filter
/// Keygate cannot match exactly, a maximum ≤ 0 and a second rule Keygate would count the same way
/// (weekly and 7d are both seven days) are skipped with the reason.
class CodexLbLimitMapping final
{
public:
    static QList<LimitImport> map(const QList<CodexLbLimitRow> &rows, const QDateTime &now);
};

} // namespace Core
