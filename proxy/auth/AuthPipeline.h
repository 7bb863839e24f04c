// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/auth/ApiKeyFallback.h"
#include "proxy/auth/AuthTrace.h"
#include "proxy/auth/KeySnapshot.h"
#include "proxy/http/HttpHeaders.h"

#include <QByteArrayView>
#include <QHostAddress>

namespace Proxy {

/// What the pipeline needs to know about one request.
struct AuthRequest final
{
    QByteArrayView method;
    QByteArrayView path;
    const HttpHeaders &headers;
    QHostAddress peer;
};

/// The settings an auth decision depends on.
struct AuthPolicy final
{
    bool requireKey = true;
    bool routeAlwaysNeedsKey = false; ///< e.g. /v1/usage: a key even when require-key is off
    ApiKeyFallback apiKeyFallback = ApiKeyFallback::Always;
};

/// Result of an auth decision. `trace` holds the steps and the verdict; the caller stamps time,
/// request id, peer, method, path and duration (formatting those is not part of the decision).
struct AuthDecision final
{
    AuthVerdict verdict = AuthVerdict::Denied;
    const KeyEntry *key = nullptr; ///< points into the snapshot when a key was accepted
    int status = 401;              ///< 0 when the request may proceed
    QString errorType;             ///< OpenAI envelope `type`
    QString errorCode;             ///< OpenAI envelope `code`
    QString message;               ///< OpenAI envelope `message`; never contains a key
    int retryAfterSeconds = 0;     ///< > 0: send `Retry-After` (a throttled peer)
    /// What the refusal leaves behind: a trace row and a request row (Full), only the trace row (the
    /// first throttled attempt of a window), or nothing (the rest of the window: one summary row).
    enum class Logging { Full, TraceOnly, None } logging = Logging::Full;
    AuthTrace trace;

    bool allowed() const { return verdict == AuthVerdict::Accepted || verdict == AuthVerdict::Anonymous; }
};

/// The single entry point of the dual-header auth pipeline: a pure function of the request, the
/// policy, the key snapshot and the clock. Authorization: Bearer first; x-api-key only when the
/// Bearer is absent, malformed, unknown, disabled or expired, and the policy's ApiKeyFallback lets
/// it. A valid Bearer always wins.
AuthDecision decideAuth(const AuthRequest &request, const AuthPolicy &policy, const KeySnapshot &keys,
                        const QDateTime &nowUtc);

/// Whether the request carries a credential at all (an Authorization or x-api-key field).
bool presentsCredential(const HttpHeaders &headers);
/// Whether a credential it carries could be a key of @p keys: an `sk-kg-` token whose mask (its last
/// four characters) is some key's, or an `sk-clb-` token whose mask (its first four after the prefix)
/// is some imported key's. No hashing: a throttled peer's guesses are refused on this alone.
bool mayPresentKnownKey(const HttpHeaders &headers, const KeySnapshot &keys);

/// Raw SHA-256 digest of a presented token, the snapshot's lookup key.
QByteArray keyDigest(QByteArrayView token);

} // namespace Proxy
