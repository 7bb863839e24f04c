// SPDX-License-Identifier: MIT
#include "proxy/http/ListeningSocket.h"

namespace Proxy {

ListeningSocket::ListeningSocket(Callback callback, QObject *parent)
    : QTcpServer(parent)
    , m_callback(std::move(callback))
{
}

ListeningSocket::~ListeningSocket() = default;

void ListeningSocket::incomingConnection(qintptr socketDescriptor)
{
    m_callback(socketDescriptor);
}

} // namespace Proxy
