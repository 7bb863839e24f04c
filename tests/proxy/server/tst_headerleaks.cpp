// SPDX-License-Identifier: MIT
// Integration: headers that must not cross the proxy (OpenAI-Organization / OpenAI-Project either way)
// and the request id a client cannot choose, on the real proxy with a FakeUpstream started here.
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"
#include "tests/proxy/server/RawRequestTestSupport.h"
#include "tests/support/RawHttpClient.h"

using namespace Proxy;
using namespace TestSupport;

namespace {

std::optional<RawHttpClient::Response> post(RawHttpClient &client, const ProxyTestHarness &proxy,
                                            QList<QByteArray> headerLines)
{
    if (!client.connectTo(proxy.port))
        return std::nullopt;
    headerLines.prepend("Authorization: Bearer " + ProxyTestHarness::PiKey.toByteArray());
    client.send(proxy.rawPost("/v1/responses", Body, headerLines));
    return client.readResponse(5000);
}

std::optional<AuthTrace> traceOf(const ProxyTestHarness &proxy, const QByteArray &requestId)
{
    for (const AuthTrace &trace : proxy.allTraces())
        if (trace.requestId.toLatin1() == requestId)
            return trace;
    return std::nullopt;
}

} // namespace

class tst_HeaderLeaks final : public QObject
{
    Q_OBJECT

private slots:
    void clientOrganizationAndProject_neverForwarded_data();
    void clientOrganizationAndProject_neverForwarded();
    void upstreamOrganizationAndProject_neverRelayedBack();
    void clientRequestId_notKeygatesId_keptInTrace();
    void clientRequestId_longOrUnprintable_cutAndSanitised();
};

void tst_HeaderLeaks::clientOrganizationAndProject_neverForwarded_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("codex account") << int(UpstreamConfig::Kind::Codex);
    QTest::newRow("openai-compatible account") << int(UpstreamConfig::Kind::OpenAI);
}

void tst_HeaderLeaks::clientOrganizationAndProject_neverForwarded()
{
    QFETCH(int, kind);
    FakeUpstream fake;
    fake.setDefaultReply(canned());
    ProxyTestHarness proxy;
    proxy.useUpstream(fake.baseUrl(), UpstreamConfig::Kind(kind));
    QVERIFY(proxy.start());

    RawHttpClient client;
    // Every spelling and a duplicate: a hostile key holder trying to bill another organization.
    const auto response = post(client, proxy,
                               {"OpenAI-Organization: org-victim", "openai-project: proj_victim",
                                "OPENAI-ORGANIZATION: org-other", "X-Kept: yes"});
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QCOMPARE(fake.requestCount(), 1);
    const HttpHeaders &forwarded = fake.lastRequest().headers;
    QVERIFY(!forwarded.contains("openai-organization"));
    QVERIFY(!forwarded.contains("openai-project"));
    QCOMPARE(forwarded.value("x-kept"), QByteArray("yes")); // the filter is not a blanket one
}

void tst_HeaderLeaks::upstreamOrganizationAndProject_neverRelayedBack()
{
    FakeUpstream fake;
    FakeUpstream::Reply reply = canned();
    reply.headers.append("openai-organization", "user-abc123");
    reply.headers.append("OpenAI-Project", "proj_upstream");
    reply.headers.append("openai-processing-ms", "42");
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, reply));

    RawHttpClient client;
    const auto response = post(client, proxy, {});
    QVERIFY(response);
    QCOMPARE(response->status, 200);
    QVERIFY(!response->headers.contains("openai-organization"));
    QVERIFY(!response->headers.contains("openai-project"));
    QCOMPARE(response->headers.value("openai-processing-ms"), QByteArray("42"));
}

void tst_HeaderLeaks::clientRequestId_notKeygatesId_keptInTrace()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));

    QList<QByteArray> ids;
    for (int i = 0; i < 2; ++i) { // the same client id twice: two different Keygate ids
        RawHttpClient client;
        const auto response = post(client, proxy, {"x-request-id: client-id-7"});
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        const QByteArray id = response->headers.value("x-request-id");
        QVERIFY2(id.startsWith("req_"), id.constData());
        ids.append(id);
    }
    QVERIFY(ids[0] != ids[1]);
    QTRY_VERIFY(traceOf(proxy, ids[1]).has_value());
    const AuthTrace trace = *traceOf(proxy, ids[1]);
    QCOMPARE(trace.clientRequestId, QStringLiteral("client-id-7"));
    QVERIFY(trace.summary().endsWith(QStringLiteral("(client x-request-id \"client-id-7\")")));
    QTRY_VERIFY(proxy.allRecords().size() == 2);
    for (const RequestRecord &record : proxy.allRecords())
        QVERIFY(ids.contains(record.requestId.toLatin1()));
}

void tst_HeaderLeaks::clientRequestId_longOrUnprintable_cutAndSanitised()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, canned()));

    RawHttpClient client;
    const QByteArray hostile = "a\"b\x80\tx" + QByteArray(200, 'x'); // obs-text and a tab
    const auto response = post(client, proxy, {"x-request-id: " + hostile});
    QVERIFY(response);
    const QByteArray id = response->headers.value("x-request-id");
    QVERIFY(id.startsWith("req_"));
    QTRY_VERIFY(traceOf(proxy, id).has_value());
    const QString kept = traceOf(proxy, id)->clientRequestId;
    QCOMPARE(kept.size(), 65); // 64 characters and "…"
    QVERIFY(kept.startsWith(QStringLiteral("a\"b??xxx")));
    QVERIFY(kept.endsWith(u'\u2026'));
}

QTEST_GUILESS_MAIN(tst_HeaderLeaks)
#include "tst_headerleaks.moc"
