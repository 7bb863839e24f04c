// SPDX-License-Identifier: MIT
#include "app/core/storage/Migrations.h"

#include "app/core/storage/SqlUtil.h"

#include <QSqlQuery>
#include <QStringList>

namespace Core {

namespace {

// Index i holds the statements that take the schema from version i to version i + 1.
// Never edit a released step; append a new one.
QList<QStringList> steps()
{
    return {
        {
            // AUTOINCREMENT: ids are never reused, because secrets are named key/<id>.
            QStringLiteral("CREATE TABLE keys ("
                           " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                           " name TEXT NOT NULL UNIQUE,"
                           " prefix TEXT NOT NULL,"
                           " last4 TEXT NOT NULL,"
                           " key_hash TEXT NOT NULL UNIQUE,"
                           " created_at TEXT NOT NULL,"
                           " expires_at TEXT,"
                           " last_used_at TEXT,"
                           " enabled INTEGER NOT NULL DEFAULT 1,"
                           " note TEXT NOT NULL DEFAULT '')"),
            QStringLiteral("CREATE TABLE request_log ("
                           " id INTEGER PRIMARY KEY,"
                           " time TEXT NOT NULL,"
                           " request_id TEXT,"
                           " key_id INTEGER REFERENCES keys(id) ON DELETE SET NULL,"
                           " auth_source TEXT, route TEXT, model TEXT, status INTEGER, outcome TEXT,"
                           " input_tokens INTEGER, cached_tokens INTEGER, output_tokens INTEGER,"
                           " reasoning_tokens INTEGER, total_tokens INTEGER, cost_usd REAL,"
                           " response_id TEXT, latency_ms INTEGER, ttfb_ms INTEGER,"
                           " bytes_in INTEGER, bytes_out INTEGER, peer TEXT, user_agent TEXT)"),
            QStringLiteral("CREATE INDEX request_log_key_time ON request_log(key_id, time)"),
            QStringLiteral("CREATE TABLE auth_events ("
                           " id INTEGER PRIMARY KEY,"
                           " time TEXT NOT NULL,"
                           " request_id TEXT, peer TEXT, method TEXT, path TEXT,"
                           " verdict TEXT NOT NULL,"
                           " key_id INTEGER, key_name TEXT, source TEXT, status INTEGER,"
                           " reason TEXT, summary TEXT, steps_json TEXT, duration_ns INTEGER)"),
            QStringLiteral("CREATE INDEX auth_events_time ON auth_events(time)"),
            QStringLiteral("CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)"),
            QStringLiteral("CREATE TABLE upstream ("
                           " id INTEGER PRIMARY KEY CHECK (id = 1),"
                           " kind TEXT NOT NULL,"
                           " base_url TEXT NOT NULL,"
                           " account_id TEXT NOT NULL DEFAULT '',"
                           " updated_at TEXT NOT NULL)"),
        },
        {
            // The single upstream becomes the first account of a pool. Its tokens stay where they are
            // (secret_prefix 'upstream': upstream/token, upstream/refresh-token); new accounts use
            // account/<id>/…, so the migration never has to touch the secret store.
            QStringLiteral("CREATE TABLE accounts ("
                           " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                           " name TEXT NOT NULL UNIQUE,"
                           " kind TEXT NOT NULL,"
                           " base_url TEXT NOT NULL,"
                           " chatgpt_account_id TEXT NOT NULL DEFAULT '',"
                           " email TEXT NOT NULL DEFAULT '',"
                           " plan_type TEXT NOT NULL DEFAULT '',"
                           " state TEXT NOT NULL DEFAULT 'active',"
                           " state_reason TEXT NOT NULL DEFAULT '',"
                           " priority INTEGER NOT NULL DEFAULT 0,"
                           " secret_prefix TEXT NOT NULL,"
                           " created_at TEXT NOT NULL,"
                           " updated_at TEXT NOT NULL,"
                           " last_refresh_at TEXT,"
                           " access_expires_at TEXT)"),
            QStringLiteral("INSERT INTO accounts (name, kind, base_url, chatgpt_account_id, priority, secret_prefix,"
                           " created_at, updated_at)"
                           " SELECT 'default', CASE kind WHEN 'codex' THEN 'chatgpt' ELSE kind END, base_url,"
                           " account_id, 0, 'upstream', updated_at, updated_at FROM upstream"),
            QStringLiteral("DROP TABLE upstream"),
            QStringLiteral("ALTER TABLE request_log ADD COLUMN account_id INTEGER"),
        },
        {
            // Integer micro-dollars are the exact cost; cost_usd keeps a readable copy.
            QStringLiteral("ALTER TABLE request_log ADD COLUMN cost_micros INTEGER"),
        },
        {
            // Key policy: allowlists as JSON arrays (NULL = everything), limits as rows. A limit's
            // usage is not stored: it is summed from request_log over the current window.
            QStringLiteral("ALTER TABLE keys ADD COLUMN allowed_models TEXT"),
            QStringLiteral("ALTER TABLE keys ADD COLUMN allowed_efforts TEXT"),
            QStringLiteral("CREATE TABLE key_limits ("
                           " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                           " key_id INTEGER NOT NULL REFERENCES keys(id) ON DELETE CASCADE,"
                           " limit_type TEXT NOT NULL,"
                           " limit_window TEXT NOT NULL,"
                           " max_value INTEGER NOT NULL CHECK (max_value > 0),"
                           " model_filter TEXT NOT NULL DEFAULT '',"
                           " created_at TEXT NOT NULL,"
                           " UNIQUE (key_id, limit_type, limit_window, model_filter))"),
            QStringLiteral("ALTER TABLE auth_events ADD COLUMN policy TEXT"),
        },
        {
            // Where a client_closed request's usage came from: 'upstream' (read after the hang-up)
            // or 'estimate' (none arrived); NULL for every other outcome.
            QStringLiteral("ALTER TABLE request_log ADD COLUMN usage_source TEXT"),
            // The running pool's view of each account, published by the instance that serves it so
            // that other processes (the CLI) can show cooldowns, backoff and re-auth needs.
            QStringLiteral("CREATE TABLE account_runtime ("
                           " account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,"
                           " cooldown_until TEXT,"
                           " consecutive_errors INTEGER NOT NULL DEFAULT 0,"
                           " backoff_until TEXT,"
                           " last_error TEXT,"
                           " needs_reauth INTEGER NOT NULL DEFAULT 0,"
                           " primary_used_percent INTEGER,"
                           " secondary_used_percent INTEGER,"
                           " published_at TEXT NOT NULL)"),
        },
        {
            // Extra CAs an OpenAI-compatible account trusts (a company CA), as PEM certificates.
            // Kept in the row rather than as a path: a certificate is public, and the account keeps
            // working when the file moves or is deleted.
            QStringLiteral("ALTER TABLE accounts ADD COLUMN ca_certificates TEXT NOT NULL DEFAULT ''"),
        },
        {
            // `keys reset-usage`: a limit's windows restart at counted_from (NULL = never reset: they follow
            // the key's creation). counted_offset is what the request log held in counted_from's hour before
            // the reset; limits are counted in whole hours, so that hour counts minus it. History stays.
            QStringLiteral("ALTER TABLE key_limits ADD COLUMN counted_from TEXT"),
            QStringLiteral("ALTER TABLE key_limits ADD COLUMN counted_offset INTEGER NOT NULL DEFAULT 0"),
            // Resets are recorded in the auth trace (verdict 'reset'); the console finds new ones by this.
            QStringLiteral("CREATE INDEX auth_events_resets ON auth_events(id) WHERE verdict = 'reset'"),
        },
        {
            // Keys imported from codex-lb: 'codex-lb' rows answer only to their sk-clb- plaintext, which
            // Keygate never had (codex-lb stored its hash). Their limits keep codex-lb's window (anchored
            // where codex-lb's current window ends) and the usage codex-lb had counted in it.
            QStringLiteral("ALTER TABLE keys ADD COLUMN origin TEXT NOT NULL DEFAULT 'keygate'"),
            QStringLiteral("ALTER TABLE key_limits ADD COLUMN window_anchor TEXT"),
            QStringLiteral("ALTER TABLE key_limits ADD COLUMN carried_value INTEGER NOT NULL DEFAULT 0"),
        },
        {
            // Daily usage per key (UTC day; key_id 0 = no key), kept for good while request_log rows
            // age out (request-log-retention-days). RecordWriter adds each batch in the transaction
            // that inserts its rows, so the two never disagree; key_id keeps a deleted key's id.
            QStringLiteral("CREATE TABLE usage_daily ("
                           " day TEXT NOT NULL,"
                           " key_id INTEGER NOT NULL,"
                           " requests INTEGER NOT NULL,"
                           " input_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,"
                           " output_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL,"
                           " total_tokens INTEGER NOT NULL, cost_micros INTEGER NOT NULL,"
                           " errors INTEGER NOT NULL, unpriced_requests INTEGER NOT NULL,"
                           " PRIMARY KEY (day, key_id)) WITHOUT ROWID"),
            QStringLiteral("INSERT INTO usage_daily SELECT substr(time, 1, 10), COALESCE(key_id, 0), COUNT(*),"
                           " COALESCE(SUM(input_tokens), 0), COALESCE(SUM(cached_tokens), 0),"
                           " COALESCE(SUM(output_tokens), 0), COALESCE(SUM(reasoning_tokens), 0),"
                           " COALESCE(SUM(total_tokens), 0), COALESCE(SUM(cost_micros), 0),"
                           " SUM(CASE WHEN status >= 400 OR outcome <> 'ok' THEN 1 ELSE 0 END),"
                           " SUM(CASE WHEN total_tokens > 0 AND cost_micros IS NULL THEN 1 ELSE 0 END)"
                           " FROM request_log GROUP BY 1, 2"),
        },
        {
            // Requests per route label, status and outcome of the request_log rows that retention
            // pruned, kept for good so that keygate_requests_total still starts from every request
            // ever logged (the pruner adds a batch here in the transaction that deletes it).
            QStringLiteral("CREATE TABLE request_counts_pruned ("
                           " route TEXT NOT NULL, status INTEGER NOT NULL, outcome TEXT NOT NULL,"
                           " requests INTEGER NOT NULL,"
                           " PRIMARY KEY (route, status, outcome)) WITHOUT ROWID"),
        },
    };
}

} // namespace

int Migrations::latestVersion()
{
    return int(steps().size());
}

int Migrations::currentVersion(const QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return -1;
    return query.value(0).toInt();
}

Status Migrations::run(const QSqlDatabase &db, int targetVersion)
{
    QList<QStringList> all = steps();
    if (targetVersion >= 0 && targetVersion < all.size())
        all.resize(targetVersion);
    if (currentVersion(db) > latestVersion())
        return Status::failure(QStringLiteral("the database schema (version %1) is newer than this keygate "
                                              "understands (version %2)")
                                   .arg(currentVersion(db))
                                   .arg(latestVersion()));
    for (int target = 1; target <= all.size(); ++target) {
        if (currentVersion(db) >= target)
            continue;
        if (const Status status = Sql::exec(db, QStringLiteral("BEGIN IMMEDIATE")); !status)
            return status;
        Status status = Status::success();
        if (currentVersion(db) < target) { // another process may have migrated meanwhile
            for (const QString &statement : all.at(target - 1)) {
                status = Sql::exec(db, statement);
                if (!status)
                    break;
            }
            if (status)
                status = Sql::exec(db, QStringLiteral("PRAGMA user_version = %1").arg(target));
        }
        if (!status) {
            Sql::exec(db, QStringLiteral("ROLLBACK"));
            return Status::failure(QStringLiteral("migration to schema version %1 failed: %2")
                                       .arg(target)
                                       .arg(status.error()));
        }
        if (const Status commit = Sql::exec(db, QStringLiteral("COMMIT")); !commit)
            return commit;
    }
    return Status::success();
}

} // namespace Core
