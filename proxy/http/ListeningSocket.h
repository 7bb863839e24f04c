// SPDX-License-Identifier: MIT
#pragma once

#include <QTcpServer>

#include <functional>

namespace Proxy {

/// The listening socket of HttpServer (private to proxy/http): hands every accepted descriptor to
/// a callback instead of queueing QTcpSockets, so the server decides at once (cap → 503).
class ListeningSocket final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ListeningSocket)

public:
    using Callback = std::function<void(qintptr)>;

    explicit ListeningSocket(Callback callback, QObject *parent = nullptr);
    ~ListeningSocket() override;

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    Callback m_callback;
};

} // namespace Proxy
