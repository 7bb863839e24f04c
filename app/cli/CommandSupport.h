// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"
#include "app/core/Result.h"
#include "app/core/storage/Database.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QUrl>
#include <QJsonValue>

#include <memory>
#include <optional>

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

/// `--token-stdin` / `--token-env VAR`, the two ways every command takes a secret (never an argument:
/// it would show in `ps` and the shell history).
struct TokenOptions final
{
    QCommandLineOption fromStdin{QStringLiteral("token-stdin"), QStringLiteral("Read the token from stdin.")};
    QCommandLineOption fromEnv{QStringLiteral("token-env"), QStringLiteral("Read the token from variable VAR."),
                               QStringLiteral("VAR")};

    void addTo(QCommandLineParser &parser) const { parser.addOptions({fromStdin, fromEnv}); }
    /// A usage error (exit code) unless exactly one of the two was given.
    std::optional<int> requireOne(const QCommandLineParser &parser, const QString &command) const;
    /// The token (never empty), or the reason it could not be read.
    Result<QByteArray> read(const QCommandLineParser &parser) const;
};

/// @p text as an http(s) URL with a host, or the error naming @p option.
Result<QUrl> parseHttpUrl(const QString &text, const QString &option);

/// An ISO-8601 UTC time, or null for an invalid time (JSON output).
QJsonValue jsonTime(const QDateTime &time);

/// "2025-01-31T12:00:00Z", or @p fallback for an invalid time.
QString displayTime(const QDateTime &time, const QString &fallback = QStringLiteral("-"));

} // namespace Core::Cli
