// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"
#include "app/core/Result.h"
#include "app/core/storage/Database.h"

#include <QDateTime>
#include <QJsonValue>

#include <memory>

namespace Core::Cli {

/// What most commands need: the opened database and (on demand) the secret store.
class CommandEnvironment final
{
    Q_DISABLE_COPY_MOVE(CommandEnvironment)

public:
    explicit CommandEnvironment(CliContext context);

    /// Opens the database; on failure prints the error and returns false.
    bool openDatabase();
    /// Creates the secret store; on failure prints the error and returns false.
    bool openSecrets();

    Database &database() { return m_database; }
    SecretStore &secrets() { return *m_secrets; }
    const CliContext &context() const { return m_context; }

private:
    CliContext m_context;
    Database m_database;
    std::shared_ptr<SecretStore> m_secrets;
};

/// A token given on stdin (@p fromStdin) or in the environment variable @p variable; never empty.
Result<QByteArray> readToken(bool fromStdin, const QString &variable);

/// An ISO-8601 UTC time, or null for an invalid time (JSON output).
QJsonValue jsonTime(const QDateTime &time);

/// "2025-01-31T12:00:00Z", or @p fallback for an invalid time.
QString displayTime(const QDateTime &time, const QString &fallback = QStringLiteral("-"));

} // namespace Core::Cli
