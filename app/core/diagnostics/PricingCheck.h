// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/diagnostics/DiagnosticLine.h"

#include <QDate>

namespace Core {

/// The pricing table's age: the date its prices were taken (`taken` in pricing.json, the built-in
/// table or the data dir's override) against @p today. Older than StaleAfterDays is a warning: costs
/// and cost limits go by those prices. A table that does not load is a failure. Any thread.
class PricingCheck final
{
public:
    static constexpr int StaleAfterDays = 90;

    static DiagnosticLine run(const QString &dataDir, const QDate &today);
};

} // namespace Core
