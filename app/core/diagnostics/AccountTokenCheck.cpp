// SPDX-License-Identifier: MIT
#include "app/core/diagnostics/AccountTokenCheck.h"

#include "app/core/accounts/oauth/IdTokenClaims.h"

namespace Core {

namespace {

QString loginFix(const AccountRecord &record)
{
    return record.isChatGpt() ? QStringLiteral("keygate accounts login (or accounts import) to sign in again")
                              : QStringLiteral("keygate accounts set-token %1 --token-stdin").arg(record.name);
}

DiagnosticLine tokenLine(const AccountInfo &account)
{
    const AccountRecord &record = account.record;
    const QString check = AccountTokenCheck::checkName(record.name, QStringLiteral("token"));
    if (!account.secretProblem.isEmpty())
        return DiagnosticLine::fail(check, QStringLiteral("the secret store could not be asked: %1").arg(account.secretProblem),
                                    QStringLiteral("see \"secret store\""));
    if (!account.tokenStored)
        return DiagnosticLine::fail(check, QStringLiteral("no token in the secret store (%1)").arg(record.accessSecretName()),
                                    loginFix(record));
    if (record.state == Proxy::AccountState::NeedsReauth)
        return DiagnosticLine::fail(check,
                                    QStringLiteral("needs a new login: %1")
                                        .arg(record.stateReason.isEmpty() ? QStringLiteral("its refresh failed")
                                                                          : record.stateReason),
                                    loginFix(record));
    if (record.state == Proxy::AccountState::Paused)
        return DiagnosticLine::warn(check, QStringLiteral("stored, but the account is paused: no request uses it"),
                                    QStringLiteral("keygate accounts resume %1").arg(record.name));
    return DiagnosticLine::ok(check, QStringLiteral("stored in the secret store"));
}

} // namespace

DiagnosticLines AccountTokenCheck::run(const AccountInfo &account, const QByteArray &accessToken, const QDateTime &now)
{
    const AccountRecord &record = account.record;
    DiagnosticLines lines{tokenLine(account)};
    if (!account.tokenStored)
        return lines;
    const QString check = checkName(record.name, QStringLiteral("expiry"));
    QDateTime expires = record.accessExpiresAt;
    if (!expires.isValid())
        expires = IdTokenClaims::fromJwt(QString::fromLatin1(accessToken)).expiresAt;
    if (!expires.isValid()) {
        lines.append(DiagnosticLine::ok(check, record.isChatGpt() ? QStringLiteral("no expiry known")
                                                                  : QStringLiteral("an API key: no expiry")));
        return lines;
    }
    const QString when = expires.toUTC().toString(Qt::ISODate);
    const qint64 left = now.secsTo(expires);
    if (left <= 0) {
        if (account.refreshTokenStored)
            lines.append(DiagnosticLine::warn(
                check, QStringLiteral("access token expired %1; Keygate refreshes it on the next request").arg(when),
                QStringLiteral("nothing, unless the refresh fails: then %1").arg(loginFix(record))));
        else
            lines.append(DiagnosticLine::fail(check, QStringLiteral("token expired %1, no refresh token").arg(when),
                                              loginFix(record)));
    } else if (left < ExpiringSoonSeconds && !account.refreshTokenStored) {
        lines.append(DiagnosticLine::warn(check, QStringLiteral("token expires %1, no refresh token").arg(when),
                                          loginFix(record)));
    } else {
        lines.append(DiagnosticLine::ok(check, QStringLiteral("valid until %1").arg(when)));
    }
    return lines;
}

} // namespace Core
