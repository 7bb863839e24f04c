// SPDX-License-Identifier: MIT
#include "app/core/storage/KeyRepository.h"

#include "app/core/services/KeyMaterial.h"
#include "app/core/storage/SqlUtil.h"

#include "proxy/auth/SecretMask.h"

#include <QSqlQuery>

namespace Core {

namespace {

constexpr auto Columns = "id, name, prefix, last4, key_hash, created_at, expires_at, last_used_at, enabled, note, allowed_models, allowed_efforts, origin";

KeyRecord fromQuery(const QSqlQuery &query)
{
    KeyRecord record;
    record.id = query.value(0).toLongLong();
    record.name = query.value(1).toString();
    record.prefix = query.value(2).toString();
    record.last4 = query.value(3).toString();
    record.keyHash = query.value(4).toString();
    record.createdAt = Sql::fromDbTime(query.value(5));
    record.expiresAt = Sql::fromDbTime(query.value(6));
    record.lastUsedAt = Sql::fromDbTime(query.value(7));
    record.enabled = query.value(8).toInt() != 0;
    record.note = query.value(9).toString();
    record.policy.allowedModels = Sql::fromJsonList(query.value(10));
    record.policy.allowedEfforts = Sql::fromJsonList(query.value(11));
    record.origin = query.value(12).toString() == KeyRecord::originName(Proxy::KeyOrigin::CodexLb)
                        ? Proxy::KeyOrigin::CodexLb
                        : Proxy::KeyOrigin::Keygate;
    return record;
}

} // namespace

QString KeyRecord::maskedKey() const
{
    return isImported() ? Proxy::maskImportedKey(prefix.toLatin1()) : KeyMaterial::masked(last4);
}

QString KeyRecord::originName(Proxy::KeyOrigin origin)
{
    return origin == Proxy::KeyOrigin::CodexLb ? QStringLiteral("codex-lb") : QStringLiteral("keygate");
}

KeyRepository::KeyRepository(QSqlDatabase db) : m_db(std::move(db)) {}

Result<QList<KeyRecord>> KeyRepository::list() const
{
    QSqlQuery query(m_db);
    if (const Status status = Sql::exec(query, QStringLiteral("SELECT %1 FROM keys ORDER BY id").arg(QLatin1String(Columns)));
        !status)
        return Result<QList<KeyRecord>>::failure(status);
    QList<KeyRecord> records;
    while (query.next())
        records.append(fromQuery(query));
    return records;
}

Result<std::optional<KeyRecord>> KeyRepository::findOne(const QString &where, const QVariant &value) const
{
    QSqlQuery query(m_db);
    const QString sql = QStringLiteral("SELECT %1 FROM keys WHERE %2").arg(QLatin1String(Columns), where);
    if (const Status status = Sql::exec(query, sql, {value}); !status)
        return Result<std::optional<KeyRecord>>::failure(status);
    if (!query.next())
        return std::optional<KeyRecord>();
    return std::optional<KeyRecord>(fromQuery(query));
}

Result<std::optional<KeyRecord>> KeyRepository::findById(qint64 id) const
{
    return findOne(QStringLiteral("id = ?"), id);
}

Result<std::optional<KeyRecord>> KeyRepository::findByName(const QString &name) const
{
    return findOne(QStringLiteral("name = ?"), name);
}

Result<std::optional<KeyRecord>> KeyRepository::findByHash(const QString &keyHash) const
{
    return findOne(QStringLiteral("key_hash = ?"), keyHash);
}

Result<qint64> KeyRepository::insert(const KeyRecord &record)
{
    QSqlQuery query(m_db);
    const Status status = Sql::exec(
        query,
        QStringLiteral("INSERT INTO keys (name, prefix, last4, key_hash, created_at, expires_at, enabled, note, origin)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {record.name, record.prefix, record.last4, record.keyHash, Sql::toDbTime(record.createdAt),
         Sql::toDbTimeOrNull(record.expiresAt), record.enabled ? 1 : 0,
         record.note.isNull() ? QStringLiteral("") : record.note, KeyRecord::originName(record.origin)});
    if (!status)
        return Result<qint64>::failure(status);
    return query.lastInsertId().toLongLong();
}

Status KeyRepository::expectOneRow(const Status &status, int rowsAffected, qint64 id) const
{
    if (!status)
        return status;
    if (rowsAffected < 1)
        return Status::failure(QStringLiteral("no key with id %1").arg(id));
    return Status::success();
}

Status KeyRepository::updateMaterial(qint64 id, const QString &prefix, const QString &last4, const QString &keyHash)
{
    QSqlQuery query(m_db);
    const Status status = Sql::exec(query, QStringLiteral("UPDATE keys SET prefix = ?, last4 = ?, key_hash = ?, origin = 'keygate'"
                                                   " WHERE id = ?"),
                                    {prefix, last4, keyHash, id});
    return expectOneRow(status, query.numRowsAffected(), id);
}

Status KeyRepository::setEnabled(qint64 id, bool enabled)
{
    QSqlQuery query(m_db);
    const Status status =
        Sql::exec(query, QStringLiteral("UPDATE keys SET enabled = ? WHERE id = ?"), {enabled ? 1 : 0, id});
    return expectOneRow(status, query.numRowsAffected(), id);
}

Status KeyRepository::update(qint64 id, const QString &name, const QString &note, const QDateTime &expiresAt)
{
    QSqlQuery query(m_db);
    const Status status =
        Sql::exec(query, QStringLiteral("UPDATE keys SET name = ?, note = ?, expires_at = ? WHERE id = ?"),
                  {name, note.isNull() ? QStringLiteral("") : note, Sql::toDbTimeOrNull(expiresAt), id});
    return expectOneRow(status, query.numRowsAffected(), id);
}

Status KeyRepository::setAllowedModels(qint64 id, const QStringList &models)
{
    QSqlQuery query(m_db);
    const Status status = Sql::exec(query, QStringLiteral("UPDATE keys SET allowed_models = ? WHERE id = ?"),
                                    {Sql::toJsonListOrNull(models), id});
    return expectOneRow(status, query.numRowsAffected(), id);
}

Status KeyRepository::setAllowedEfforts(qint64 id, const QStringList &efforts)
{
    QSqlQuery query(m_db);
    const Status status = Sql::exec(query, QStringLiteral("UPDATE keys SET allowed_efforts = ? WHERE id = ?"),
                                    {Sql::toJsonListOrNull(efforts), id});
    return expectOneRow(status, query.numRowsAffected(), id);
}

Status KeyRepository::remove(qint64 id)
{
    QSqlQuery query(m_db);
    const Status status = Sql::exec(query, QStringLiteral("DELETE FROM keys WHERE id = ?"), {id});
    return expectOneRow(status, query.numRowsAffected(), id);
}

} // namespace Core
