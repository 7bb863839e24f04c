// SPDX-License-Identifier: MIT
#include "app/cli/CommandSupport.h"

#include "app/cli/CliOutput.h"

#include <QFile>

#include <cstdio>

namespace Core::Cli {

CommandEnvironment::CommandEnvironment(CliContext context) : m_context(std::move(context)) {}

bool CommandEnvironment::openDatabase()
{
    const Status status = m_database.open(m_context.dataDir);
    if (!status)
        fail(status.error());
    return status.ok();
}

bool CommandEnvironment::openSecrets()
{
    auto store = createSecretStore(m_context);
    if (!store) {
        fail(store.error());
        return false;
    }
    m_secrets = store.value();
    return true;
}

QString displayTime(const QDateTime &time, const QString &fallback)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : fallback;
}

QJsonValue jsonTime(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODate)) : QJsonValue(QJsonValue::Null);
}

std::optional<int> TokenOptions::requireOne(const QCommandLineParser &parser, const QString &command) const
{
    if (parser.isSet(fromStdin) == parser.isSet(fromEnv))
        return usageError(QStringLiteral("give exactly one of --token-stdin and --token-env VAR"), command);
    return std::nullopt;
}

Result<QByteArray> TokenOptions::read(const QCommandLineParser &parser) const
{
    QByteArray token;
    if (parser.isSet(fromStdin)) {
        QFile input;
        if (!input.open(stdin, QIODevice::ReadOnly))
            return Result<QByteArray>::failure(QStringLiteral("cannot read stdin"));
        token = input.readAll().trimmed();
    } else {
        const QString variable = parser.value(fromEnv);
        token = qgetenv(variable.toLocal8Bit().constData()).trimmed();
        if (token.isEmpty())
            return Result<QByteArray>::failure(QStringLiteral("environment variable %1 is not set or empty").arg(variable));
    }
    if (token.isEmpty())
        return Result<QByteArray>::failure(QStringLiteral("the token is empty"));
    return token;
}

Result<QUrl> parseHttpUrl(const QString &text, const QString &option)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || (url.scheme() != u"https" && url.scheme() != u"http"))
        return Result<QUrl>::failure(QStringLiteral("%1 must be an http(s) URL, got \"%2\"").arg(option, text));
    return url;
}

} // namespace Core::Cli
