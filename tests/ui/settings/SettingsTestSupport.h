// SPDX-License-Identifier: MIT
#pragma once

#include "tests/ui/support/ConsoleHarness.h"

#include "app/core/storage/SettingsRepository.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

/// What the listen tests (Settings page, window banner) share: a port nothing listens on, the settings
/// as stored, whether a port answers, and a proxy that could not start.
namespace SettingsTestSupport {

inline quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort(); // closed again when probe goes out of scope
}

inline Core::StoredSettings stored(Console::ConsoleHarness &console)
{
    return Core::SettingsRepository(console.runtime().database().connection()).load().value();
}

/// The HTTP status of GET /v1/models on @p port without a key (401 from a live proxy), 0 when
/// nothing answered.
inline int httpStatus(quint16 port)
{
    QNetworkAccessManager network;
    QNetworkReply *reply =
        network.get(QNetworkRequest(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/models").arg(port))));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        reply->abort();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    delete reply;
    return status;
}

/// The stored port is @p occupant's, taken while Keygate was closed: restarts the proxy there and
/// waits for it to fail. False when the setting could not be stored or the proxy did not fail.
inline bool failToStartOn(Console::ConsoleHarness &console, const QTcpServer &occupant)
{
    if (!Core::SettingsRepository(console.runtime().database().connection())
             .setListen(QStringLiteral("127.0.0.1:%1").arg(occupant.serverPort()))
             .ok())
        return false;
    QSignalSpy failed(&console.runtime(), &Core::ProxyRuntime::failed);
    console.runtime().restartProxy(0);
    return failed.wait(5000);
}

} // namespace SettingsTestSupport
