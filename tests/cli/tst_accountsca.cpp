// SPDX-License-Identifier: MIT
// End to end: an OpenAI-compatible upstream behind a company CA. A local HTTPS upstream presents a
// certificate for localhost signed by a test CA; `keygate accounts add-openai --ca-file` stores the CA
// with the account and the real `keygate serve` trusts it for that account only. Without it the client
// gets a 502 that says why; a wrong file is refused before anything is stored.
#include "tests/cli/KeygateProcess.h"
#include "tests/support/TlsUpstream.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

namespace {

QString s(const char *text)
{
    return QString::fromLatin1(text);
}

struct Answer final
{
    int status = 0;
    QByteArray body;
    QString errorMessage() const
    {
        return QJsonDocument::fromJson(body).object()[s("error")].toObject()[s("message")].toString();
    }
};

} // namespace

class tst_AccountsCa final : public QObject
{
    Q_OBJECT

private:
    TestSupport::KeygateRun keygate(const QStringList &arguments, const QByteArray &input = {})
    {
        return TestSupport::runKeygate(m_dir->path(), arguments, input);
    }

    TestSupport::KeygateRun addAccount(const QStringList &extra)
    {
        return keygate(QStringList{s("accounts"), s("add-openai"), s("--name"), s("corp"), s("--base-url"),
                                   m_upstream->baseUrl().toString(), s("--token-stdin")}
                           + extra,
                       "sk-company-key\n");
    }

    Answer post(quint16 port)
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        request.setRawHeader("x-api-key", m_key);
        QNetworkReply *reply = m_nam.post(request, R"({"model":"gpt-5.4","input":"hi"})");
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(15000);
        Answer answer{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
        reply->deleteLater();
        return answer;
    }

    void stop(QProcess &serve)
    {
        ::kill(pid_t(serve.processId()), SIGTERM);
        QTRY_VERIFY_WITH_TIMEOUT(serve.state() == QProcess::NotRunning, 15000);
    }

    TestSupport::TestPki m_pki;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TestSupport::TlsUpstream> m_upstream;
    QNetworkAccessManager m_nam;
    QByteArray m_key;

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(qEnvironmentVariable("KEYGATE_BINARY")), "KEYGATE_BINARY must point at the built keygate");
        QString why;
        if (!m_pki.setUp(&why))
            QSKIP(qPrintable(why));
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_upstream = std::make_unique<TestSupport::TlsUpstream>();
        QString why;
        const auto leaf = m_pki.issue(s("localhost"), &why);
        QVERIFY2(leaf, qPrintable(why));
        QVERIFY2(m_upstream->listen(*leaf, &why), qPrintable(why));
        const TestSupport::KeygateRun key = keygate({s("keys"), s("create"), s("--name"), s("pi")});
        QCOMPARE(key.exitCode, 0);
        m_key = key.out.trimmed().split('\n').last();
    }

    void addOpenAi_withCaFile_listedAndServeAnswers200()
    {
        const TestSupport::KeygateRun added = addAccount({s("--ca-file"), m_pki.caPath()});
        QVERIFY2(added.exitCode == 0, added.err.constData());
        QVERIFY2(added.out.contains("trusts the CA Keygate Test CA (SHA-256 "), added.out.constData());

        const TestSupport::KeygateRun json = keygate({s("accounts"), s("list"), s("--json")});
        const QJsonArray cas = QJsonDocument::fromJson(json.out).array().first()[s("ca_certificates")].toArray();
        QCOMPARE(cas.size(), 1);
        QCOMPARE(cas.first()[s("subject")].toString(), s("Keygate Test CA"));
        QCOMPARE(cas.first()[s("sha256")].toString().size(), 95); // 32 bytes as colon-separated hex
        QVERIFY(!json.out.contains("BEGIN CERTIFICATE"));
        QVERIFY(!json.out.contains("sk-company-key"));
        const TestSupport::KeygateRun table = keygate({s("accounts"), s("list")});
        QVERIFY2(table.out.contains("Keygate Test CA (SHA-256 "), table.out.constData());

        QProcess serve;
        const quint16 port = TestSupport::startKeygateServe(serve, m_dir->path());
        QVERIFY(port != 0);
        const Answer answer = post(port);
        QVERIFY2(answer.status == 200, answer.body.constData());
        QVERIFY2(answer.body.contains("resp_tls"), answer.body.constData());
        QVERIFY(m_upstream->lastHead.contains("Authorization: Bearer sk-company-key"));
        stop(serve);
    }

    void addOpenAi_badCaFile_clearErrorNonZeroNothingStored_data()
    {
        QTest::addColumn<QByteArray>("content"); // empty: the file does not exist
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing") << QByteArray() << s("no such file");
        QTest::newRow("not PEM") << QByteArray("this is not a certificate\n") << s("no PEM certificate found");
        QTest::newRow("private key") << QByteArray("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
                                     << s("the file holds a private key");
    }

    void addOpenAi_badCaFile_clearErrorNonZeroNothingStored()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, reason);
        const QString path = m_dir->filePath(s("company-ca.pem"));
        if (!content.isEmpty()) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content);
        }
        const TestSupport::KeygateRun added = addAccount({s("--ca-file"), path});
        QVERIFY(added.exitCode != 0);
        const QString err = QString::fromUtf8(added.err);
        QVERIFY2(err.contains(s("cannot use the CA file ") + path + s(": ") + reason), qPrintable(err));
        QCOMPARE(QJsonDocument::fromJson(keygate({s("accounts"), s("list"), s("--json")}).out).array().size(), 0);
    }

    void addOpenAi_withoutCaFile_502NamesCauseUntilSetCa()
    {
        const TestSupport::KeygateRun added = addAccount({});
        QVERIFY2(added.exitCode == 0, added.err.constData());
        QProcess serve;
        const quint16 port = TestSupport::startKeygateServe(serve, m_dir->path());
        QVERIFY(port != 0);
        const Answer refused = post(port);
        QCOMPARE(refused.status, 502);
        QVERIFY2(refused.errorMessage().contains(s("upstream TLS certificate is not trusted")),
                 qPrintable(refused.errorMessage()));
        QCOMPARE(m_upstream->requests, 0);

        // The CA added afterwards reaches the running serve (it polls the database every 250 ms).
        const TestSupport::KeygateRun set = keygate({s("accounts"), s("set-ca"), s("corp"), s("--ca-file"), m_pki.caPath()});
        QVERIFY2(set.exitCode == 0, set.err.constData());
        const QDeadlineTimer deadline(3000);
        int status = 0;
        while (status != 200 && !deadline.hasExpired()) {
            QTest::qWait(100);
            status = post(port).status;
        }
        QCOMPARE(status, 200);
        QCOMPARE(m_upstream->requests, 1);
        stop(serve);
    }
};

QTEST_GUILESS_MAIN(tst_AccountsCa)
#include "tst_accountsca.moc"
