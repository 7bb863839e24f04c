// SPDX-License-Identifier: MIT
#include "app/core/secrets/FileSecretStore.h"
#include "app/core/services/UpstreamService.h"
#include "app/core/storage/Database.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Core;
using Kind = Proxy::UpstreamConfig::Kind;

class tst_UpstreamService final : public QObject
{
    Q_OBJECT

private slots:
    void load_nothingSet_isUnconfigured()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        FileSecretStore secrets(tmp.path());
        UpstreamService service(db, secrets);
        QVERIFY(!service.show().value().configured);
        const Result<Proxy::UpstreamConfig> config = service.load();
        QVERIFY(config.ok());
        QCOMPARE(config.value().kind, Kind::None);
        QVERIFY(!config.value().isConfigured());
    }

    void set_thenLoad_tokenComesFromSecretStoreOnly()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        FileSecretStore secrets(tmp.path());
        UpstreamService service(db, secrets);
        QVERIFY(service.set(Kind::OpenAI, QUrl(QStringLiteral("https://api.openai.com/v1")), {}, "sk-upstream-123").ok());
        const UpstreamInfo info = service.show().value();
        QVERIFY(info.configured);
        QVERIFY(info.tokenStored);
        QVERIFY(!info.refreshTokenStored);
        QCOMPARE(info.row.kind, Kind::OpenAI);
        const Proxy::UpstreamConfig config = service.load().value();
        QVERIFY(config.isConfigured());
        QCOMPARE(config.token, QByteArray("sk-upstream-123"));
        QCOMPARE(secrets.read(QStringLiteral("upstream/token")).value, QByteArray("sk-upstream-123"));

        QFile file(Database::fileName(tmp.path()));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("sk-upstream-123"));
    }

    void set_invalidInput_isRejected()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        FileSecretStore secrets(tmp.path());
        UpstreamService service(db, secrets);
        const QUrl url(QStringLiteral("https://x.example"));
        QVERIFY(!service.set(Kind::None, url, {}, "t").ok());
        QVERIFY(!service.set(Kind::Codex, QUrl(QStringLiteral("ftp://x")), {}, "t").ok());
        QVERIFY(!service.set(Kind::Codex, url, {}, "  ").ok());
        QVERIFY(!service.show().value().configured);
    }

    void importCodexAuth_authJson_storesBothTokensAndAccount()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        FileSecretStore secrets(tmp.path());
        UpstreamService service(db, secrets);
        const QString path = tmp.filePath(QStringLiteral("auth.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"OPENAI_API_KEY": null, "tokens": {"id_token": "i", "access_token": "eyJaccess",
                    "refresh_token": "rt-1", "account_id": "acct-9"}, "last_refresh": "2025-01-01T00:00:00Z"})");
        file.close();
        const Status status = service.importCodexAuth(path);
        QVERIFY2(status.ok(), qPrintable(status.error()));
        const Proxy::UpstreamConfig config = service.load().value();
        QCOMPARE(config.kind, Kind::Codex);
        QCOMPARE(config.baseUrl, QUrl(QStringLiteral("https://chatgpt.com/backend-api")));
        QCOMPARE(config.accountId, QStringLiteral("acct-9"));
        QCOMPARE(config.token, QByteArray("eyJaccess"));
        QCOMPARE(secrets.read(QStringLiteral("upstream/refresh-token")).value, QByteArray("rt-1"));
        QVERIFY(service.show().value().refreshTokenStored);
    }

    void importCodexAuth_missingOrBadFile_isError()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        FileSecretStore secrets(tmp.path());
        UpstreamService service(db, secrets);
        QVERIFY(!service.importCodexAuth(tmp.filePath(QStringLiteral("missing.json"))).ok());
        const QString path = tmp.filePath(QStringLiteral("empty.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"tokens": {}})");
        file.close();
        const Status status = service.importCodexAuth(path);
        QVERIFY(!status.ok());
        QVERIFY(status.error().contains(QLatin1String("access_token")));
    }
};

QTEST_GUILESS_MAIN(tst_UpstreamService)
#include "tst_upstreamservice.moc"
