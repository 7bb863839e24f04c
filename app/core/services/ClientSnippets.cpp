// SPDX-License-Identifier: MIT
#include "app/core/services/ClientSnippets.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace Core {

namespace {
QString latin1(const char *text)
{
    return QString::fromLatin1(text);
}
} // namespace

ClientSnippets::ClientSnippets(const QString &listenHostPort, QString key)
    : m_origin(originFor(listenHostPort)), m_key(std::move(key))
{}

QString ClientSnippets::originFor(const QString &listenHostPort)
{
    const qsizetype colon = listenHostPort.lastIndexOf(u':');
    QString host = colon < 0 ? listenHostPort : listenHostPort.left(colon);
    const QString port = colon < 0 ? QString() : listenHostPort.mid(colon + 1);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    if (host.isEmpty() || host == u"0.0.0.0")
        host = QStringLiteral("127.0.0.1");
    else if (host == u"::")
        host = QStringLiteral("::1");
    if (host.contains(u':'))
        host = u'[' + host + u']';
    return QStringLiteral("http://") + host + (port.isEmpty() ? QString() : u':' + port);
}

QJsonObject ClientSnippets::piProvider() const
{
    const QJsonObject model{
        {QStringLiteral("id"), latin1(DefaultModel)},
        {QStringLiteral("reasoning"), true},
        {QStringLiteral("input"), QJsonArray{QStringLiteral("text"), QStringLiteral("image")}},
        {QStringLiteral("contextWindow"), 272000},
        {QStringLiteral("maxTokens"), 128000}};
    return QJsonObject{{QStringLiteral("baseUrl"), QString(m_origin + QStringLiteral("/backend-api"))},
                       {QStringLiteral("api"), QStringLiteral("openai-codex-responses")},
                       {QStringLiteral("apiKey"), latin1(PiPlaceholderJwt)},
                       {QStringLiteral("headers"), QJsonObject{{QStringLiteral("x-api-key"), m_key}}},
                       {QStringLiteral("models"), QJsonArray{QJsonValue(model)}}};
}

QString ClientSnippets::piModelsJson() const
{
    const QJsonObject root{{QStringLiteral("providers"), QJsonObject{{latin1(ProviderName), piProvider()}}}};
    return QString::fromUtf8(QJsonDocument(root).toJson(QJsonDocument::Indented));
}

QString ClientSnippets::piCommand() const
{
    return QStringLiteral("pi --provider %1 --model %2").arg(latin1(ProviderName), latin1(DefaultModel));
}

QString ClientSnippets::codexConfigToml() const
{
    return QStringLiteral("# ~/.codex/config.toml\n"
                          "model = \"%1\"\n"
                          "model_provider = \"%2\"\n"
                          "\n"
                          "[model_providers.%2]\n"
                          "name = \"Keygate\"\n"
                          "base_url = \"%3/v1\"\n"
                          "env_key = \"%4\"\n"
                          "wire_api = \"responses\"\n")
        .arg(latin1(DefaultModel), latin1(ProviderName), m_origin, latin1(EnvVar));
}

QString ClientSnippets::codexEnvExport() const
{
    // Keys are URL-safe base64 after the prefix: nothing in them needs escaping inside single quotes.
    return QStringLiteral("export %1='%2'\n").arg(latin1(EnvVar), m_key);
}

QString ClientSnippets::pythonSdk() const
{
    return QStringLiteral(
               "from openai import OpenAI\n"
               "\n"
               "client = OpenAI(base_url=\"%1/v1\", api_key=\"%2\")\n"
               "stream = client.responses.create(model=\"%3\", input=\"Say hi\", store=False, stream=True)\n"
               "for event in stream:\n"
               "    if event.type == \"response.output_text.delta\":\n"
               "        print(event.delta, end=\"\", flush=True)\n")
        .arg(m_origin, m_key, latin1(DefaultModel));
}

QString ClientSnippets::nodeSdk() const
{
    return QStringLiteral(
               "import OpenAI from \"openai\";\n"
               "\n"
               "const client = new OpenAI({ baseURL: \"%1/v1\", apiKey: \"%2\" });\n"
               "const stream = await client.responses.create({\n"
               "  model: \"%3\", input: \"Say hi\", store: false, stream: true,\n"
               "});\n"
               "for await (const event of stream) {\n"
               "  if (event.type === \"response.output_text.delta\") process.stdout.write(event.delta);\n"
               "}\n")
        .arg(m_origin, m_key, latin1(DefaultModel));
}

QString ClientSnippets::curl() const
{
    return QStringLiteral("curl -N %1/v1/responses \\\n"
                          "  -H \"Authorization: Bearer %2\" \\\n"
                          "  -H \"Content-Type: application/json\" \\\n"
                          "  -d '{\"model\":\"%3\",\"stream\":true,\"store\":false,\"input\":\"Say hi\"}'\n")
        .arg(m_origin, m_key, latin1(DefaultModel));
}

Result<QByteArray> ClientSnippets::mergePiProvider(const QByteArray &existing, const QString &name,
                                                   const QJsonObject &provider)
{
    QJsonObject root;
    if (!existing.trimmed().isEmpty()) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(existing, &error);
        if (error.error != QJsonParseError::NoError)
            return Result<QByteArray>::failure(QStringLiteral("the file is not valid JSON (%1 at offset %2)")
                                                   .arg(error.errorString())
                                                   .arg(error.offset));
        if (!document.isObject())
            return Result<QByteArray>::failure(QStringLiteral("the file does not hold a JSON object"));
        root = document.object();
    }
    const QJsonValue providersValue = root.value(QStringLiteral("providers"));
    if (!providersValue.isUndefined() && !providersValue.isObject())
        return Result<QByteArray>::failure(QStringLiteral("\"providers\" in the file is not an object"));
    QJsonObject providers = providersValue.toObject();
    providers.insert(name, provider);
    root.insert(QStringLiteral("providers"), providers);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace Core
