// SPDX-License-Identifier: MIT
// Integration: ProxyController::moveListener on the real proxy thread. The new socket is opened
// before the old one closes: a taken port leaves the proxy serving where it was, a free one moves
// it, and connections accepted before the move go on.
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"
#include "tests/support/RawHttpClient.h"

#include <QTcpServer>

using namespace Proxy;
using namespace TestSupport;

namespace {

QByteArray healthRequest(quint16 port)
{
    return "GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n\r\n";
}

/// The status of GET /health on a fresh connection to @p address:@p port (0: no answer).
int healthStatus(quint16 port)
{
    RawHttpClient client;
    if (!client.connectTo(port))
        return 0;
    client.send(healthRequest(port));
    const auto response = client.readResponse(5000);
    return response ? response->status : 0;
}

bool refusesConnections(const QHostAddress &address, quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(address, port);
    return !socket.waitForConnected(3000) && socket.error() == QAbstractSocket::ConnectionRefusedError;
}

} // namespace

class tst_ListenerMove final : public QObject
{
    Q_OBJECT

private slots:
    void moveListener_portTaken_failsAndOldListenerServes()
    {
        FakeUpstream fake;
        ProxyTestHarness proxy;
        QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::json({})));
        QTcpServer occupant;
        QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
        QSignalSpy failed(&proxy.controller, &ProxyController::listenerMoveFailed);
        QSignalSpy moved(&proxy.controller, &ProxyController::listenerMoved);
        QSignalSpy down(&proxy.controller, &ProxyController::failed);
        proxy.controller.moveListener(QHostAddress::LocalHost, occupant.serverPort());
        QVERIFY(failed.wait(5000));
        const QString message = failed.first().first().toString();
        QVERIFY2(
            message.startsWith(QStringLiteral("cannot listen on 127.0.0.1:%1: ").arg(occupant.serverPort())),
            qPrintable(message));
        QCOMPARE(healthStatus(proxy.port), 200);
        QVERIFY(moved.isEmpty());
        QVERIFY(down.isEmpty());
    }

    void moveListener_freePort_movesKeepsOpenConnectionClosesOldPort()
    {
        FakeUpstream fake;
        ProxyTestHarness proxy;
        QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::json({})));
        RawHttpClient open; // a keep-alive connection accepted before the move
        QVERIFY(open.connectTo(proxy.port));
        open.send(healthRequest(proxy.port));
        QCOMPARE(open.readResponse(5000)->status, 200);

        quint16 target = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            target = probe.serverPort();
        }
        QSignalSpy moved(&proxy.controller, &ProxyController::listenerMoved);
        proxy.controller.moveListener(QHostAddress::LocalHost, target);
        QVERIFY(moved.wait(5000));
        QCOMPARE(moved.first().first().toString(), QStringLiteral("127.0.0.1:%1").arg(target));
        QCOMPARE(healthStatus(target), 200);
        QVERIFY(refusesConnections(QHostAddress::LocalHost, proxy.port));
        open.send(healthRequest(proxy.port)); // the connection from before the move still works
        const auto again = open.readResponse(5000);
        QVERIFY(again);
        QCOMPARE(again->status, 200);
    }

    void moveListener_samePortAnyAddress_movesThroughTheRelease()
    {
        FakeUpstream fake;
        ProxyTestHarness proxy;
        QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::json({})));
        QSignalSpy moved(&proxy.controller, &ProxyController::listenerMoved);
        proxy.controller.moveListener(QHostAddress::AnyIPv4, proxy.port);
        QVERIFY(moved.wait(5000));
        QCOMPARE(moved.first().first().toString(), QStringLiteral("0.0.0.0:%1").arg(proxy.port));
        QCOMPARE(healthStatus(proxy.port), 200);
    }

    void moveListener_samePortAnyAddressTaken_retakesTheOldAddress()
    {
        FakeUpstream fake;
        ProxyTestHarness proxy;
        QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::json({})));
        QTcpServer occupant; // 127.0.0.2 is loopback too on Linux: 0.0.0.0 cannot take the port
        if (!occupant.listen(QHostAddress(QStringLiteral("127.0.0.2")), proxy.port))
            QSKIP("127.0.0.2 is not usable here");
        QSignalSpy failed(&proxy.controller, &ProxyController::listenerMoveFailed);
        QSignalSpy down(&proxy.controller, &ProxyController::failed);
        proxy.controller.moveListener(QHostAddress::AnyIPv4, proxy.port);
        QVERIFY(failed.wait(5000));
        QVERIFY2(failed.first().first().toString().startsWith(u"cannot listen on 0.0.0.0:"),
                 qPrintable(failed.first().first().toString()));
        QVERIFY(down.isEmpty());
        QCOMPARE(healthStatus(proxy.port), 200);
    }
};

QTEST_GUILESS_MAIN(tst_ListenerMove)
#include "tst_listenermove.moc"
