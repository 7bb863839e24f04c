// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include "proxy/relay/PricingTable.h"

namespace Core {

/// The pricing table the proxy uses: the built-in one (resources/pricing.json, with the date its
/// prices were taken; shipped in share/keygate, see InstalledData) with the entries of
/// `<data dir>/pricing.json` on top when that file exists.
/// A broken override is an error naming the file, never silently ignored. Main thread.
class PricingLoader final
{
public:
    static QString overridePath(const QString &dataDir);
    static Result<Proxy::PricingTablePtr> load(const QString &dataDir);
};

} // namespace Core
