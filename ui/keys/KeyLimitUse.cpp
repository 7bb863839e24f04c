// SPDX-License-Identifier: MIT
#include "ui/keys/KeyLimitUse.h"

#include "app/core/runtime/ProxyRuntime.h"

#include "ui/keys/KeyTableModel.h"

namespace Console {

QHash<qint64, int> KeyLimitUse::fullestPercent(Core::ProxyRuntime &runtime, const KeyTableModel &keys)
{
    QHash<qint64, int> percentByKey;
    for (int row = 0; row < keys.rowCount(); ++row) {
        const Core::KeyRecord &key = keys.keyAt(row);
        if (key.policy.limits.isEmpty())
            continue;
        int fullest = 0;
        for (const Proxy::LimitStatus &status : runtime.limitStatuses(key.id))
            fullest = qMax(fullest, status.percent());
        percentByKey.insert(key.id, fullest);
    }
    return percentByKey;
}

} // namespace Console
