// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/import/CodexLbImportPlan.h"
#include "app/core/import/CodexLbRows.h"
#include "app/core/storage/KeyRecord.h"

#include <QDateTime>
#include <QList>

namespace Core {

/// Maps codex-lb's keys onto Keygate's, without guessing: a setting Keygate cannot express so that
/// the key stays at least as restricted (an unreadable allowlist or expiry, an enforced model or
/// effort, a name another key has) skips the key; a limit Keygate cannot count (credits, an unknown
/// window or type, a model filter it cannot match) is skipped on its own, with the reason. A key
/// already imported (same key_hash) is updated. A pure function of the rows, the existing keys (with
/// their limits) and the clock.
class CodexLbImportPlanner final
{
public:
    static ImportPlan plan(const QList<CodexLbKeyRow> &rows, const QList<KeyRecord> &existing, const QDateTime &now);

    /// codex-lb's naive UTC text ("2026-03-01 12:00:00.123456", also with T or a Z/+00:00 suffix) as
    /// a UTC time; an invalid time for NULL or empty; nullopt when it cannot be read.
    static std::optional<QDateTime> parseTime(const QVariant &value);
};

} // namespace Core
