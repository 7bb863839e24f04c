// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace Proxy {

class AccountPool;

/// A Responses request body made fit for the ChatGPT backend (`{base}/codex/responses`), which runs
/// only with `stream: true` and `store: false`, refuses the plain-API fields with 400 `Unsupported
/// parameter: …` and refuses an explicit empty `tools` list (codex-lb, payload normalisation):
/// `store` and `stream` are set, those fields and `tools: []` are removed. A body that needs none of
/// this (Codex CLI, Pi) comes back as the very same bytes; otherwise only the top-level member list
/// is rewritten, each member's value kept byte for byte (no re-serialisation: key order and number
/// spelling stay the client's). One scan, no document. The body must already be one valid JSON object
/// (checked strictly, so no name appears twice). Pure; any thread.
struct CodexBody final
{
    /// Why the backend cannot serve the request at all (a 400 for the client, before any upstream contact).
    struct Refusal
    {
        QString param;
        QString message;
    };

    QByteArray body;         ///< the body to send a codex-kind account
    QStringList changes;     ///< what was changed, for the trace: "dropped max_output_tokens", …
    std::optional<Refusal> refusal;

    static CodexBody normalise(const QByteArray &body);
    /// normalise() when @p pool has a codex-kind account, else nullopt; no refusal when an OpenAI-kind
    /// account could serve the request as it is (routing may still pick a codex-kind one, whose 400 is relayed).
    static std::optional<CodexBody> forPool(const QByteArray &body, const AccountPool &pool);
    /// For a body Keygate builds itself (chat completions, normalised per attempt): only its @p changes,
    /// when @p pool has a codex-kind account, else nullopt.
    static std::optional<CodexBody> forTranslation(const QStringList &changes, const AccountPool &pool);
    /// @p policyText (the trace's policy step) followed by `codex body: <changes>` when there are any.
    QString noted(const QString &policyText) const;
};

} // namespace Proxy
