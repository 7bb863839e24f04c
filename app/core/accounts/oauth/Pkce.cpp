// SPDX-License-Identifier: MIT
#include "app/core/accounts/oauth/Pkce.h"

#include "app/core/accounts/oauth/OAuthEndpoints.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

namespace Core {

namespace {

constexpr qsizetype RandomBytes = 32;

QByteArray base64Url(const QByteArray &bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray systemRandomBytes(qsizetype count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    // QRandomGenerator::system() reads the OS CSPRNG (getrandom / BCryptGenRandom / arc4random).
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), count / 4);
    return bytes;
}

} // namespace

QByteArray Pkce::generateVerifier()
{
    return verifierFromBytes(systemRandomBytes(RandomBytes));
}

QByteArray Pkce::verifierFromBytes(const QByteArray &randomBytes)
{
    return base64Url(randomBytes);
}

QByteArray Pkce::challengeFor(const QByteArray &verifier)
{
    return base64Url(QCryptographicHash::hash(verifier, QCryptographicHash::Sha256));
}

QString Pkce::generateState()
{
    return QString::fromLatin1(base64Url(systemRandomBytes(RandomBytes)));
}

QUrl Pkce::authorizeUrl(const OAuthEndpoints &endpoints, const QByteArray &challenge, const QString &state)
{
    // Every value fully percent-encoded (as the Codex CLI sends it), so ':' '/' '+' and spaces in
    // redirect_uri and scope never depend on how a server reads a query.
    const QList<QPair<QByteArray, QString>> items = {
        {"response_type", QStringLiteral("code")},
        {"client_id", endpoints.clientId},
        {"redirect_uri", endpoints.redirectUri.toString(QUrl::FullyEncoded)},
        {"scope", endpoints.authorizeScope},
        {"code_challenge", QString::fromLatin1(challenge)},
        {"code_challenge_method", QStringLiteral("S256")},
        {"state", state},
        {"id_token_add_organizations", QStringLiteral("true")},
        {"codex_cli_simplified_flow", QStringLiteral("true")},
        {"originator", endpoints.originator},
    };
    QByteArray query;
    for (const auto &[name, value] : items) {
        if (!query.isEmpty())
            query += '&';
        query += name + '=' + QUrl::toPercentEncoding(value);
    }
    QUrl url = endpoints.authorizeUrl();
    url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    return url;
}

} // namespace Core
