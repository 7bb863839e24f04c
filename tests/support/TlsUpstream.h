// SPDX-License-Identifier: MIT
#pragma once

#include "tests/support/TestPki.h"

#include <QByteArray>
#include <QSslServer>
#include <QUrl>

namespace TestSupport {

/// An HTTPS upstream for tests on 127.0.0.1:<ephemeral> presenting a given certificate
/// (TestPki::Leaf): every complete request (Content-Length bodies) is answered 200 with
/// @ref responseBody as JSON, on a keep-alive connection. Lives on the thread that creates it.
class TlsUpstream final
{
public:
    /// Listens with @p leaf; false with @p why on failure.
    bool listen(const TestPki::Leaf &leaf, QString *why);

    /// https://localhost:<port>/v1 — "localhost" is the name the certificate is checked against.
    QUrl baseUrl() const;

    QByteArray responseBody = R"({"id":"resp_tls","object":"response","status":"completed","output":[],)"
                              R"("usage":{"input_tokens":3,"output_tokens":2,"total_tokens":5}})";
    int handshakes = 0;   ///< TLS handshakes completed
    int requests = 0;     ///< requests answered
    QByteArray lastHead;  ///< request line and headers of the last request

private:
    void serve(QSslSocket *socket);

    QSslServer m_server;
};

} // namespace TestSupport
