// SPDX-License-Identifier: MIT
// Client snippets: the Pi models.json provider, Codex config, SDK and curl text, and the merge
// into an existing models.json.
#include "app/core/services/ClientSnippets.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace Core;

namespace {
const QString Key = QStringLiteral("sk-kg-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde");

QJsonObject parseObject(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return {};
    return document.object();
}

QByteArray payloadOf(const QString &jwt)
{
    const QStringList parts = jwt.split(u'.');
    return parts.size() == 3
               ? QByteArray::fromBase64(parts.at(1).toLatin1(), QByteArray::AbortOnBase64DecodingErrors)
               : QByteArray();
}
} // namespace

class tst_ClientSnippets final : public QObject
{
    Q_OBJECT

private slots:
    void originFor_data()
    {
        QTest::addColumn<QString>("listen");
        QTest::addColumn<QString>("origin");
        QTest::newRow("loopback") << QStringLiteral("127.0.0.1:2455")
                                  << QStringLiteral("http://127.0.0.1:2455");
        QTest::newRow("wildcard v4") << QStringLiteral("0.0.0.0:8080")
                                     << QStringLiteral("http://127.0.0.1:8080");
        QTest::newRow("v6 bracketed") << QStringLiteral("[::1]:2455") << QStringLiteral("http://[::1]:2455");
        QTest::newRow("v6 wildcard") << QStringLiteral("[::]:2455") << QStringLiteral("http://[::1]:2455");
        QTest::newRow("localhost") << QStringLiteral("localhost:3000")
                                   << QStringLiteral("http://localhost:3000");
    }
    void originFor()
    {
        QFETCH(QString, listen);
        QFETCH(QString, origin);
        QCOMPARE(ClientSnippets::originFor(listen), origin);
    }

    void piModelsJson_parsesWithProviderFields()
    {
        const ClientSnippets snippets(QStringLiteral("127.0.0.1:41234"), Key);
        const QJsonObject root = parseObject(snippets.piModelsJson().toUtf8());
        QVERIFY(!root.isEmpty());
        const QJsonObject provider =
            root.value(QStringLiteral("providers")).toObject().value(QStringLiteral("keygate")).toObject();
        QCOMPARE(provider.value(QStringLiteral("baseUrl")).toString(),
                 QStringLiteral("http://127.0.0.1:41234/backend-api"));
        QCOMPARE(provider.value(QStringLiteral("api")).toString(), QStringLiteral("openai-codex-responses"));
        QCOMPARE(provider.value(QStringLiteral("headers"))
                     .toObject()
                     .value(QStringLiteral("x-api-key"))
                     .toString(),
                 Key);
        const QJsonArray models = provider.value(QStringLiteral("models")).toArray();
        QCOMPARE(models.size(), 1);
        QCOMPARE(models.at(0).toObject().value(QStringLiteral("id")).toString(), QStringLiteral("gpt-5.4"));

        // Pi refuses to start unless apiKey is a JWT whose standard-base64 payload names an account.
        const QString apiKey = provider.value(QStringLiteral("apiKey")).toString();
        QVERIFY(!apiKey.contains(Key));
        const QJsonObject claims = parseObject(payloadOf(apiKey));
        QCOMPARE(claims.value(QStringLiteral("https://api.openai.com/auth"))
                     .toObject()
                     .value(QStringLiteral("chatgpt_account_id"))
                     .toString(),
                 QStringLiteral("proxy"));
        QVERIFY(!apiKey.contains(u'-') && !apiKey.contains(u'_')); // atob rejects base64url
        QCOMPARE(snippets.piCommand(), QStringLiteral("pi --provider keygate --model gpt-5.4"));
    }

    void codexConfig_providerAndEnvVar()
    {
        const ClientSnippets snippets(QStringLiteral("127.0.0.1:41234"), Key);
        const QString toml = snippets.codexConfigToml();
        QVERIFY(toml.contains(QLatin1String("model_provider = \"keygate\"")));
        QVERIFY(toml.contains(QLatin1String("[model_providers.keygate]")));
        QVERIFY(toml.contains(QLatin1String("base_url = \"http://127.0.0.1:41234/v1\"")));
        QVERIFY(toml.contains(QLatin1String("env_key = \"KEYGATE_API_KEY\"")));
        QVERIFY(toml.contains(QLatin1String("wire_api = \"responses\"")));
        QVERIFY(!toml.contains(Key)); // the key travels in the environment, not in the file
        QCOMPARE(snippets.codexEnvExport(), QStringLiteral("export KEYGATE_API_KEY='%1'\n").arg(Key));
    }

    void sdkAndCurl_containKeyAndBaseUrl()
    {
        const ClientSnippets snippets(QStringLiteral("127.0.0.1:41234"), Key);
        for (const QString &text : {snippets.pythonSdk(), snippets.nodeSdk()}) {
            QVERIFY2(text.contains(QLatin1String("http://127.0.0.1:41234/v1\"")), qPrintable(text));
            QVERIFY(text.contains(Key));
            QVERIFY(text.contains(QLatin1String("responses.create")));
        }
        QVERIFY(snippets.curl().contains(QLatin1String("http://127.0.0.1:41234/v1/responses")));
        QVERIFY(snippets.curl().contains(QStringLiteral("Authorization: Bearer ") + Key));
        QVERIFY(parseObject(snippets.curl().section(u'\'', 1, 1).toUtf8())
                    .value(QStringLiteral("stream"))
                    .toBool());
    }

    void mergePiProvider_keepsOtherProvidersAndKeys()
    {
        const QByteArray existing = "{\"providers\":{\"other\":{\"baseUrl\":\"http://x\"},"
                                    "\"keygate\":{\"baseUrl\":\"http://old\"}},\"extra\":1}";
        const ClientSnippets snippets(QStringLiteral("127.0.0.1:5000"), Key);
        const Result<QByteArray> merged =
            ClientSnippets::mergePiProvider(existing, QStringLiteral("keygate"), snippets.piProvider());
        QVERIFY2(merged.ok(), qPrintable(merged.error()));
        const QJsonObject root = parseObject(merged.value());
        const QJsonObject providers = root.value(QStringLiteral("providers")).toObject();
        QCOMPARE(
            providers.value(QStringLiteral("other")).toObject().value(QStringLiteral("baseUrl")).toString(),
            QStringLiteral("http://x"));
        QCOMPARE(providers.value(QStringLiteral("keygate")).toObject(), snippets.piProvider());
        QCOMPARE(root.value(QStringLiteral("extra")).toInt(), 1);
    }

    void mergePiProvider_emptyStartsNew_brokenIsRefused()
    {
        const ClientSnippets snippets(QStringLiteral("127.0.0.1:5000"), Key);
        const Result<QByteArray> fresh =
            ClientSnippets::mergePiProvider("  \n", QStringLiteral("keygate"), snippets.piProvider());
        QVERIFY(fresh.ok());
        QCOMPARE(parseObject(fresh.value()), parseObject(snippets.piModelsJson().toUtf8()));
        QVERIFY(!ClientSnippets::mergePiProvider("{\"providers\":", QStringLiteral("k"), {}).ok());
        QVERIFY(!ClientSnippets::mergePiProvider("[1,2]", QStringLiteral("k"), {}).ok());
        QVERIFY(!ClientSnippets::mergePiProvider("{\"providers\":[]}", QStringLiteral("k"), {}).ok());
    }
};

QTEST_GUILESS_MAIN(tst_ClientSnippets)
#include "tst_clientsnippets.moc"
