// SPDX-License-Identifier: MIT
#include "app/core/services/KeySnapshotBuilder.h"

#include "app/core/storage/KeyLimitRepository.h"
#include "app/core/storage/KeyRepository.h"

namespace Core {

Proxy::KeySnapshotPtr KeySnapshotBuilder::build(const QList<KeyRecord> &records)
{
    auto snapshot = std::make_shared<Proxy::KeySnapshot>();
    for (const KeyRecord &record : records) {
        Proxy::KeyEntry entry;
        entry.id = record.id;
        entry.name = record.name;
        entry.maskedKey = record.maskedKey();
        entry.origin = record.origin;
        entry.enabled = record.enabled;
        entry.expiresAt = record.expiresAt;
        entry.createdAt = record.createdAt;
        entry.policy = record.policy;
        snapshot->insert(QByteArray::fromHex(record.keyHash.toLatin1()), entry);
    }
    return snapshot;
}

Result<Proxy::KeySnapshotPtr> KeySnapshotBuilder::load(const QSqlDatabase &db)
{
    const Result<QList<KeyRecord>> records = KeyRepository(db).list();
    if (!records)
        return Result<Proxy::KeySnapshotPtr>::failure(records.error());
    const auto limits = KeyLimitRepository(db).all();
    if (!limits)
        return Result<Proxy::KeySnapshotPtr>::failure(limits.error());
    QList<KeyRecord> withLimits = records.value();
    for (KeyRecord &record : withLimits)
        record.policy.limits = limits.value().value(record.id);
    return build(withLimits);
}

} // namespace Core
