// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>

namespace Core {
class ProxyRuntime;
}

namespace Console {

class KeyTableModel;

/// The Keys table's Limits column: how full each key's fullest limit is, from the running proxy's
/// counts or the request log (ProxyRuntime::limitStatuses). GUI thread.
class KeyLimitUse final
{
public:
    /// Key id → percent (0–100) used of its fullest limit, for the keys of @p keys that have limits.
    static QHash<qint64, int> fullestPercent(Core::ProxyRuntime &runtime, const KeyTableModel &keys);
};

} // namespace Console
