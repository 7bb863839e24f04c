// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/storage/KeyRecord.h"

#include "proxy/auth/KeySnapshot.h"

#include <QList>
#include <QSqlDatabase>

namespace Core {

/// Turns `keys` rows into the immutable digest → key map the proxy authenticates against.
/// Disabled and expired keys are included (the proxy reports why they fail).
class KeySnapshotBuilder final
{
public:
    static Proxy::KeySnapshotPtr build(const QList<KeyRecord> &records);
    /// Reads the rows on @p db (the caller's thread) and builds the snapshot.
    static Result<Proxy::KeySnapshotPtr> load(const QSqlDatabase &db);
};

} // namespace Core
