// SPDX-License-Identifier: MIT
#pragma once
// What the UpstreamClient tests (tst_upstreamclient, tst_upstreamclientconnections) share: a recorder of
// one exchange's signals, generous timeouts and a request to a FakeUpstream.

#include "proxy/upstream/UpstreamExchange.h"
#include "tests/support/FakeUpstream.h"

namespace TestSupport {

using Proxy::FakeUpstream;
using Proxy::HttpHeaders;
using Proxy::UpstreamError;
using Proxy::UpstreamExchange;
using Proxy::UpstreamRequest;
using Proxy::UpstreamTimeouts;

/// Collects everything one exchange emits.
struct Recorder final
{
    int status = -1;
    HttpHeaders headers;
    QByteArray body;
    int heads = 0;
    int bodies = 0;
    int finishes = 0;
    int failures = 0;
    int signalsAfterAbort = 0;
    bool aborted = false;
    UpstreamError error;
    qint64 firstBodyAt = -1;
    qint64 doneAt = -1;

    bool done() const { return finishes + failures > 0; }

    void attach(UpstreamExchange *x)
    {
        QObject::connect(x, &UpstreamExchange::headReceived, x, [this](int s, const HttpHeaders &h) {
            signalsAfterAbort += aborted;
            ++heads;
            status = s;
            headers = h;
        });
        QObject::connect(x, &UpstreamExchange::bodyReceived, x, [this](const QByteArray &d) {
            signalsAfterAbort += aborted;
            if (firstBodyAt < 0)
                firstBodyAt = FakeUpstream::clockMs();
            ++bodies;
            body += d;
        });
        QObject::connect(x, &UpstreamExchange::finished, x, [this] {
            signalsAfterAbort += aborted;
            ++finishes;
            doneAt = FakeUpstream::clockMs();
        });
        QObject::connect(x, &UpstreamExchange::failed, x, [this](const UpstreamError &e) {
            signalsAfterAbort += aborted;
            ++failures;
            error = e;
            doneAt = FakeUpstream::clockMs();
        });
    }
};

inline UpstreamTimeouts testTimeouts()
{
    UpstreamTimeouts t;
    t.connectMs = 5'000;
    t.firstByteMs = 5'000;
    t.idleMs = 5'000;
    return t;
}

inline UpstreamRequest request(const FakeUpstream &fake, const QString &path,
                               const QByteArray &method = "POST", const QByteArray &body = QByteArray())
{
    UpstreamRequest r;
    r.method = method;
    r.url = fake.baseUrl().resolved(QUrl(path));
    r.body = body;
    return r;
}

} // namespace TestSupport
