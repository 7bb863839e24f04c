// SPDX-License-Identifier: MIT
#include "app/core/services/PricingLoader.h"

#include "app/core/runtime/InstalledData.h"

#include <QDir>
#include <QFile>

namespace Core {

namespace {

Result<Proxy::PricingTable> readTable(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Result<Proxy::PricingTable>::failure(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    QString error;
    const std::optional<Proxy::PricingTable> table = Proxy::PricingTable::fromJson(file.readAll(), &error);
    if (!table)
        return Result<Proxy::PricingTable>::failure(QStringLiteral("%1: %2").arg(path, error));
    return *table;
}

} // namespace

QString PricingLoader::overridePath(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("pricing.json"));
}

Result<Proxy::PricingTablePtr> PricingLoader::load(const QString &dataDir)
{
    Result<Proxy::PricingTable> table = readTable(InstalledData::path(QStringLiteral("pricing.json")));
    if (!table)
        return Result<Proxy::PricingTablePtr>::failure(table.error());
    if (const QString path = overridePath(dataDir); QFile::exists(path)) {
        const Result<Proxy::PricingTable> overrides = readTable(path);
        if (!overrides)
            return Result<Proxy::PricingTablePtr>::failure(overrides.error());
        table.value().merge(overrides.value());
    }
    return Proxy::PricingTablePtr(std::make_shared<const Proxy::PricingTable>(table.value()));
}

} // namespace Core
