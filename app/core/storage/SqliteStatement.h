// SPDX-License-Identifier: MIT
#pragma once

#include <QSqlDatabase>
#include <QString>

#include <optional>

struct sqlite3;
struct sqlite3_stmt;

namespace Core {

/// A prepared statement on the sqlite3 handle under a QSQLITE connection, for the write-behind
/// path only. QtSql's positional bindValue() formats a ":N" placeholder name per value; at two
/// rows per proxied request that cost more CPU than SQLite itself.
class SqliteStatement final
{
    Q_DISABLE_COPY_MOVE(SqliteStatement)

public:
    SqliteStatement(const QSqlDatabase &db, const char *sql);
    ~SqliteStatement();

    bool isValid() const { return m_statement != nullptr; }
    QString errorString() const;

    /// Binds are 1-based, as in SQLite. A null QString binds NULL.
    void bind(int index, const QString &text);
    void bind(int index, qint64 value);
    void bind(int index, const std::optional<qint64> &value);
    void bind(int index, const std::optional<double> &value);
    void bindNull(int index);
    /// Runs the statement to the end, stepping past any result rows, and resets it for the next row.
    bool execute();

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
    QString m_error;
};

} // namespace Core
