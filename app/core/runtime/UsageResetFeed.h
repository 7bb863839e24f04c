// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/auth/AuthTrace.h"

#include <QList>

namespace Core {

class Database;

/// Finds the usage resets (auth-trace rows with verdict `reset`) written since it last looked, by this
/// process or another (the CLI), so that a running console or serve shows them with the live trace.
/// Main thread; reads through @p database's connection.
class UsageResetFeed final
{
public:
    explicit UsageResetFeed(Database &database);

    /// From now on only later resets are new.
    void skipExisting();
    /// The resets written since the last call (or skipExisting()), oldest first.
    QList<Proxy::AuthTrace> takeNew();

private:
    Database &m_database;
    qint64 m_lastId = 0;
};

} // namespace Core
