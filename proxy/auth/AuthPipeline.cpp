// SPDX-License-Identifier: MIT
#include "proxy/auth/AuthPipeline.h"

#include "proxy/auth/RequestLocality.h"
#include "proxy/auth/SecretMask.h"

#include <QCryptographicHash>

namespace Proxy {

namespace {

const QString AuthorizationHeader = QStringLiteral("Authorization");
const QString ApiKeyHeader = QStringLiteral("x-api-key");

bool isSpaceOrTab(char c)
{
    return c == ' ' || c == '\t';
}

/// `Bearer` (any case) followed by at least one space or tab; the token is the trimmed rest.
QByteArrayView bearerToken(QByteArrayView value)
{
    value = value.trimmed();
    constexpr QByteArrayView Scheme = "bearer";
    if (value.size() <= Scheme.size() || value.first(Scheme.size()).compare(Scheme, Qt::CaseInsensitive) != 0
        || !isSpaceOrTab(value[Scheme.size()]))
        return {};
    return value.sliced(Scheme.size()).trimmed();
}

/// One header value, or an error when it was sent several times with different values.
struct SingleValue
{
    bool present = false;
    bool conflicting = false;
    QByteArrayView value;
};

SingleValue singleValue(const HttpHeaders &headers, QByteArrayView name)
{
    SingleValue out;
    for (const auto &field : headers.fields()) {
        if (!HttpHeaders::sameName(field.first, name))
            continue;
        const QByteArrayView value = QByteArrayView(field.second).trimmed();
        if (out.present && value != out.value)
            out.conflicting = true;
        out.present = true;
        out.value = value;
    }
    return out;
}

HeaderOutcome lookUp(QByteArrayView token, const KeySnapshot &keys, const QDateTime &now,
                     const KeyEntry **found)
{
    // Only sk-kg- keys and sk-clb- keys imported from codex-lb are in the snapshot, so anything else
    // (e.g. Pi's placeholder JWT) is not hashed. A digest found for the other prefix's key is refused:
    // an imported key answers only to sk-clb-, a Keygate key only to sk-kg-.
    *found = isKeyShaped(token) ? keys.find(keyDigest(token)) : nullptr;
    if (*found && !token.startsWith(tokenPrefix((*found)->origin)))
        *found = nullptr;
    if (!*found)
        return HeaderOutcome::Unknown;
    if (!(*found)->enabled)
        return HeaderOutcome::Disabled;
    if ((*found)->expiresAt.isValid() && (*found)->expiresAt <= now)
        return HeaderOutcome::Expired;
    return HeaderOutcome::Accepted;
}

QString reasonFor(HeaderOutcome outcome, const QString &header)
{
    switch (outcome) {
    case HeaderOutcome::Unknown:
        return QStringLiteral("Invalid API key");
    case HeaderOutcome::Disabled:
        return QStringLiteral("API key is disabled");
    case HeaderOutcome::Expired:
        return QStringLiteral("API key has expired");
    case HeaderOutcome::Malformed:
        if (header == AuthorizationHeader)
            return QStringLiteral("Malformed Authorization header: expected `Authorization: Bearer <key>`");
        break;
    default:
        break;
    }
    return QStringLiteral("Missing API key: send `Authorization: Bearer <key>` or `x-api-key: <key>`");
}

void deny(AuthDecision &decision, int status, const QString &type, const QString &code, const QString &message)
{
    decision.verdict = status == 400 ? AuthVerdict::Rejected : AuthVerdict::Denied;
    decision.status = status;
    decision.errorType = type;
    decision.errorCode = code;
    decision.message = message;
    decision.trace.reason = message;
}

/// Whether x-api-key may decide after Authorization did not, and the rule's words for the trace.
struct FallbackRule
{
    bool allowed = true;
    QString text; ///< empty under `always`: the default needs no explanation
};

FallbackRule fallbackRule(ApiKeyFallback fallback, const SingleValue &authorization, QByteArrayView bearer)
{
    switch (fallback) {
    case ApiKeyFallback::Always:
        return {};
    case ApiKeyFallback::Never:
        return {false, QStringLiteral("x-api-key-fallback never")};
    case ApiKeyFallback::PlaceholderOnly:
        break;
    }
    if (!authorization.present)
        return {true, QStringLiteral("x-api-key-fallback placeholder-only: no Authorization")};
    if (isKeyShaped(bearer.isEmpty() ? authorization.value : bearer))
        return {false, QStringLiteral("x-api-key-fallback placeholder-only: a key-shaped Bearer is final")};
    return {true, QStringLiteral("x-api-key-fallback placeholder-only: Bearer is a placeholder")};
}

} // namespace

QByteArray keyDigest(QByteArrayView token)
{
    // One hasher per thread: QCryptographicHash::hash() allocates a fresh context on every call.
    thread_local QCryptographicHash hasher(QCryptographicHash::Sha256);
    hasher.reset();
    hasher.addData(token);
    return hasher.result();
}

namespace {

AuthDecision decide(const AuthRequest &request, const AuthPolicy &policy, const KeySnapshot &keys,
                    const QDateTime &nowUtc)
{
    AuthDecision decision;
    AuthTrace &trace = decision.trace;
    trace.source = QStringLiteral("none");

    const SingleValue authorization = singleValue(request.headers, "authorization");
    const SingleValue apiKey = singleValue(request.headers, "x-api-key");
    if (authorization.conflicting || apiKey.conflicting) {
        const QString &name = authorization.conflicting ? AuthorizationHeader : ApiKeyHeader;
        trace.steps.append({name, QString(), HeaderOutcome::Conflicting, QString()});
        deny(decision, 400, QStringLiteral("invalid_request_error"), QStringLiteral("invalid_request_error"),
             QStringLiteral("conflicting duplicate ") + name + QStringLiteral(" header"));
        return decision;
    }

    // Authorization first, then x-api-key; remember the outcome of the last header tried.
    HeaderOutcome lastOutcome = HeaderOutcome::Absent;
    QString lastHeader;
    const auto tryHeader = [&](const QString &name, const SingleValue &header, QByteArrayView token) {
        AuthStep step{name, maskSecret(token.isEmpty() ? header.value : token), HeaderOutcome::Absent, QString()};
        if (!header.present) {
            trace.steps.append(step);
            return false;
        }
        const KeyEntry *entry = nullptr;
        step.outcome = token.isEmpty() ? HeaderOutcome::Malformed : lookUp(token, keys, nowUtc, &entry);
        if (entry) {
            step.keyName = entry->name;
            step.maskedValue = entry->maskedKey;
        }
        trace.steps.append(step);
        lastOutcome = step.outcome;
        lastHeader = name;
        if (step.outcome != HeaderOutcome::Accepted)
            return false;
        decision.key = entry;
        return true;
    };

    const QByteArrayView bearer = bearerToken(authorization.value);
    bool accepted = tryHeader(AuthorizationHeader, authorization, bearer);
    bool apiKeyNotTried = false;
    if (accepted) {
        trace.source = QStringLiteral("authorization");
    } else {
        const FallbackRule rule = fallbackRule(policy.apiKeyFallback, authorization, bearer);
        if (!rule.allowed) {
            apiKeyNotTried = apiKey.present;
            trace.steps.append({ApiKeyHeader, maskSecret(apiKey.value),
                                apiKey.present ? HeaderOutcome::NotTried : HeaderOutcome::Absent, QString(),
                                apiKey.present ? rule.text : QString()});
        } else if (tryHeader(ApiKeyHeader, apiKey, apiKey.value)) {
            accepted = true;
            trace.source = QStringLiteral("x-api-key");
        }
        if (rule.allowed && apiKey.present)
            trace.steps.last().rule = rule.text;
    }

    if (!policy.requireKey && !isLocalRequest(request.peer, request.headers)) {
        deny(decision, 401, QStringLiteral("authentication_error"), QStringLiteral("invalid_api_key"),
             QStringLiteral("Proxy authentication must be configured before remote access is allowed"));
        decision.key = nullptr;
        trace.source = QStringLiteral("none");
        return decision;
    }
    if (accepted) {
        decision.verdict = AuthVerdict::Accepted;
        decision.status = 0;
        trace.keyId = decision.key->id;
        trace.keyName = decision.key->name;
        return decision;
    }
    if (!policy.requireKey && !policy.routeAlwaysNeedsKey) {
        decision.verdict = AuthVerdict::Anonymous;
        decision.status = 0;
        return decision;
    }
    deny(decision, 401, QStringLiteral("authentication_error"), QStringLiteral("invalid_api_key"),
         apiKeyNotTried && lastOutcome == HeaderOutcome::Absent
             ? QStringLiteral("Missing API key: send `Authorization: Bearer <key>` (this proxy does not read x-api-key)")
             : reasonFor(lastOutcome, lastHeader));
    return decision;
}

} // namespace

bool presentsCredential(const HttpHeaders &headers)
{
    return headers.contains("authorization") || headers.contains("x-api-key");
}

bool mayPresentKnownKey(const HttpHeaders &headers, const KeySnapshot &keys)
{
    const auto candidate = [&](QByteArrayView token) {
        return (token.startsWith("sk-kg-") && keys.hasMaskedKey(maskKeygateKey(token))) ||
               (token.startsWith("sk-clb-") && keys.hasMaskedKey(maskImportedKey(token)));
    };
    for (const QByteArray &value : headers.values("authorization"))
        if (candidate(bearerToken(value)))
            return true;
    for (const QByteArray &value : headers.values("x-api-key"))
        if (candidate(QByteArrayView(value).trimmed()))
            return true;
    return false;
}

AuthDecision decideAuth(const AuthRequest &request, const AuthPolicy &policy, const KeySnapshot &keys,
                        const QDateTime &nowUtc)
{
    AuthDecision decision = decide(request, policy, keys, nowUtc);
    decision.trace.verdict = decision.verdict;
    decision.trace.status = decision.status;
    return decision;
}

} // namespace Proxy
