// SPDX-License-Identifier: MIT
#include "app/core/services/AccountService.h"

#include "app/core/accounts/oauth/IdTokenClaims.h"
#include "app/core/secrets/SecretStore.h"
#include "app/core/storage/AccountRepository.h"
#include "app/core/storage/Database.h"
#include "proxy/upstream/CaBundle.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace Core {

namespace {

constexpr int MaxNameLength = 128;

QString firstOf(const QJsonObject &object, std::initializer_list<const char *> names)
{
    for (const char *name : names)
        if (const QString value = object.value(QLatin1String(name)).toString(); !value.isEmpty())
            return value;
    return {};
}

void fillClaims(AccountTokens &tokens)
{
    const IdTokenClaims claims = IdTokenClaims::fromJwt(tokens.idToken);
    if (tokens.email.isEmpty())
        tokens.email = claims.email;
    if (tokens.chatgptAccountId.isEmpty())
        tokens.chatgptAccountId = claims.chatgptAccountId;
    if (tokens.planType.isEmpty())
        tokens.planType = claims.planType;
    if (!tokens.accessExpiresAt.isValid())
        tokens.accessExpiresAt = IdTokenClaims::fromJwt(tokens.accessToken).expiresAt;
}

/// The certificates of @p pem re-encoded (nothing else of the text kept), or why they cannot be
/// trusted for @p baseUrl. A CA only means something for https.
Result<QByteArray> checkedCaPem(const QByteArray &pem, const QUrl &baseUrl)
{
    if (pem.isEmpty())
        return QByteArray();
    if (baseUrl.scheme() != u"https")
        return Result<QByteArray>::failure(QStringLiteral("a CA file needs an https base URL, got \"%1\"").arg(baseUrl.toString()));
    QString error;
    const auto certificates = Proxy::CaBundle::parse(pem, &error);
    if (!certificates)
        return Result<QByteArray>::failure(QStringLiteral("the CA certificates cannot be used: ") + error);
    return Proxy::CaBundle::toPem(*certificates);
}

Result<AccountRecord> notFound(const QString &nameOrId)
{
    return Result<AccountRecord>::failure(QStringLiteral("no account named \"%1\" (see `keygate accounts list`)").arg(nameOrId));
}

} // namespace

AccountService::AccountService(Database &database, SecretStore &secrets) : m_database(database), m_secrets(secrets) {}

QString AccountService::defaultCodexAuthPath()
{
    return QDir::home().filePath(QStringLiteral(".codex/auth.json"));
}

Result<QString> AccountService::validateName(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty())
        return Result<QString>::failure(QStringLiteral("the account name must not be empty"));
    if (trimmed.size() > MaxNameLength)
        return Result<QString>::failure(QStringLiteral("the account name must be at most %1 characters").arg(MaxNameLength));
    return trimmed;
}

Result<AccountRecord> AccountService::find(const QString &nameOrId) const
{
    AccountRepository accounts(m_database.connection());
    bool isNumber = false;
    const qint64 id = nameOrId.toLongLong(&isNumber);
    if (isNumber) {
        const auto byId = accounts.findById(id);
        if (!byId)
            return Result<AccountRecord>::failure(byId.error());
        if (byId.value())
            return *byId.value();
    }
    const auto byName = accounts.findByName(nameOrId.trimmed());
    if (!byName)
        return Result<AccountRecord>::failure(byName.error());
    if (!byName.value())
        return notFound(nameOrId);
    return *byName.value();
}

Result<AccountRecord> AccountService::addOpenAI(const QString &name, const QUrl &baseUrl, const QByteArray &apiKey,
                                               const QByteArray &caCertificatesPem)
{
    if (!baseUrl.isValid() || baseUrl.host().isEmpty() || (baseUrl.scheme() != u"https" && baseUrl.scheme() != u"http"))
        return Result<AccountRecord>::failure(
            QStringLiteral("the base URL must be an http(s) URL with a host, got \"%1\"").arg(baseUrl.toString()));
    if (apiKey.trimmed().isEmpty())
        return Result<AccountRecord>::failure(QStringLiteral("the API key is empty"));
    const Result<QString> validName = validateName(name.isEmpty() ? baseUrl.host() : name);
    if (!validName)
        return Result<AccountRecord>::failure(validName.error());
    const Result<QByteArray> caPem = checkedCaPem(caCertificatesPem, baseUrl);
    if (!caPem)
        return Result<AccountRecord>::failure(caPem.error());
    AccountRepository accounts(m_database.connection());
    const auto existing = accounts.findByName(validName.value());
    if (existing && existing.value())
        return Result<AccountRecord>::failure(QStringLiteral("an account named \"%1\" already exists").arg(validName.value()));
    const Result<int> priority = accounts.nextPriority();
    if (!priority)
        return Result<AccountRecord>::failure(priority.error());
    AccountRecord record;
    record.name = validName.value();
    record.kind = QLatin1String(AccountRecord::OpenAI);
    record.baseUrl = baseUrl;
    record.priority = priority.value();
    record.caCertificatesPem = caPem.value();
    const Result<qint64> id = accounts.insert(record);
    if (!id)
        return Result<AccountRecord>::failure(id.error());
    const Result<AccountRecord> stored = find(QString::number(id.value()));
    if (!stored)
        return stored;
    AccountTokens tokens;
    tokens.accessToken = QString::fromUtf8(apiKey.trimmed());
    if (const Status written = writeTokens(stored.value(), tokens); !written) {
        accounts.remove(id.value()); // an account without its key would only ever fail
        return Result<AccountRecord>::failure(written.error());
    }
    return stored;
}

Result<AccountRecord> AccountService::saveChatGptLogin(const AccountTokens &login, const QString &name,
                                                       const QUrl &baseUrl)
{
    AccountTokens tokens = login;
    fillClaims(tokens);
    if (!tokens.isValid())
        return Result<AccountRecord>::failure(QStringLiteral("the login returned no access token"));
    AccountRepository accounts(m_database.connection());
    const auto all = accounts.list();
    if (!all)
        return Result<AccountRecord>::failure(all.error());
    std::optional<AccountRecord> record;
    for (const AccountRecord &candidate : all.value())
        if (candidate.isChatGpt() && !tokens.chatgptAccountId.isEmpty()
            && candidate.chatgptAccountId == tokens.chatgptAccountId
            && (candidate.email.isEmpty() || tokens.email.isEmpty() || candidate.email == tokens.email))
            record = candidate;
    if (!record) {
        const QString fallback = tokens.email.isEmpty() ? QStringLiteral("chatgpt") : tokens.email;
        const Result<QString> validName = validateName(name.isEmpty() ? fallback : name);
        if (!validName)
            return Result<AccountRecord>::failure(validName.error());
        const auto taken = accounts.findByName(validName.value());
        if (taken && taken.value())
            return Result<AccountRecord>::failure(
                QStringLiteral("an account named \"%1\" already exists; choose another with --name").arg(validName.value()));
        const Result<int> priority = accounts.nextPriority();
        if (!priority)
            return Result<AccountRecord>::failure(priority.error());
        AccountRecord fresh;
        fresh.name = validName.value();
        fresh.kind = QLatin1String(AccountRecord::ChatGpt);
        fresh.baseUrl = chatGptBaseUrl();
        fresh.priority = priority.value();
        const Result<qint64> id = accounts.insert(fresh);
        if (!id)
            return Result<AccountRecord>::failure(id.error());
        const Result<AccountRecord> inserted = find(QString::number(id.value()));
        if (!inserted)
            return inserted;
        record = inserted.value();
    }
    record->chatgptAccountId = tokens.chatgptAccountId;
    if (!baseUrl.isEmpty())
        record->baseUrl = baseUrl;
    if (!tokens.email.isEmpty())
        record->email = tokens.email;
    if (!tokens.planType.isEmpty())
        record->planType = tokens.planType;
    record->state = Proxy::AccountState::Active;
    record->stateReason.clear();
    record->lastRefreshAt = QDateTime::currentDateTimeUtc();
    record->accessExpiresAt = tokens.accessExpiresAt;
    if (const Status written = writeTokens(*record, tokens); !written)
        return Result<AccountRecord>::failure(written.error());
    if (const Status updated = accounts.update(*record); !updated)
        return Result<AccountRecord>::failure(updated.error());
    return *record;
}

Result<AccountTokens> AccountService::readCodexAuth(const QString &path)
{
    const QString file = path.isEmpty() ? defaultCodexAuthPath() : path;
    QFile input(file);
    if (!input.open(QIODevice::ReadOnly))
        return Result<AccountTokens>::failure(QStringLiteral("cannot read %1: %2").arg(file, input.errorString()));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(input.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return Result<AccountTokens>::failure(QStringLiteral("%1 is not valid JSON: %2").arg(file, parseError.errorString()));
    const QJsonObject tokensJson = document.object().value(QStringLiteral("tokens")).toObject();
    AccountTokens tokens;
    tokens.accessToken = firstOf(tokensJson, {"access_token", "accessToken"});
    tokens.refreshToken = firstOf(tokensJson, {"refresh_token", "refreshToken"});
    tokens.idToken = firstOf(tokensJson, {"id_token", "idToken"});
    tokens.chatgptAccountId = firstOf(tokensJson, {"account_id", "accountId"});
    if (tokens.accessToken.isEmpty())
        return Result<AccountTokens>::failure(
            QStringLiteral("%1 has no tokens.access_token (log in with the Codex CLI first)").arg(file));
    fillClaims(tokens);
    return tokens;
}

Result<AccountRecord> AccountService::importCodexAuth(const QString &path, const QString &name, const QUrl &baseUrl)
{
    const Result<AccountTokens> tokens = readCodexAuth(path);
    if (!tokens)
        return Result<AccountRecord>::failure(tokens.error());
    return saveChatGptLogin(tokens.value(), name, baseUrl);
}

Result<AccountRecord> AccountService::setToken(const QString &nameOrId, const QByteArray &token)
{
    Result<AccountRecord> record = find(nameOrId);
    if (!record)
        return record;
    if (token.trimmed().isEmpty())
        return Result<AccountRecord>::failure(QStringLiteral("the token is empty"));
    const SecretResult written = m_secrets.write(record.value().accessSecretName(), token.trimmed());
    if (!written.ok)
        return Result<AccountRecord>::failure(QStringLiteral("cannot store the token: %1").arg(written.message));
    if (record.value().state == Proxy::AccountState::NeedsReauth) {
        record.value().state = Proxy::AccountState::Active;
        record.value().stateReason.clear();
    }
    if (const Status updated = AccountRepository(m_database.connection()).update(record.value()); !updated)
        return Result<AccountRecord>::failure(updated.error());
    return record;
}

Result<AccountRecord> AccountService::setCaCertificates(const QString &nameOrId, const QByteArray &caCertificatesPem)
{
    Result<AccountRecord> record = find(nameOrId);
    if (!record)
        return record;
    if (record.value().isChatGpt())
        return Result<AccountRecord>::failure(
            QStringLiteral("\"%1\" is a ChatGPT account: a CA file is for OpenAI-compatible accounts").arg(record.value().name));
    const Result<QByteArray> caPem = checkedCaPem(caCertificatesPem, record.value().baseUrl);
    if (!caPem)
        return Result<AccountRecord>::failure(caPem.error());
    record.value().caCertificatesPem = caPem.value();
    if (const Status updated = AccountRepository(m_database.connection()).update(record.value()); !updated)
        return Result<AccountRecord>::failure(updated.error());
    return record;
}

Result<AccountRecord> AccountService::setPaused(const QString &nameOrId, bool paused)
{
    Result<AccountRecord> record = find(nameOrId);
    if (!record)
        return record;
    if (record.value().state == Proxy::AccountState::NeedsReauth && !paused)
        return Result<AccountRecord>::failure(
            QStringLiteral("\"%1\" needs a new login (%2): run `keygate accounts login` or `accounts set-token`")
                .arg(record.value().name, record.value().stateReason));
    record.value().state = paused ? Proxy::AccountState::Paused : Proxy::AccountState::Active;
    if (const Status status = AccountRepository(m_database.connection()).setState(record.value().id, record.value().state, {});
        !status)
        return Result<AccountRecord>::failure(status.error());
    return record;
}

Status AccountService::remove(const QString &nameOrId)
{
    const Result<AccountRecord> record = find(nameOrId);
    if (!record)
        return record.status();
    if (const Status removed = AccountRepository(m_database.connection()).remove(record.value().id); !removed)
        return removed;
    for (const QString &secret : {record.value().accessSecretName(), record.value().refreshSecretName(),
                                  record.value().idTokenSecretName()})
        m_secrets.remove(secret); // NotFound is fine: not every account has every token
    return Status::success();
}

Result<QList<AccountInfo>> AccountService::list() const
{
    const auto records = AccountRepository(m_database.connection()).list();
    if (!records)
        return Result<QList<AccountInfo>>::failure(records.error());
    QList<AccountInfo> infos;
    for (const AccountRecord &record : records.value()) {
        AccountInfo info;
        info.record = record;
        const SecretResult access = m_secrets.read(record.accessSecretName());
        info.tokenStored = access.ok && !access.value.isEmpty();
        if (!access.ok && access.error != SecretError::NotFound)
            info.secretProblem = access.message;
        const SecretResult refresh = m_secrets.read(record.refreshSecretName());
        info.refreshTokenStored = refresh.ok && !refresh.value.isEmpty();
        infos.append(info);
    }
    return infos;
}

Result<QList<Proxy::UpstreamAccount>> AccountService::loadPool() const
{
    const auto records = AccountRepository(m_database.connection()).list();
    if (!records)
        return Result<QList<Proxy::UpstreamAccount>>::failure(records.error());
    QList<Proxy::UpstreamAccount> pool;
    for (const AccountRecord &record : records.value()) {
        Proxy::UpstreamAccount account;
        account.id = record.id;
        account.name = record.name;
        account.priority = record.priority;
        account.state = record.state;
        account.upstream.kind = record.upstreamKind();
        account.upstream.baseUrl = record.baseUrl;
        account.upstream.accountId = record.chatgptAccountId;
        if (!record.caCertificatesPem.isEmpty()) {
            // Checked when stored; a row edited by hand that no longer parses trusts nothing extra.
            QString error;
            account.upstream.caCertificates = Proxy::CaBundle::parse(record.caCertificatesPem, &error).value_or(
                QList<QSslCertificate>());
            Proxy::CaBundle::warmSystemCertificates(); // here on the main thread, never on the proxy thread
        }
        if (record.state != Proxy::AccountState::NeedsReauth) {
            const SecretResult access = m_secrets.read(record.accessSecretName());
            if (access.ok)
                account.upstream.token = access.value;
            if (record.isChatGpt()) {
                const SecretResult refresh = m_secrets.read(record.refreshSecretName());
                account.refreshable = refresh.ok && !refresh.value.isEmpty();
            }
        }
        pool.append(account);
    }
    return pool;
}

Status AccountService::storeRefreshedTokens(qint64 id, const AccountTokens &tokens)
{
    const Result<AccountRecord> record = find(QString::number(id));
    if (!record)
        return record.status();
    AccountRecord updated = record.value();
    if (const Status written = writeTokens(updated, tokens); !written)
        return written;
    updated.lastRefreshAt = QDateTime::currentDateTimeUtc();
    updated.accessExpiresAt = tokens.accessExpiresAt;
    return AccountRepository(m_database.connection()).update(updated);
}

Status AccountService::markNeedsReauth(qint64 id, const QString &reason)
{
    return AccountRepository(m_database.connection()).setState(id, Proxy::AccountState::NeedsReauth, reason);
}

Status AccountService::writeTokens(const AccountRecord &record, const AccountTokens &tokens)
{
    // The refresh token first: when it rotated, the old one is already spent upstream.
    const QList<QPair<QString, QString>> secrets{{record.refreshSecretName(), tokens.refreshToken},
                                                 {record.idTokenSecretName(), tokens.idToken},
                                                 {record.accessSecretName(), tokens.accessToken}};
    for (const auto &[name, value] : secrets) {
        if (value.isEmpty())
            continue;
        const SecretResult written = m_secrets.write(name, value.toUtf8());
        if (!written.ok)
            return Status::failure(QStringLiteral("cannot store the account's tokens: %1").arg(written.message));
    }
    return Status::success();
}

} // namespace Core
