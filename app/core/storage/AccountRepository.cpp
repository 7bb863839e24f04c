// SPDX-License-Identifier: MIT
#include "app/core/storage/AccountRepository.h"

#include "app/core/secrets/SecretStore.h"
#include "app/core/storage/SqlUtil.h"

#include <QSqlQuery>

namespace Core {

namespace {

constexpr auto Columns = "id, name, kind, base_url, chatgpt_account_id, email, plan_type, state, state_reason,"
                         " priority, secret_prefix, created_at, updated_at, last_refresh_at, access_expires_at, ca_certificates";

// QtSql binds a null QString as NULL; the text columns are NOT NULL.
QString text(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

AccountRecord fromQuery(const QSqlQuery &query)
{
    AccountRecord record;
    record.id = query.value(0).toLongLong();
    record.name = query.value(1).toString();
    record.kind = query.value(2).toString();
    record.baseUrl = QUrl(query.value(3).toString());
    record.chatgptAccountId = query.value(4).toString();
    record.email = query.value(5).toString();
    record.planType = query.value(6).toString();
    record.state = Proxy::accountStateFromString(query.value(7).toString());
    record.stateReason = query.value(8).toString();
    record.priority = query.value(9).toInt();
    record.secretPrefix = query.value(10).toString();
    record.createdAt = Sql::fromDbTime(query.value(11));
    record.updatedAt = Sql::fromDbTime(query.value(12));
    record.lastRefreshAt = Sql::fromDbTime(query.value(13));
    record.accessExpiresAt = Sql::fromDbTime(query.value(14));
    record.caCertificatesPem = query.value(15).toString().toLatin1();
    return record;
}

} // namespace

Proxy::UpstreamConfig::Kind AccountRecord::upstreamKind() const
{
    return isChatGpt() ? Proxy::UpstreamConfig::Kind::Codex : Proxy::UpstreamConfig::Kind::OpenAI;
}

QString AccountRecord::accessSecretName() const
{
    return secretPrefix == u"upstream" ? SecretStore::upstreamTokenName() : secretPrefix + QStringLiteral("/access");
}

QString AccountRecord::refreshSecretName() const
{
    return secretPrefix == u"upstream" ? SecretStore::upstreamRefreshTokenName()
                                       : secretPrefix + QStringLiteral("/refresh");
}

QString AccountRecord::idTokenSecretName() const
{
    return secretPrefix == u"upstream" ? QStringLiteral("upstream/id-token") : secretPrefix + QStringLiteral("/id");
}

AccountRepository::AccountRepository(QSqlDatabase db) : m_db(std::move(db)) {}

Result<QList<AccountRecord>> AccountRepository::list() const
{
    QSqlQuery query(m_db);
    const QString sql = QStringLiteral("SELECT %1 FROM accounts ORDER BY priority, id").arg(QLatin1String(Columns));
    if (const Status status = Sql::exec(query, sql); !status)
        return Result<QList<AccountRecord>>::failure(status);
    QList<AccountRecord> records;
    while (query.next())
        records.append(fromQuery(query));
    return records;
}

Result<std::optional<AccountRecord>> AccountRepository::findOne(const QString &where, const QVariant &value) const
{
    QSqlQuery query(m_db);
    const QString sql = QStringLiteral("SELECT %1 FROM accounts WHERE %2").arg(QLatin1String(Columns), where);
    if (const Status status = Sql::exec(query, sql, {value}); !status)
        return Result<std::optional<AccountRecord>>::failure(status);
    if (!query.next())
        return std::optional<AccountRecord>();
    return std::optional<AccountRecord>(fromQuery(query));
}

Result<std::optional<AccountRecord>> AccountRepository::findById(qint64 id) const
{
    return findOne(QStringLiteral("id = ?"), id);
}

Result<std::optional<AccountRecord>> AccountRepository::findByName(const QString &name) const
{
    return findOne(QStringLiteral("name = ?"), name);
}

Result<qint64> AccountRepository::insert(AccountRecord record)
{
    const QString now = Sql::toDbTime(QDateTime::currentDateTimeUtc());
    QSqlQuery query(m_db);
    const Status status = Sql::exec(
        query,
        QStringLiteral("INSERT INTO accounts (name, kind, base_url, chatgpt_account_id, email, plan_type, state,"
                       " state_reason, priority, secret_prefix, created_at, updated_at, last_refresh_at,"
                       " access_expires_at, ca_certificates) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {record.name, record.kind, record.baseUrl.toString(), text(record.chatgptAccountId), text(record.email),
         text(record.planType), Proxy::toString(record.state), text(record.stateReason), record.priority,
         text(record.secretPrefix), now, now,
         Sql::toDbTimeOrNull(record.lastRefreshAt), Sql::toDbTimeOrNull(record.accessExpiresAt),
         text(QString::fromLatin1(record.caCertificatesPem))});
    if (!status)
        return Result<qint64>::failure(status);
    const qint64 id = query.lastInsertId().toLongLong();
    if (record.secretPrefix.isEmpty()) {
        const Status named = Sql::exec(m_db, QStringLiteral("UPDATE accounts SET secret_prefix = ? WHERE id = ?"),
                                       {QStringLiteral("account/%1").arg(id), id});
        if (!named)
            return Result<qint64>::failure(named);
    }
    return id;
}

Status AccountRepository::update(const AccountRecord &record)
{
    return Sql::exec(m_db,
                     QStringLiteral("UPDATE accounts SET name = ?, kind = ?, base_url = ?, chatgpt_account_id = ?,"
                                    " email = ?, plan_type = ?, state = ?, state_reason = ?, priority = ?,"
                                    " updated_at = ?, last_refresh_at = ?, access_expires_at = ?,"
                                    " ca_certificates = ? WHERE id = ?"),
                     {record.name, record.kind, record.baseUrl.toString(), text(record.chatgptAccountId),
                      text(record.email), text(record.planType), Proxy::toString(record.state),
                      text(record.stateReason), record.priority,
                      Sql::toDbTime(QDateTime::currentDateTimeUtc()), Sql::toDbTimeOrNull(record.lastRefreshAt),
                      Sql::toDbTimeOrNull(record.accessExpiresAt), text(QString::fromLatin1(record.caCertificatesPem)),
                      record.id});
}

Status AccountRepository::setState(qint64 id, Proxy::AccountState state, const QString &reason)
{
    return Sql::exec(m_db, QStringLiteral("UPDATE accounts SET state = ?, state_reason = ?, updated_at = ? WHERE id = ?"),
                     {Proxy::toString(state), text(reason), Sql::toDbTime(QDateTime::currentDateTimeUtc()), id});
}

Status AccountRepository::remove(qint64 id)
{
    return Sql::exec(m_db, QStringLiteral("DELETE FROM accounts WHERE id = ?"), {id});
}

Result<int> AccountRepository::nextPriority() const
{
    QSqlQuery query(m_db);
    if (const Status status = Sql::exec(query, QStringLiteral("SELECT COALESCE(MAX(priority) + 1, 0) FROM accounts"));
        !status)
        return Result<int>::failure(status);
    query.next();
    return query.value(0).toInt();
}

} // namespace Core
