// SPDX-License-Identifier: MIT
#include "app/core/services/UpstreamService.h"

#include "app/core/secrets/SecretStore.h"
#include "app/core/services/AccountService.h"
#include "app/core/storage/AccountRepository.h"
#include "app/core/storage/Database.h"

#include <utility>

namespace Core {

namespace {

using Kind = Proxy::UpstreamConfig::Kind;
const QString DefaultName = QStringLiteral("default");

} // namespace

UpstreamService::UpstreamService(Database &database, SecretStore &secrets, QString account)
    : m_database(database), m_secrets(secrets), m_account(std::move(account))
{
}

QString UpstreamService::defaultCodexAuthPath()
{
    return AccountService::defaultCodexAuthPath();
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

    AccountRepository accounts(m_database.connection());
    const auto existing = shownAccount(); // the account show() displays, never another one
    if (!existing)
        return existing.status();
    AccountRecord record;
    if (existing.value()) {
        record = *existing.value();
    } else {
        record.name = DefaultName;
        record.secretPrefix = QStringLiteral("upstream");
        const Result<int> priority = accounts.nextPriority();
        if (!priority)
            return priority.status();
        record.priority = priority.value();
    }
    const SecretResult written = m_secrets.write(record.accessSecretName(), token.trimmed());
    if (!written.ok)
        return Status::failure(QStringLiteral("cannot store the upstream token: %1").arg(written.message));
    record.kind = QLatin1String(kind == Kind::Codex ? AccountRecord::ChatGpt : AccountRecord::OpenAI);
    record.baseUrl = baseUrl;
    record.chatgptAccountId = accountId.trimmed();
    record.state = Proxy::AccountState::Active;
    record.stateReason.clear();
    if (existing.value())
        return accounts.update(record);
    const Result<qint64> id = accounts.insert(record);
    return id ? Status::success() : id.status();
}

Status UpstreamService::importCodexAuth(const QString &path)
{
    const Result<AccountTokens> tokens = AccountService::readCodexAuth(path);
    if (!tokens)
        return tokens.status();
    if (const Status status = set(Kind::Codex, codexBaseUrl(), tokens.value().chatgptAccountId,
                                  tokens.value().accessToken.toUtf8());
        !status)
        return status;
    const auto record = shownAccount();
    if (!record || !record.value())
        return Status::failure(record ? QStringLiteral("the account vanished") : record.error());
    const QString refreshName = record.value()->refreshSecretName();
    const SecretResult refresh = tokens.value().refreshToken.isEmpty()
                                     ? m_secrets.remove(refreshName)
                                     : m_secrets.write(refreshName, tokens.value().refreshToken.toUtf8());
    if (!refresh.ok && refresh.error != SecretError::NotFound)
        return Status::failure(QStringLiteral("cannot store the refresh token: %1").arg(refresh.message));
    return Status::success();
}

Result<std::optional<AccountRecord>> UpstreamService::shownAccount() const
{
    if (!m_account.isEmpty()) {
        const Result<AccountRecord> named = AccountService(m_database, m_secrets).find(m_account);
        if (!named)
            return Result<std::optional<AccountRecord>>::failure(named.error());
        return std::optional<AccountRecord>(named.value());
    }
    const auto all = AccountRepository(m_database.connection()).list();
    if (!all)
        return Result<std::optional<AccountRecord>>::failure(all.error());
    for (const AccountRecord &record : all.value())
        if (record.name == DefaultName)
            return std::optional<AccountRecord>(record);
    return all.value().isEmpty() ? std::optional<AccountRecord>() : std::optional<AccountRecord>(all.value().constFirst());
}

QString UpstreamService::tokenSecretName() const
{
    const auto shown = shownAccount();
    return shown && shown.value() ? shown.value()->accessSecretName() : SecretStore::upstreamTokenName();
}

Result<UpstreamInfo> UpstreamService::show() const
{
    const auto account = shownAccount();
    if (!account)
        return Result<UpstreamInfo>::failure(account.error());
    UpstreamInfo info;
    if (!account.value())
        return info;
    const AccountRecord *shown = &*account.value();
    info.configured = true;
    info.row = {shown->name, shown->upstreamKind(), shown->baseUrl, shown->chatgptAccountId,
                shown->updatedAt};
    const SecretResult token = m_secrets.read(shown->accessSecretName());
    info.tokenStored = token.ok && !token.value.isEmpty();
    if (!token.ok && token.error != SecretError::NotFound)
        info.secretProblem = token.message;
    const SecretResult refresh = m_secrets.read(shown->refreshSecretName());
    info.refreshTokenStored = refresh.ok && !refresh.value.isEmpty();
    return info;
}

Result<Proxy::UpstreamConfig> UpstreamService::load() const
{
    const auto shown = shownAccount();
    if (!shown)
        return Result<Proxy::UpstreamConfig>::failure(shown.error());
    if (!shown.value())
        return Proxy::UpstreamConfig{};
    const auto pool = AccountService(m_database, m_secrets).loadPool();
    if (!pool)
        return Result<Proxy::UpstreamConfig>::failure(pool.error());
    for (const Proxy::UpstreamAccount &account : pool.value())
        if (account.id == shown.value()->id)
            return account.upstream;
    return Proxy::UpstreamConfig{};
}

} // namespace Core
