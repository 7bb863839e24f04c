// SPDX-License-Identifier: MIT
#pragma once

#include "tests/proxy/server/ProxyTestHarness.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

namespace Proxy {

/// A finished HTTP exchange with the proxy, as a real client (QNetworkAccessManager) saw it.
struct ProxyResponse
{
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers)
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonObject error() const { return json().value(u"error").toObject(); } ///< the OpenAI envelope's "error"
    QString errorCode() const { return error().value(u"code").toString(); }
};

/// Sends one request to the proxy on 127.0.0.1:@p port and waits for the whole answer.
inline ProxyResponse sendToProxy(QNetworkAccessManager &nam, quint16 port, const QByteArray &verb,
                                 const QByteArray &path, const QList<QPair<QByteArray, QByteArray>> &headers = {},
                                 const QByteArray &body = {})
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port) + QString::fromLatin1(path)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = body.isNull() ? nam.sendCustomRequest(request, verb)
                                         : nam.sendCustomRequest(request, verb, body);
    QSignalSpy done(reply, &QNetworkReply::finished);
    done.wait(15000);
    ProxyResponse out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    out.networkError = reply->error();
    out.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return out;
}

/// What Pi sends: a JWT-shaped placeholder as Bearer and the Keygate key (pi-laptop) in x-api-key.
inline QList<QPair<QByteArray, QByteArray>> piClientHeaders()
{
    return {{"Authorization", "Bearer " + ProxyTestHarness::PlaceholderJwt.toByteArray()},
            {"x-api-key", ProxyTestHarness::PiKey.toByteArray()},
            {"Accept", "text/event-stream"}};
}

} // namespace Proxy
