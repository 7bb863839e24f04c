// SPDX-License-Identifier: MIT
#include "proxy/metrics/MetricsAccess.h"

namespace Proxy {

QString toString(MetricsAccess access)
{
    switch (access) {
    case MetricsAccess::Loopback:
        return QStringLiteral("loopback");
    case MetricsAccess::Key:
        return QStringLiteral("key");
    case MetricsAccess::Off:
        return QStringLiteral("off");
    }
    return {};
}

MetricsAccess metricsAccessFromString(const QString &text, bool *ok)
{
    for (const MetricsAccess access : {MetricsAccess::Loopback, MetricsAccess::Key, MetricsAccess::Off}) {
        if (text == toString(access)) {
            if (ok)
                *ok = true;
            return access;
        }
    }
    if (ok)
        *ok = false;
    return MetricsAccess::Loopback;
}

} // namespace Proxy
