// SPDX-License-Identifier: MIT
// The account pool's storage: rows in SQLite, tokens only in the (real, file) secret store.
#include "app/core/secrets/FileSecretStore.h"
#include "app/core/services/AccountService.h"
#include "app/core/services/UpstreamService.h"
#include "app/core/storage/Database.h"
#include "tests/support/TestPki.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace Core;

namespace {

/// The real file store, remembering the order of writes (to check the rotation rule).
class RecordingSecretStore final : public SecretStore
{
public:
    explicit RecordingSecretStore(const QString &dir) : m_file(dir) {}
    SecretResult read(const QString &name) override { return m_file.read(name); }
    SecretResult write(const QString &name, const QByteArray &value) override
    {
        writes.append(name);
        return m_file.write(name, value);
    }
    SecretResult remove(const QString &name) override { return m_file.remove(name); }
    QString backendName() const override { return m_file.backendName(); }
    QStringList writes;

private:
    FileSecretStore m_file;
};

QString idToken(const QString &email, const QString &accountId, const QString &plan)
{
    const QJsonObject payload{{QStringLiteral("email"), email},
                              {QStringLiteral("https://api.openai.com/auth"),
                               QJsonObject{{QStringLiteral("chatgpt_account_id"), accountId},
                                           {QStringLiteral("chatgpt_plan_type"), plan}}}};
    const auto part = [](const QByteArray &json) {
        return QString::fromLatin1(json.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    };
    return part("{\"alg\":\"none\"}") + u'.' + part(QJsonDocument(payload).toJson(QJsonDocument::Compact)) +
           QStringLiteral(".sig");
}

AccountTokens login(const QString &email, const QString &accountId, const QString &access = QStringLiteral("at-1"))
{
    AccountTokens tokens;
    tokens.accessToken = access;
    tokens.refreshToken = QStringLiteral("rt-") + access;
    tokens.idToken = idToken(email, accountId, QStringLiteral("plus"));
    return tokens;
}

} // namespace

class tst_AccountService final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_tmp;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<RecordingSecretStore> m_secrets;
    std::unique_ptr<AccountService> m_service;

private slots:
    void init()
    {
        m_service.reset();
        m_secrets.reset();
        m_db.reset();
        m_tmp = std::make_unique<QTemporaryDir>(); // a fresh directory per test
        QVERIFY(m_tmp->isValid());
        m_db = std::make_unique<Database>();
        QVERIFY(m_db->open(m_tmp->path()).ok());
        m_secrets = std::make_unique<RecordingSecretStore>(m_tmp->path());
        m_service = std::make_unique<AccountService>(*m_db, *m_secrets);
    }

    void addOpenAI_tokenInSecretStoreOnly()
    {
        const auto added = m_service->addOpenAI(QStringLiteral("work"), QUrl(QStringLiteral("https://api.example.com/v1")),
                                                "sk-openai-secret-123");
        QVERIFY2(added.ok(), qPrintable(added.error()));
        QCOMPARE(added.value().kind, QStringLiteral("openai"));
        QCOMPARE(m_secrets->read(QStringLiteral("account/%1/access").arg(added.value().id)).value,
                 QByteArray("sk-openai-secret-123"));
        m_db.reset();
        for (const QString &suffix : {QString(), QStringLiteral("-wal")}) {
            QFile file(Database::fileName(m_tmp->path()) + suffix);
            if (file.open(QIODevice::ReadOnly))
                QVERIFY(!file.readAll().contains("sk-openai-secret-123"));
        }
    }

    void caCertificates_storedReachThePoolAndOnlyForHttpsOpenAI()
    {
        TestSupport::TestPki pki;
        QString why;
        if (!pki.setUp(&why))
            QSKIP(qPrintable(why));
        const QByteArray pem = "# company CA\n" + pki.ca().toPem();
        const auto plain = m_service->addOpenAI(QStringLiteral("plain"), QUrl(QStringLiteral("http://llm.lan/v1")), "k", pem);
        QVERIFY(!plain.ok());
        QVERIFY2(plain.error().contains(u"needs an https base URL"), qPrintable(plain.error()));
        const auto added = m_service->addOpenAI(QStringLiteral("corp"), QUrl(QStringLiteral("https://llm.corp/v1")), "k", pem);
        QVERIFY2(added.ok(), qPrintable(added.error()));
        QCOMPARE(added.value().caCertificatesPem, pki.ca().toPem()); // the certificate only, not the comment

        auto pool = m_service->loadPool();
        QCOMPARE(pool.value().constFirst().upstream.caCertificates, QList<QSslCertificate>{pki.ca()});
        QVERIFY(m_service->setCaCertificates(QStringLiteral("corp"), {}).ok());
        pool = m_service->loadPool();
        QVERIFY(pool.value().constFirst().upstream.caCertificates.isEmpty());
        QVERIFY(!m_service->setCaCertificates(QStringLiteral("corp"), "not pem").ok());

        QVERIFY(m_service->saveChatGptLogin(login(QStringLiteral("a@x.org"), QStringLiteral("acct-1"))).ok());
        const auto chatgpt = m_service->setCaCertificates(QStringLiteral("a@x.org"), pem);
        QVERIFY(!chatgpt.ok());
        QVERIFY2(chatgpt.error().contains(u"ChatGPT account"), qPrintable(chatgpt.error()));
    }

    void addOpenAI_defaultNameIsHost_duplicateRefused()
    {
        const auto added = m_service->addOpenAI({}, QUrl(QStringLiteral("https://api.example.com/v1")), "k1");
        QCOMPARE(added.value().name, QStringLiteral("api.example.com"));
        const auto again = m_service->addOpenAI({}, QUrl(QStringLiteral("https://api.example.com/v1")), "k2");
        QVERIFY(!again.ok());
        QVERIFY(again.error().contains(u"already exists"));
    }

    void chatGptLogin_claimsNameAndReloginUpdatesSameAccount()
    {
        const auto first = m_service->saveChatGptLogin(login(QStringLiteral("ann@example.com"), QStringLiteral("acct-a")));
        QVERIFY2(first.ok(), qPrintable(first.error()));
        QCOMPARE(first.value().name, QStringLiteral("ann@example.com"));
        QCOMPARE(first.value().email, QStringLiteral("ann@example.com"));
        QCOMPARE(first.value().chatgptAccountId, QStringLiteral("acct-a"));
        QCOMPARE(first.value().planType, QStringLiteral("plus"));
        QVERIFY(m_service->markNeedsReauth(first.value().id, QStringLiteral("Refresh token was reused")).ok());

        const auto again = m_service->saveChatGptLogin(
            login(QStringLiteral("ann@example.com"), QStringLiteral("acct-a"), QStringLiteral("at-2")));
        QCOMPARE(again.value().id, first.value().id);
        QVERIFY(again.value().state == Proxy::AccountState::Active);
        QCOMPARE(m_service->list().value().size(), 1);
        QCOMPARE(m_secrets->read(again.value().accessSecretName()).value, QByteArray("at-2"));
    }

    void importCodexAuth_camelCaseAndDefaultPath()
    {
        const QString path = m_tmp->filePath(QStringLiteral("auth.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QJsonObject tokens{{QStringLiteral("accessToken"), QStringLiteral("at-import")},
                                 {QStringLiteral("refreshToken"), QStringLiteral("rt-import")},
                                 {QStringLiteral("idToken"), idToken(QStringLiteral("bo@example.com"), QStringLiteral("acct-b"), QStringLiteral("pro"))}};
        file.write(QJsonDocument(QJsonObject{{QStringLiteral("tokens"), tokens}}).toJson());
        file.close();
        const auto imported = m_service->importCodexAuth(path, QStringLiteral("bo"));
        QVERIFY2(imported.ok(), qPrintable(imported.error()));
        QCOMPARE(imported.value().name, QStringLiteral("bo"));
        QCOMPARE(imported.value().planType, QStringLiteral("pro"));
        QCOMPARE(m_secrets->read(imported.value().refreshSecretName()).value, QByteArray("rt-import"));
        const auto missing = m_service->importCodexAuth(m_tmp->filePath(QStringLiteral("none.json")));
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().contains(u"cannot read"));
    }

    void setToken_onNeedsReauth_makesEligibleAgain()
    {
        const auto added = m_service->addOpenAI(QStringLiteral("o"), QUrl(QStringLiteral("https://a.example/v1")), "k1");
        QVERIFY(m_service->markNeedsReauth(added.value().id, QStringLiteral("401")).ok());
        QVERIFY(!m_service->loadPool().value().constFirst().isUsable());
        QVERIFY(!m_service->setPaused(QStringLiteral("o"), false).ok()); // resume is not a re-login
        const auto updated = m_service->setToken(QStringLiteral("o"), "k2");
        QVERIFY(updated.ok());
        QVERIFY(updated.value().state == Proxy::AccountState::Active);
        const Proxy::UpstreamAccount pooled = m_service->loadPool().value().constFirst();
        QVERIFY(pooled.isUsable());
        QCOMPARE(pooled.upstream.token, QByteArray("k2"));
    }

    void pauseResumeRemove()
    {
        const auto added = m_service->addOpenAI(QStringLiteral("o"), QUrl(QStringLiteral("https://a.example/v1")), "k1");
        QVERIFY(m_service->setPaused(QStringLiteral("o"), true).value().state == Proxy::AccountState::Paused);
        QVERIFY(!m_service->loadPool().value().constFirst().isUsable());
        QVERIFY(m_service->setPaused(QString::number(added.value().id), false).value().state == Proxy::AccountState::Active);
        QVERIFY(m_service->remove(QStringLiteral("o")).ok());
        QVERIFY(m_service->list().value().isEmpty());
        QCOMPARE(m_secrets->read(added.value().accessSecretName()).error, SecretError::NotFound);
        QVERIFY(!m_service->remove(QStringLiteral("o")).ok());
    }

    void loadPool_routingOrderWithTokensAndRefreshability()
    {
        QVERIFY(m_service->addOpenAI(QStringLiteral("first"), QUrl(QStringLiteral("https://a.example/v1")), "k1").ok());
        const auto chat = m_service->saveChatGptLogin(login(QStringLiteral("c@example.com"), QStringLiteral("acct-c")));
        QVERIFY(chat.ok());
        const QList<Proxy::UpstreamAccount> pool = m_service->loadPool().value();
        QCOMPARE(pool.size(), 2);
        QCOMPARE(pool.at(0).name, QStringLiteral("first"));
        QCOMPARE(pool.at(0).upstream.kind, Proxy::UpstreamConfig::Kind::OpenAI);
        QVERIFY(!pool.at(0).refreshable);
        QCOMPARE(pool.at(1).upstream.kind, Proxy::UpstreamConfig::Kind::Codex);
        QCOMPARE(pool.at(1).upstream.accountId, QStringLiteral("acct-c"));
        QCOMPARE(pool.at(1).upstream.token, QByteArray("at-1"));
        QVERIFY(pool.at(1).refreshable);
        QVERIFY(pool.at(0).priority < pool.at(1).priority);
    }

    void storeRefreshedTokens_refreshTokenWrittenFirst()
    {
        const auto chat = m_service->saveChatGptLogin(login(QStringLiteral("c@example.com"), QStringLiteral("acct-c")));
        m_secrets->writes.clear();
        AccountTokens rotated = login(QStringLiteral("c@example.com"), QStringLiteral("acct-c"), QStringLiteral("at-9"));
        QVERIFY(m_service->storeRefreshedTokens(chat.value().id, rotated).ok());
        QCOMPARE(m_secrets->writes.constFirst(), chat.value().refreshSecretName());
        QCOMPARE(m_secrets->writes.constLast(), chat.value().accessSecretName());
        QCOMPARE(m_secrets->read(chat.value().refreshSecretName()).value, QByteArray("rt-at-9"));
        QVERIFY(m_service->find(QStringLiteral("c@example.com")).value().lastRefreshAt.isValid());
    }

    void legacyImport_storesTokensWhereTheDefaultAccountKeepsThem()
    {
        // A "default" account created through the pool keeps its tokens under account/<id>/…
        const auto added = m_service->addOpenAI(QStringLiteral("default"), QUrl(QStringLiteral("https://a.example/v1")), "k1");
        QVERIFY(added.ok());
        const QString path = m_tmp->filePath(QStringLiteral("auth.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"tokens\":{\"access_token\":\"at-legacy\",\"refresh_token\":\"rt-legacy\"}}");
        file.close();
        UpstreamService upstream(*m_db, *m_secrets);
        QVERIFY(upstream.importCodexAuth(path).ok());
        const AccountRecord record = m_service->find(QStringLiteral("default")).value();
        QCOMPARE(m_secrets->read(record.refreshSecretName()).value, QByteArray("rt-legacy"));
        QCOMPARE(m_secrets->read(QStringLiteral("upstream/refresh-token")).error, SecretError::NotFound);
        QCOMPARE(upstream.tokenSecretName(), record.accessSecretName());
        QVERIFY(upstream.show().value().refreshTokenStored);
    }

    void legacyUpstream_isTheDefaultAccount()
    {
        UpstreamService upstream(*m_db, *m_secrets);
        QVERIFY(upstream.set(Proxy::UpstreamConfig::Kind::OpenAI, QUrl(QStringLiteral("https://a.example/v1")), {}, "k-legacy").ok());
        const auto record = m_service->find(QStringLiteral("default"));
        QVERIFY(record.ok());
        QCOMPARE(record.value().accessSecretName(), QStringLiteral("upstream/token"));
        QCOMPARE(m_secrets->read(QStringLiteral("upstream/token")).value, QByteArray("k-legacy"));
        QVERIFY(m_service->addOpenAI(QStringLiteral("second"), QUrl(QStringLiteral("https://b.example/v1")), "k2").ok());
        QCOMPARE(upstream.load().value().token, QByteArray("k-legacy")); // the first usable account
    }
};

QTEST_GUILESS_MAIN(tst_AccountService)
#include "tst_accountservice.moc"
