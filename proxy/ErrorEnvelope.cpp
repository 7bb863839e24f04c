// SPDX-License-Identifier: MIT
#include "proxy/ErrorEnvelope.h"

#include <QJsonDocument>

namespace Proxy {

QByteArray errorEnvelope(const QString &message, const QString &type, const QString &code,
                         const QJsonObject &extra)
{
    QJsonObject error = extra;
    error.insert(QStringLiteral("message"), message);
    error.insert(QStringLiteral("type"), type);
    error.insert(QStringLiteral("code"), code);
    return QJsonDocument(QJsonObject{{QStringLiteral("error"), error}}).toJson(QJsonDocument::Compact);
}

} // namespace Proxy
