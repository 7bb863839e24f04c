// SPDX-License-Identifier: MIT
#pragma once

#include <QCryptographicHash>
#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QTest>
#include <QVariant>

namespace TestSupport {

/// A codex-lb SQLite database made the way codex-lb makes it (app/db/models.py: api_keys and
/// api_key_limits, naive UTC DATETIME text, 0/1 booleans), with keys whose hashes are computed here.
class CodexLbFixture final
{
public:
    explicit CodexLbFixture(const QString &path, bool withEnforcedColumns = false)
        : m_connection(QStringLiteral("codex-lb-fixture-%1").arg(quintptr(this)))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        db.setDatabaseName(path);
        if (!db.open())
            qFatal("cannot create the codex-lb fixture: %s", qPrintable(db.lastError().text()));
        exec(QStringLiteral("CREATE TABLE api_keys (id VARCHAR NOT NULL PRIMARY KEY, name VARCHAR NOT NULL,"
                            " key_hash VARCHAR NOT NULL UNIQUE, key_prefix VARCHAR NOT NULL, allowed_models TEXT,"
                            " expires_at DATETIME, is_active BOOLEAN NOT NULL,"
                            " created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, last_used_at DATETIME%1)")
                 .arg(withEnforcedColumns ? QStringLiteral(", enforced_model VARCHAR, enforced_reasoning_effort VARCHAR,"
                                                           " allowed_reasoning_efforts TEXT, enforced_service_tier VARCHAR")
                                          : QString()));
        exec(QStringLiteral("CREATE TABLE api_key_limits (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,"
                            " api_key_id VARCHAR NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,"
                            " limit_type VARCHAR(12) NOT NULL, limit_window VARCHAR(7) NOT NULL,"
                            " max_value BIGINT NOT NULL, current_value BIGINT DEFAULT 0 NOT NULL,"
                            " model_filter VARCHAR, reset_at DATETIME NOT NULL)"));
    }
    ~CodexLbFixture()
    {
        QSqlDatabase::database(m_connection).close();
        QSqlDatabase::removeDatabase(m_connection);
    }

    /// "sk-clb-" + 43 URL-safe characters made from @p seed, as codex-lb's secrets.token_urlsafe(32).
    static QByteArray plaintext(const QByteArray &seed)
    {
        return "sk-clb-" + QCryptographicHash::hash(seed, QCryptographicHash::Sha256)
                               .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    }
    static QString sha256Hex(const QByteArray &plaintext)
    {
        return QString::fromLatin1(QCryptographicHash::hash(plaintext, QCryptographicHash::Sha256).toHex());
    }
    /// codex-lb's naive UTC DATETIME text.
    static QString naive(const QDateTime &utc) { return utc.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz000")); }

    /// Adds a key whose plaintext is @p key (its hash and 15-character prefix are stored, as codex-lb does).
    void addKey(const QString &id, const QString &name, const QByteArray &key, bool active = true,
                const QVariant &expiresAt = QVariant(), const QVariant &allowedModels = QVariant())
    {
        exec(QStringLiteral("INSERT INTO api_keys (id, name, key_hash, key_prefix, allowed_models, expires_at, is_active)"
                            " VALUES (?, ?, ?, ?, ?, ?, ?)"),
             {id, name, sha256Hex(key), QString::fromLatin1(key.left(15)), allowedModels, expiresAt, active ? 1 : 0});
    }
    void addLimit(const QString &keyId, const QString &type, const QString &window, qint64 max, qint64 current,
                  const QDateTime &resetAt, const QVariant &modelFilter = QVariant())
    {
        exec(QStringLiteral("INSERT INTO api_key_limits (api_key_id, limit_type, limit_window, max_value, current_value,"
                            " model_filter, reset_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
             {keyId, type, window, max, current, modelFilter, naive(resetAt)});
    }
    void exec(const QString &sql, const QVariantList &bindings = {})
    {
        QSqlQuery query(QSqlDatabase::database(m_connection));
        query.prepare(sql);
        for (const QVariant &value : bindings)
            query.addBindValue(value);
        if (!query.exec())
            qFatal("codex-lb fixture: %s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
    }
    QSqlDatabase database() const { return QSqlDatabase::database(m_connection); }

private:
    QString m_connection;
};

} // namespace TestSupport
