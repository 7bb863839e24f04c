// SPDX-License-Identifier: MIT
// End to end: a key's limit counts survive a restart — the real runtime (store + proxy threads),
// SQLite in a temporary directory and a fake upstream; the second runtime rebuilds its counts from
// the request log alone.
#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/services/AccountService.h"
#include "app/core/services/KeyPolicyService.h"
#include "app/core/services/KeyService.h"
#include "app/core/services/UsageResetService.h"
#include "app/core/storage/UsageRepository.h"
#include "app/core/storage/SettingsRepository.h"
#include "tests/support/FakeUpstream.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Core;
using Proxy::FakeUpstream;

class tst_LimitRestart final : public QObject
{
    Q_OBJECT

private:
    static quint16 start(ProxyRuntime &runtime)
    {
        QSignalSpy listening(&runtime, &ProxyRuntime::listening);
        runtime.restartProxy(0);
        if (!listening.wait(5000))
            return 0;
        return quint16(runtime.stateDetail().section(u':', -1).toUInt());
    }

    static void answer1280Tokens(FakeUpstream &upstream)
    {
        upstream.setDefaultReply(FakeUpstream::Reply::sse(
            FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"), {QStringLiteral("hi")}, {1200, 0, 80, 0, 1280})));
    }

    /// Listens on an ephemeral port, relays to @p upstream, and has key "pi" limited to 1,000 tokens a day.
    static bool addUpstreamAndLimitedKey(ProxyRuntime &runtime, const FakeUpstream &upstream, QByteArray &key,
                                         qint64 &keyId)
    {
        SettingsRepository(runtime.database().connection()).setListen(QStringLiteral("127.0.0.1:0"));
        if (!AccountService(runtime.database(), runtime.secrets())
                 .addOpenAI(QStringLiteral("up"), upstream.baseUrl(), "sk-upstream"))
            return false;
        const auto created = KeyService(runtime.database(), runtime.secrets()).create(QStringLiteral("pi"));
        if (!created)
            return false;
        key = created.value().plaintext.toLatin1();
        keyId = created.value().record.id;
        return bool(KeyPolicyService(runtime.database())
                        .addLimit(keyId, Proxy::LimitType::TotalTokens, Proxy::LimitWindow::Day, 1000));
    }

    static int post(quint16 port, const QByteArray &key)
    {
        QNetworkAccessManager network;
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setRawHeader("x-api-key", key);
        QNetworkReply *reply = network.post(request, QByteArrayLiteral("{\"model\":\"gpt-5.4\",\"stream\":true,\"input\":[]}"));
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 15000))
            reply->abort();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        delete reply;
        return status;
    }

private slots:
    void limitCounts_rebuiltFromTheStoreAfterRestart()
    {
        QTemporaryDir dir;
        FakeUpstream upstream;
        answer1280Tokens(upstream);
        QByteArray key;
        qint64 keyId = 0;
        {
            ProxyRuntime runtime(dir.path(), QStringLiteral("file"));
            QVERIFY(runtime.open().ok());
            QVERIFY(addUpstreamAndLimitedKey(runtime, upstream, key, keyId));
            const quint16 port = start(runtime);
            QVERIFY(port != 0);
            QSignalSpy recorded(&runtime, &ProxyRuntime::requestsRecorded);
            QCOMPARE(post(port, key), 200);
            QVERIFY(recorded.count() > 0 || recorded.wait(5000)); // the batch may come before the reply ends
            QCOMPARE(post(port, key), 429);
            QVERIFY(runtime.shutdown()); // everything written
        }
        ProxyRuntime restarted(dir.path(), QStringLiteral("file"));
        QVERIFY(restarted.open().ok());
        const QList<Proxy::LimitStatus> fromLog = restarted.limitStatuses(keyId); // proxy not running: SQL
        QCOMPARE(fromLog.size(), 1);
        QCOMPARE(fromLog.first().current, 1280);
        const quint16 port = start(restarted);
        QVERIFY(port != 0);
        QCOMPARE(post(port, key), 429);
        QCOMPARE(upstream.requestCount(), 1);
        QTRY_COMPARE(restarted.limitStatuses(keyId).first().current, 1280);
        restarted.shutdown();
    }

    void usageReset_appliedAtOnce_survivesRestart_historyKept()
    {
        QTemporaryDir dir;
        FakeUpstream upstream;
        answer1280Tokens(upstream);
        QByteArray key;
        qint64 keyId = 0;
        {
            ProxyRuntime runtime(dir.path(), QStringLiteral("file"));
            QVERIFY(runtime.open().ok());
            QVERIFY(addUpstreamAndLimitedKey(runtime, upstream, key, keyId));
            const quint16 port = start(runtime);
            QVERIFY(port != 0);
            QCOMPARE(post(port, key), 200);
            QCOMPARE(post(port, key), 429); // settled before the response completed

            QSignalSpy traced(&runtime, &ProxyRuntime::authTraced);
            QVERIFY(UsageResetService(runtime.database()).reset(keyId, std::nullopt, UsageResetService::Origin::Console));
            runtime.publishKeys(); // what the Keys page does; the store's poll does it for the CLI
            QCOMPARE(post(port, key), 200);
            QCOMPARE(post(port, key), 429); // the new window's 1,280 tokens are counted
            QVERIFY(std::any_of(traced.cbegin(), traced.cend(), [](const QList<QVariant> &arguments) {
                const auto traces = arguments.first().value<QList<Proxy::AuthTrace>>();
                return !traces.isEmpty() && traces.first().verdict == Proxy::AuthVerdict::Reset;
            }));
            QVERIFY(runtime.shutdown());
        }
        ProxyRuntime restarted(dir.path(), QStringLiteral("file"));
        QVERIFY(restarted.open().ok());
        QCOMPARE(restarted.limitStatuses(keyId).first().current, 1280); // from the log: after the reset only
        const auto totals = UsageRepository(restarted.database().connection()).totalsByKey();
        QVERIFY(totals);
        QCOMPARE(totals.value().value(keyId).total, 2 * 1280); // history and totals are kept
        const quint16 port = start(restarted);
        QVERIFY(port != 0);
        QCOMPARE(post(port, key), 429);
        QCOMPARE(upstream.requestCount(), 2);
        restarted.shutdown();
    }
};

QTEST_GUILESS_MAIN(tst_LimitRestart)
#include "tst_limitrestart.moc"
