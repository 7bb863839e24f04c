// SPDX-License-Identifier: MIT
#include "app/core/services/KeySnapshotBuilder.h"

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
        entry.enabled = record.enabled;
        entry.expiresAt = record.expiresAt;
        snapshot->insert(QByteArray::fromHex(record.keyHash.toLatin1()), entry);
    }
    return snapshot;
}

Result<Proxy::KeySnapshotPtr> KeySnapshotBuilder::load(const QSqlDatabase &db)
{
    const Result<QList<KeyRecord>> records = KeyRepository(db).list();
    if (!records)
        return Result<Proxy::KeySnapshotPtr>::failure(records.error());
    return build(records.value());
}

} // namespace Core
