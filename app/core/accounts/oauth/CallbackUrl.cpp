// SPDX-License-Identifier: MIT
#include "app/core/accounts/oauth/CallbackUrl.h"

#include <QUrlQuery>

namespace Core {

namespace {

constexpr qsizetype MaxErrorChars = 200;

QString value(const QUrlQuery &query, const QString &key)
{
    return query.queryItemValue(key, QUrl::FullyDecoded).trimmed();
}

Result<CallbackParams> fromQuery(const QUrlQuery &query)
{
    const QString error = value(query, QStringLiteral("error"));
    if (!error.isEmpty()) {
        QString description = value(query, QStringLiteral("error_description"));
        description.replace(u'+', u' ');
        description = description.simplified().left(MaxErrorChars);
        return Result<CallbackParams>::failure(
            description.isEmpty()
                ? QStringLiteral("the sign-in was refused (%1)").arg(error.left(MaxErrorChars))
                : QStringLiteral("the sign-in was refused: %1 (%2)")
                      .arg(description, error.left(MaxErrorChars)));
    }
    CallbackParams params;
    params.code = value(query, QStringLiteral("code"));
    params.state = value(query, QStringLiteral("state"));
    if (params.code.isEmpty())
        return Result<CallbackParams>::failure(
            QStringLiteral("the callback URL carries no authorization code (copy the whole address from the "
                           "browser after signing in)"));
    return params;
}

} // namespace

Result<CallbackParams> CallbackUrl::parse(const QUrl &url)
{
    return fromQuery(QUrlQuery(url.query(QUrl::FullyEncoded)));
}

Result<CallbackParams> CallbackUrl::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return Result<CallbackParams>::failure(QStringLiteral("no callback URL was given"));
    const qsizetype questionMark = trimmed.indexOf(u'?');
    QString query = questionMark >= 0 ? trimmed.mid(questionMark + 1) : trimmed;
    const qsizetype fragment = query.indexOf(u'#');
    if (fragment >= 0)
        query.truncate(fragment);
    if (!query.contains(u'='))
        return Result<CallbackParams>::failure(
            QStringLiteral("that is not a callback URL (expected …/auth/callback?code=…&state=…)"));
    return fromQuery(QUrlQuery(query));
}

} // namespace Core
