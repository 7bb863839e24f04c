// SPDX-License-Identifier: MIT
// Integration: an OpenAI-compatible account at https://localhost:<port> — the real proxy thread, a local
// HTTPS upstream presenting certificates made by a test CA (TestPki), and a real HTTP client. Certificate
// verification is always on: the account's extra CA is the only way in, and every refusal is a 502
// whose message names the cause.
#include "tests/proxy/server/ProxyTestClient.h"
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/TlsUpstream.h"

#include <QNetworkAccessManager>

using namespace Proxy;
using namespace TestSupport;

namespace {

const QByteArray Body = R"({"model":"gpt-5.4","input":"hi"})";

} // namespace

class tst_UpstreamTls final : public QObject
{
    Q_OBJECT

private:
    /// Starts the proxy with one OpenAI-kind account at @p upstream, trusting @p cas besides the system CAs,
    /// and sends one request.
    ProxyResponse ask(const TlsUpstream &upstream, const QList<QSslCertificate> &cas)
    {
        ProxyTestHarness harness;
        harness.useUpstream(upstream.baseUrl(), UpstreamConfig::Kind::OpenAI);
        harness.config.accounts.first().upstream.caCertificates = cas;
        if (harness.start() == 0)
            return {};
        QNetworkAccessManager nam;
        const ProxyResponse response = sendToProxy(nam, harness.port, "POST", "/v1/responses", piClientHeaders(), Body);
        m_outcome.clear();
        if (QTest::qWaitFor([&harness] { return !harness.allRecords().isEmpty(); }, 5000))
            m_outcome = harness.allRecords().constLast().outcome;
        return response;
    }

    /// A TLS upstream presenting @p leaf.
    std::unique_ptr<TlsUpstream> upstreamWith(const std::optional<TestPki::Leaf> &leaf)
    {
        auto upstream = std::make_unique<TlsUpstream>();
        QString why;
        if (!leaf || !upstream->listen(*leaf, &why))
            return nullptr;
        return upstream;
    }

    TestPki m_pki;
    QString m_outcome; ///< the usage record's outcome of the last ask()

private slots:
    void initTestCase();
    void caSigned_withoutCa_502NotTrusted();
    void caSigned_withCa_200Relayed();
    void otherHostname_withCa_502DoesNotMatchLocalhost();
    void selfSigned_withCa_502SelfSigned();
};

void tst_UpstreamTls::initTestCase()
{
    QString why;
    if (!m_pki.setUp(&why))
        QSKIP(qPrintable(why));
}

void tst_UpstreamTls::caSigned_withoutCa_502NotTrusted()
{
    QString why;
    const auto upstream = upstreamWith(m_pki.issue(QStringLiteral("localhost"), &why));
    QVERIFY2(upstream, qPrintable(why));
    const ProxyResponse response = ask(*upstream, {});
    QCOMPARE(response.status, 502);
    QCOMPARE(response.errorCode(), QStringLiteral("upstream_unavailable"));
    const QString message = response.error().value(u"message").toString();
    QVERIFY2(message.contains(u"upstream TLS certificate is not trusted"), qPrintable(message));
    QVERIFY2(!message.contains(u"does not match"), qPrintable(message));
    QCOMPARE(upstream->requests, 0);
    QCOMPARE(m_outcome, QStringLiteral("upstream_error"));
}

void tst_UpstreamTls::caSigned_withCa_200Relayed()
{
    QString why;
    const auto upstream = upstreamWith(m_pki.issue(QStringLiteral("localhost"), &why));
    QVERIFY2(upstream, qPrintable(why));
    const ProxyResponse response = ask(*upstream, {m_pki.ca()});
    QVERIFY2(response.status == 200, response.body.constData());
    QCOMPARE(response.json().value(u"id").toString(), QStringLiteral("resp_tls"));
    QCOMPARE(upstream->requests, 1);
    QVERIFY(upstream->lastHead.startsWith("POST /v1/responses HTTP/1.1"));
    QVERIFY(upstream->lastHead.contains("Authorization: Bearer upstream-token"));
}

void tst_UpstreamTls::otherHostname_withCa_502DoesNotMatchLocalhost()
{
    QString why;
    const auto upstream = upstreamWith(m_pki.issue(QStringLiteral("other.example"), &why));
    QVERIFY2(upstream, qPrintable(why));
    const ProxyResponse response = ask(*upstream, {m_pki.ca()});
    QCOMPARE(response.status, 502);
    const QString message = response.error().value(u"message").toString();
    QVERIFY2(message.contains(u"upstream TLS certificate does not match localhost"), qPrintable(message));
    QVERIFY2(!message.contains(u"not trusted"), qPrintable(message)); // the CA vouches for it: only the name is wrong
    QCOMPARE(upstream->requests, 0);
    QCOMPARE(m_outcome, QStringLiteral("upstream_error"));
}

void tst_UpstreamTls::selfSigned_withCa_502SelfSigned()
{
    QString why;
    const auto upstream = upstreamWith(m_pki.selfSigned(QStringLiteral("localhost"), &why));
    QVERIFY2(upstream, qPrintable(why));
    const ProxyResponse response = ask(*upstream, {m_pki.ca()}); // another CA does not vouch for it
    QCOMPARE(response.status, 502);
    const QString message = response.error().value(u"message").toString();
    QVERIFY2(message.contains(u"upstream TLS certificate is self-signed and not trusted"), qPrintable(message));
    QCOMPARE(upstream->requests, 0);
}

QTEST_GUILESS_MAIN(tst_UpstreamTls)
#include "tst_upstreamtls.moc"
