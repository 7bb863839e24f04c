// SPDX-License-Identifier: MIT
#pragma once
// What the raw-socket tests of the real proxy share (cross-site, Host, throttling, header leaks, auth
// before the body): a small streamed Responses body, the fake's canned answer to it, and one request
// sent on a fresh connection.

#include "tests/support/FakeUpstream.h"
#include "tests/support/RawHttpClient.h"

#include <optional>

namespace TestSupport {

inline const QByteArray Body = R"({"model":"gpt-5.4","stream":true,"input":[]})";

inline Proxy::FakeUpstream::Reply canned()
{
    return Proxy::FakeUpstream::Reply::sse(Proxy::FakeUpstream::responsesStream(
        QStringLiteral("gpt-5.4"), {QStringLiteral("Hi")}, {300, 100, 40, 10, 340}));
}

/// Connects @p client to the proxy on @p port, sends @p bytes and waits for the answer.
inline std::optional<RawHttpClient::Response> exchange(RawHttpClient &client, quint16 port, const QByteArray &bytes)
{
    if (!client.connectTo(port))
        return std::nullopt;
    client.send(bytes);
    return client.readResponse(5000);
}

} // namespace TestSupport
