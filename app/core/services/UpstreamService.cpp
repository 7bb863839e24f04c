// SPDX-License-Identifier: MIT
#include "app/core/services/UpstreamService.h"

#include "app/core/secrets/SecretStore.h"
#include "app/core/storage/Database.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace Core {

using Kind = Proxy::UpstreamConfig::Kind;

UpstreamService::UpstreamService(Database &database, SecretStore &secrets)
    : m_database(database), m_secrets(secrets)
{
}

QString UpstreamService::defaultCodexAuthPath()
{
    return QDir::home().filePath(QStringLiteral(".codex/auth.json"));
}

Status UpstreamService::set(Kind kind, const QUrl &baseUrl, const QString &accountId, const QByteArray &token)
{
    if (kind == Kind::None)
        return Status::failure(QStringLiteral("the upstream kind must be codex or openai"));
    if (!baseUrl.isValid() || baseUrl.host().isEmpty() ||
        (baseUrl.scheme() != u"https" && baseUrl.scheme() != u"http"))
        return Status::failure(QStringLiteral("the base URL must be an http(s) URL with a host, got \"%1\"")
                                   .arg(baseUrl.toString()));
    if (token.trimmed().isEmpty())
        return Status::failure(QStringLiteral("the upstream token is empty"));

    const SecretResult written = m_secrets.write(SecretStore::upstreamTokenName(), token.trimmed());
    if (!written.ok)
        return Status::failure(QStringLiteral("cannot store the upstream token: %1").arg(written.message));
    UpstreamRow row;
    row.kind = kind;
    row.baseUrl = baseUrl;
    row.accountId = accountId.trimmed();
    row.updatedAt = QDateTime::currentDateTimeUtc();
    return UpstreamRepository(m_database.connection()).save(row);
}

Status UpstreamService::importCodexAuth(const QString &path)
{
    const QString file = path.isEmpty() ? defaultCodexAuthPath() : path;
    QFile input(file);
    if (!input.open(QIODevice::ReadOnly))
        return Status::failure(QStringLiteral("cannot read %1: %2").arg(file, input.errorString()));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(input.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return Status::failure(QStringLiteral("%1 is not valid JSON: %2").arg(file, parseError.errorString()));
    const QJsonObject tokens = document.object().value(QStringLiteral("tokens")).toObject();
    const QString accessToken = tokens.value(QStringLiteral("access_token")).toString();
    const QString refreshToken = tokens.value(QStringLiteral("refresh_token")).toString();
    const QString accountId = tokens.value(QStringLiteral("account_id")).toString();
    if (accessToken.isEmpty())
        return Status::failure(QStringLiteral("%1 has no tokens.access_token (log in with the Codex CLI first)").arg(file));

    if (const Status status = set(Kind::Codex, codexBaseUrl(), accountId, accessToken.toUtf8()); !status)
        return status;
    const SecretResult refresh =
        refreshToken.isEmpty() ? m_secrets.remove(SecretStore::upstreamRefreshTokenName())
                               : m_secrets.write(SecretStore::upstreamRefreshTokenName(), refreshToken.toUtf8());
    if (!refresh.ok && refresh.error != SecretError::NotFound)
        return Status::failure(QStringLiteral("cannot store the refresh token: %1").arg(refresh.message));
    return Status::success();
}

Result<UpstreamInfo> UpstreamService::show() const
{
    const auto row = UpstreamRepository(m_database.connection()).load();
    if (!row)
        return Result<UpstreamInfo>::failure(row.error());
    UpstreamInfo info;
    if (!row.value())
        return info;
    info.configured = true;
    info.row = *row.value();
    const SecretResult token = m_secrets.read(SecretStore::upstreamTokenName());
    info.tokenStored = token.ok && !token.value.isEmpty();
    if (!token.ok && token.error != SecretError::NotFound)
        info.secretProblem = token.message;
    const SecretResult refresh = m_secrets.read(SecretStore::upstreamRefreshTokenName());
    info.refreshTokenStored = refresh.ok && !refresh.value.isEmpty();
    return info;
}

Result<Proxy::UpstreamConfig> UpstreamService::load() const
{
    const auto row = UpstreamRepository(m_database.connection()).load();
    if (!row)
        return Result<Proxy::UpstreamConfig>::failure(row.error());
    Proxy::UpstreamConfig config;
    if (!row.value())
        return config;
    config.kind = row.value()->kind;
    config.baseUrl = row.value()->baseUrl;
    config.accountId = row.value()->accountId;
    const SecretResult token = m_secrets.read(SecretStore::upstreamTokenName());
    if (!token.ok)
        return Result<Proxy::UpstreamConfig>::failure(
            QStringLiteral("cannot read the upstream token: %1").arg(token.message));
    config.token = token.value;
    return config;
}

} // namespace Core
