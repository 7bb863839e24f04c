// SPDX-License-Identifier: MIT
#include "app/core/diagnostics/PricingCheck.h"

#include "app/core/services/PricingLoader.h"

namespace Core {

namespace {
const QString Check = QStringLiteral("pricing table");
}

DiagnosticLine PricingCheck::run(const QString &dataDir, const QDate &today)
{
    const Result<Proxy::PricingTablePtr> table = PricingLoader::load(dataDir);
    const QString overridePath = PricingLoader::overridePath(dataDir);
    if (!table)
        return DiagnosticLine::fail(Check, table.error(),
                                    QStringLiteral("fix or remove %1 (the built-in prices apply without it)").arg(overridePath));
    const QString taken = table.value()->takenOn();
    // "2026-11-28, OpenAI public API pricing …": the date leads.
    const QDate date = QDate::fromString(taken.left(10), Qt::ISODate);
    const QString fix = QStringLiteral("update Keygate, or put current prices in %1").arg(overridePath);
    if (!date.isValid())
        return DiagnosticLine::warn(Check, QStringLiteral("the table does not say when its prices were taken"), fix);
    const qint64 age = date.daysTo(today);
    const QString detail = QStringLiteral("prices taken %1 (%2 days ago)").arg(date.toString(Qt::ISODate)).arg(age);
    if (age > StaleAfterDays)
        return DiagnosticLine::warn(Check, detail + QStringLiteral(", older than %1 days").arg(StaleAfterDays), fix);
    return DiagnosticLine::ok(Check, detail);
}

} // namespace Core
