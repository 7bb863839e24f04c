// SPDX-License-Identifier: MIT
#pragma once
// What the tst_proxyserver* tests send and script: a streaming Responses request body, the canned
// upstream stream and Pi's full header set.

#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"

namespace TestSupport {

using Proxy::FakeUpstream;
using Proxy::ProxyTestHarness;

inline const QByteArray StreamBody = R"({"model":"gpt-5.4","stream":true,"store":false,"input":[]})";

inline FakeUpstream::Reply canned(int delayMs = 0)
{
    return FakeUpstream::Reply::sse(
        FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"), {QStringLiteral("Hel"), QStringLiteral("lo")},
                                      {1200, 1000, 80, 30, 1280}),
        delayMs);
}

/// Pi's full header set (piClientHeaders() plus the Codex-specific ones and a cookie to strip).
inline QList<QPair<QByteArray, QByteArray>> piHeaders()
{
    return {{"Authorization", "Bearer " + ProxyTestHarness::PlaceholderJwt.toByteArray()},
            {"x-api-key", ProxyTestHarness::PiKey.toByteArray()},
            {"chatgpt-account-id", "proxy"},
            {"originator", "pi"},
            {"session_id", "sess-1"},
            {"Cookie", "secret=1"},
            {"Accept", "text/event-stream"}};
}

} // namespace TestSupport
