// SPDX-License-Identifier: MIT
#include "app/core/accounts/oauth/IdTokenClaims.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Core {

namespace {

constexpr auto AuthClaim = QLatin1StringView("https://api.openai.com/auth");

} // namespace

IdTokenClaims IdTokenClaims::fromJwt(const QString &jwt)
{
    IdTokenClaims claims;
    const QStringList parts = jwt.trimmed().split(u'.');
    if (parts.size() != 3)
        return claims;
    const auto payload = QByteArray::fromBase64Encoding(
        parts.at(1).toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!payload)
        return claims;
    const QJsonDocument document = QJsonDocument::fromJson(*payload);
    if (!document.isObject())
        return claims;
    const QJsonObject root = document.object();
    claims.decoded = true;
    claims.email = root.value(u"email").toString();
    const QJsonObject auth = root.value(AuthClaim).toObject();
    claims.chatgptAccountId = auth.value(u"chatgpt_account_id").toString();
    claims.planType = auth.value(u"chatgpt_plan_type").toString();
    claims.chatgptUserId = auth.value(u"chatgpt_user_id").toString();
    if (claims.chatgptUserId.isEmpty())
        claims.chatgptUserId = auth.value(u"user_id").toString();
    const QJsonValue exp = root.value(u"exp");
    if (exp.isDouble() && exp.toDouble() > 0)
        claims.expiresAt = QDateTime::fromSecsSinceEpoch(qint64(exp.toDouble()), Qt::UTC);
    return claims;
}

} // namespace Core
