// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QtGlobal>

namespace Proxy {

/// What one key used for one model in one hour (UTC): the grain limits are counted in.
struct HourlyUsage final
{
    qint64 keyId = 0;
    QString model;
    qint64 hour = 0; ///< hours since the epoch
    qint64 input = 0;
    qint64 output = 0;
    qint64 total = 0;
    qint64 costMicros = 0;
};

} // namespace Proxy
