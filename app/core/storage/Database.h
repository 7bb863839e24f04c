// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <QSqlDatabase>
#include <QString>

namespace Core {

/// One SQLite connection to `<dataDir>/keygate.db`, owned by the thread that opened it.
/// Each instance has its own connection name (thread id + counter), so several may coexist.
/// Opening creates the data dir (0700), sets the pragmas and runs the migrations.
class Database final
{
    Q_DISABLE_COPY_MOVE(Database)

public:
    Database() = default;
    ~Database(); ///< closes and removes the connection

    Status open(const QString &dataDir);
    void close();
    bool isOpen() const;

    /// The connection; use it only on the thread that called open().
    QSqlDatabase connection() const;
    QString dataDir() const { return m_dataDir; }

    static QString fileName(const QString &dataDir);
    /// Creates @p dataDir (and parents) and restricts it to the owner.
    static Status ensureDataDir(const QString &dataDir);

private:
    QString m_connectionName;
    QString m_dataDir;
};

} // namespace Core
