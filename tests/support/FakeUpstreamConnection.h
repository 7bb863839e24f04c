// SPDX-License-Identifier: MIT
#pragma once

#include "FakeUpstream.h"

#include <QByteArray>
#include <QObject>
#include <QTcpSocket>

namespace Proxy {

/// One accepted connection of a FakeUpstream; same thread as its owner.
class FakeUpstreamConnection final : public QObject
{
public:
    FakeUpstreamConnection(FakeUpstream *owner, QTcpSocket *socket, int id);

    int id() const { return m_id; }
    void abortNow() { m_socket->abort(); }
    /// Closes with a TCP RST instead of a FIN (SO_LINGER 0).
    void resetNow();

private:
    void parseNext();
    void writeHead();
    void nextEvent();
    void pumpHuge();
    void nextRaw();
    void pumpRawRepeat();
    void finishResponse();
    void closeOnPurpose();
    void onDisconnected();

    bool isChunked() const { return !m_reply.events.isEmpty() || m_reply.chunked; }

    FakeUpstream *m_owner;
    QTcpSocket *m_socket;
    int m_id;
    QByteArray m_in;
    FakeUpstream::Reply m_reply;
    int m_requestIndex = -1;
    int m_nextEvent = 0;
    qint64 m_hugeSent = 0;
    qint64 m_rawSent = 0;
    bool m_responding = false;
    bool m_closeAfter = false;
    bool m_closing = false;
    bool m_hugeActive = false;
    bool m_rawRepeating = false;
    bool m_isHead = false;
};

} // namespace Proxy
