// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace Core {

/// Ready-to-paste configuration for the clients Keygate serves (Pi, the Codex CLI, the openai SDKs,
/// curl), filled in with one key and the proxy's listen address. Pure text building, no I/O; any
/// thread. Shapes follow pi-coding-agent 0.73 (models.json custom provider) and Codex CLI 0.171
/// (config.toml `model_providers`).
class ClientSnippets final
{
public:
    /// @p listenHostPort as the runtime reports it ("127.0.0.1:2455", "[::1]:2455"); @p key the plaintext.
    ClientSnippets(const QString &listenHostPort, QString key);

    /// "http://HOST:PORT"; a wildcard host (0.0.0.0, ::) becomes the matching loopback address.
    static QString originFor(const QString &listenHostPort);

    QString origin() const { return m_origin; }
    QString key() const { return m_key; }

    /// The Pi custom provider: `openai-codex-responses` at ORIGIN/backend-api, a placeholder JWT as
    /// `apiKey` (Pi needs a JWT-shaped token to start) and the Keygate key in `headers.x-api-key`.
    QJsonObject piProvider() const;
    /// A whole `~/.pi/agent/models.json` holding only the Keygate provider.
    QString piModelsJson() const;
    /// How to start Pi with the provider.
    QString piCommand() const;
    /// `~/.codex/config.toml` lines: the provider at ORIGIN/v1 that reads the key from EnvVar.
    QString codexConfigToml() const;
    /// `export KEYGATE_API_KEY='sk-kg-…'`
    QString codexEnvExport() const;
    QString pythonSdk() const;
    QString nodeSdk() const;
    QString curl() const;

    /// @p existing models.json text with the provider @p name set to @p provider; other providers
    /// and top-level entries are kept. Empty input starts a new file; text that is not a JSON
    /// object (or whose `providers` is not an object) is an error, so a broken file is never replaced.
    static Result<QByteArray> mergePiProvider(const QByteArray &existing, const QString &name,
                                              const QJsonObject &provider);

    static constexpr auto ProviderName = "keygate";
    static constexpr auto EnvVar = "KEYGATE_API_KEY";
    static constexpr auto DefaultModel = "gpt-5.4";
    /// Payload {"https://api.openai.com/auth":{"chatgpt_account_id":"proxy"}}, standard base64 (Pi uses
    /// atob).
    static constexpr auto PiPlaceholderJwt =
        "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0=."
        "eyJodHRwczovL2FwaS5vcGVuYWkuY29tL2F1dGgiOnsiY2hhdGdwdF9hY2NvdW50X2lkIjoicHJveHkifX0=.sig";

private:
    QString m_origin;
    QString m_key;
};

} // namespace Core
