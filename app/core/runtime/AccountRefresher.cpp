// SPDX-License-Identifier: MIT
#include "app/core/runtime/AccountRefresher.h"

#include "app/core/accounts/oauth/TokenRefresher.h"
#include "app/core/secrets/SecretStore.h"
#include "app/core/services/AccountService.h"
#include "app/core/storage/AccountRepository.h"
#include "app/core/storage/Database.h"

namespace Core {

namespace {
constexpr int ScheduleIntervalMs = 60'000;
}

AccountRefresher::AccountRefresher(Database &database, SecretStore &secrets, OAuthEndpoints endpoints,
                                   QObject *parent)
    : QObject(parent), m_database(database), m_secrets(secrets)
{
    m_refresher = new TokenRefresher(
        std::move(endpoints),
        [this](qint64 accountId, const AccountTokens &tokens) {
            return AccountService(m_database, m_secrets).storeRefreshedTokens(accountId, tokens).ok();
        },
        this);
    connect(m_refresher, &TokenRefresher::refreshed, this, [this](qint64 accountId, const AccountTokens &tokens) {
        emit tokenRefreshed(accountId, tokens.accessToken.toUtf8());
    });
    connect(m_refresher, &TokenRefresher::refreshFailed, this,
            [this](qint64 accountId, const QString &message, bool permanent) {
                if (permanent)
                    AccountService(m_database, m_secrets).markNeedsReauth(accountId, message);
                emit refreshFailed(accountId, message, permanent);
            });
    m_schedule.setInterval(ScheduleIntervalMs);
    connect(&m_schedule, &QTimer::timeout, this, [this] { refreshExpiring(); });
    m_schedule.start();
}

AccountRefresher::~AccountRefresher() = default;

void AccountRefresher::refresh(qint64 accountId)
{
    const auto record = AccountRepository(m_database.connection()).findById(accountId);
    if (!record || !record.value()) {
        emit refreshFailed(accountId, QStringLiteral("the account no longer exists"), false);
        return;
    }
    const SecretResult refreshToken = m_secrets.read(record.value()->refreshSecretName());
    if (!refreshToken.ok || refreshToken.value.isEmpty()) {
        emit refreshFailed(accountId, QStringLiteral("no refresh token is stored: %1").arg(refreshToken.message), false);
        return;
    }
    m_refresher->refresh(accountId, QString::fromUtf8(refreshToken.value));
}

bool AccountRefresher::isRefreshing(qint64 accountId) const
{
    return m_refresher->isRefreshing(accountId);
}

void AccountRefresher::refreshExpiring(int withinSeconds)
{
    const auto accounts = AccountRepository(m_database.connection()).list();
    if (!accounts)
        return;
    const QDateTime soon = QDateTime::currentDateTimeUtc().addSecs(withinSeconds);
    for (const AccountRecord &record : accounts.value())
        if (record.isChatGpt() && record.state == Proxy::AccountState::Active && record.accessExpiresAt.isValid()
            && record.accessExpiresAt <= soon && !m_refresher->isRefreshing(record.id))
            refresh(record.id);
}

} // namespace Core
