// SPDX-License-Identifier: MIT
// decideAuth over arbitrary header sets, against a small snapshot of known keys (enabled, disabled,
// expired, expiring later, expiring right now), under each x-api-key-fallback rule: the verdict is one
// of the four an auth decision gives, with its status; it is the verdict the rules (api-key-auth spec)
// give, worked out here independently; it accepts only a header that carries exactly a known, enabled,
// unexpired key, and then the throttle's no-hash screen (mayPresentKnownKey) lets that key through too;
// no trace text, step or message ever holds a plaintext key, known or presented.
//
// Input: one config byte (require-key, route needs a key, loopback peer, Host, then two bits choosing
// x-api-key-fallback), then header lines split at '\n'. A line's first byte below 8 names a common
// header (table below), else the line is "name:value". In values, bytes 0xF0-0xF4 stand for the five
// known keys and 0xF5 for a key of the right shape that is not known but shares known key 0's last
// four characters.
#include "tests/fuzz/FuzzCheck.h"

#include "proxy/auth/AuthPipeline.h"
#include "proxy/auth/RequestLocality.h"
#include "proxy/auth/SecretMask.h"

#include <QDateTime>

using namespace Proxy;

namespace {

const QDateTime &now()
{
    static const QDateTime at(QDate(2026, 12, 7), QTime(12, 0), Qt::UTC);
    return at;
}

struct KnownKey final
{
    QByteArray plaintext;
    KeyEntry entry;
};

const QList<KnownKey> &knownKeys()
{
    static const QList<KnownKey> keys = [] {
        const auto key = [](qint64 id, const char *body, bool enabled, QDateTime expires) {
            KnownKey k;
            k.plaintext = QByteArray("sk-kg-") + body;
            k.entry.id = id;
            k.entry.name = QStringLiteral("key-%1").arg(id);
            k.entry.maskedKey = maskKeygateKey(k.plaintext);
            k.entry.enabled = enabled;
            k.entry.expiresAt = expires;
            return k;
        };
        return QList<KnownKey>{
            key(1, "Aq3xV9bT0nLm2ZkR8sYw4PdC6hJf1Ue5", true, {}),
            key(2, "Dz7LkP2mQ9wXr4TbN6vYc1HsJ8gFa3Eu", false, {}),
            key(3, "Hn5TqW8eR2yUi6OpA4sDf9GjK1lZx7Cv", true, now().addSecs(-3600)),
            key(4, "Mb3NvC8xZ1aS6dF4gH9jK2lQ7wE5rT0y", true, now().addSecs(3600)),
            key(5, "Pu6IoY1tR8eW3qA5sD2fG9hJ4kL7zX0c", true, now()),
        };
    }();
    return keys;
}

const KeySnapshot &snapshot()
{
    static const KeySnapshot keys = [] {
        KeySnapshot s;
        for (const KnownKey &k : knownKeys())
            s.insert(keyDigest(k.plaintext), k.entry);
        return s;
    }();
    return keys;
}

/// A key of the right shape, unknown, with known key 0's mask.
QByteArray lookalikeKey()
{
    return "sk-kg-ZZZZZZZZZZZZZZZZZZZZZZZZZZZZ" + knownKeys()[0].plaintext.right(4);
}

QByteArray expandKeys(QByteArrayView value)
{
    QByteArray out;
    for (const char c : value) {
        const auto b = static_cast<unsigned char>(c);
        if (b >= 0xF0 && b < 0xF0 + knownKeys().size())
            out += knownKeys()[b - 0xF0].plaintext;
        else if (b == 0xF5)
            out += lookalikeKey();
        else
            out += c;
    }
    return out;
}

HttpHeaders decodeHeaders(QByteArrayView text)
{
    static const QByteArray Names[] = {"Authorization", "authorization", "x-api-key", "X-API-KEY",
                                       "Host",          "X-Forwarded-For", "Forwarded", "X-Real-IP"};
    HttpHeaders headers;
    for (const QByteArrayView line : text.toByteArray().split('\n')) {
        if (line.isEmpty())
            continue;
        const auto first = static_cast<unsigned char>(line.front());
        if (first < 8) {
            headers.append(Names[first], expandKeys(line.sliced(1)));
        } else {
            const qsizetype colon = line.indexOf(':');
            if (colon < 0)
                headers.append(line.toByteArray(), {});
            else
                headers.append(line.first(colon).toByteArray(), expandKeys(line.sliced(colon + 1)));
        }
    }
    return headers;
}

bool isSpaceOrTab(char c)
{
    return c == ' ' || c == '\t';
}

/// The spec's rules, worked out from the headers: returns the verdict and the key it accepts.
AuthVerdict expectedVerdict(const HttpHeaders &headers, const AuthPolicy &policy, bool local, const KnownKey **key)
{
    *key = nullptr;
    const auto single = [&](const QByteArray &name, bool *present, QByteArray *value) {
        *present = false;
        for (const QByteArray &v : headers.values(name)) {
            const QByteArray trimmed = v.trimmed();
            if (*present && trimmed != *value)
                return false;
            *present = true;
            *value = trimmed;
        }
        return true;
    };
    bool hasAuthorization = false;
    bool hasApiKey = false;
    QByteArray authorization;
    QByteArray apiKey;
    if (!single("authorization", &hasAuthorization, &authorization) || !single("x-api-key", &hasApiKey, &apiKey))
        return AuthVerdict::Rejected;
    const auto usable = [](const QByteArray &token) -> const KnownKey * {
        for (const KnownKey &k : knownKeys())
            if (k.plaintext == token && k.entry.enabled && (!k.entry.expiresAt.isValid() || k.entry.expiresAt > now()))
                return &k;
        return nullptr;
    };
    QByteArray bearer;
    if (hasAuthorization && authorization.size() > 6 && authorization.first(6).toLower() == "bearer"
        && isSpaceOrTab(authorization[6]))
        bearer = authorization.sliced(6).trimmed();
    if (!bearer.isEmpty())
        *key = usable(bearer);
    // x-api-key-fallback: placeholder-only lets a key-shaped Authorization (with or without the scheme) be final.
    const QByteArray presented = bearer.isEmpty() ? authorization : bearer;
    const bool keyShaped = presented.startsWith("sk-kg-") || presented.startsWith("sk-clb-");
    const bool mayFallback = policy.apiKeyFallback == ApiKeyFallback::Always
                             || (policy.apiKeyFallback == ApiKeyFallback::PlaceholderOnly
                                 && (!hasAuthorization || !keyShaped));
    if (!*key && mayFallback && hasApiKey && !apiKey.isEmpty())
        *key = usable(apiKey);
    if (!policy.requireKey && !local) {
        *key = nullptr;
        return AuthVerdict::Denied;
    }
    if (*key)
        return AuthVerdict::Accepted;
    if (!policy.requireKey && !policy.routeAlwaysNeedsKey)
        return AuthVerdict::Anonymous;
    return AuthVerdict::Denied;
}

void checkNoPlaintext(const QString &text, const HttpHeaders &headers)
{
    for (const KnownKey &k : knownKeys())
        FUZZ_CHECK(!text.contains(QLatin1StringView(k.plaintext)));
    FUZZ_CHECK(!text.contains(QLatin1StringView(lookalikeKey())));
    // Any presented credential shaped like a key, whole or as a Bearer token.
    for (const auto &[name, value] : headers.fields()) {
        if (!HttpHeaders::sameName(name, "authorization") && !HttpHeaders::sameName(name, "x-api-key"))
            continue;
        const qsizetype at = value.indexOf("sk-kg-");
        if (at < 0)
            continue;
        qsizetype end = at;
        while (end < value.size() && !isSpaceOrTab(value[end]))
            ++end;
        if (end - at >= 16)
            FUZZ_CHECK(!text.contains(QString::fromLatin1(value.sliced(at, end - at))));
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const std::uint8_t config = data[0];
    HttpHeaders headers = decodeHeaders(QByteArrayView(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1));
    if (config & 8)
        headers.append("Host", "localhost:2455");
    AuthPolicy policy;
    policy.requireKey = config & 1;
    policy.routeAlwaysNeedsKey = config & 2;
    constexpr ApiKeyFallback Fallbacks[] = {ApiKeyFallback::Always, ApiKeyFallback::PlaceholderOnly,
                                            ApiKeyFallback::Never, ApiKeyFallback::Always};
    policy.apiKeyFallback = Fallbacks[(config >> 4) & 3];
    const QHostAddress peer = (config & 4) ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(QStringLiteral("192.0.2.7"));
    const bool local = isLocalRequest(peer, headers);

    const AuthRequest request{"POST", "/v1/responses", headers, peer};
    const AuthDecision decision = decideAuth(request, policy, snapshot(), now());

    // One of the outcomes an auth decision gives, with the status that goes with it.
    switch (decision.verdict) {
    case AuthVerdict::Accepted:
    case AuthVerdict::Anonymous:
        FUZZ_CHECK(decision.status == 0 && decision.allowed());
        break;
    case AuthVerdict::Denied:
        FUZZ_CHECK(decision.status == 401 && !decision.allowed() && decision.key == nullptr);
        FUZZ_CHECK(decision.errorCode == u"invalid_api_key" && !decision.message.isEmpty());
        break;
    case AuthVerdict::Rejected:
        FUZZ_CHECK(decision.status == 400 && !decision.allowed() && decision.key == nullptr);
        break;
    case AuthVerdict::Refused:
    case AuthVerdict::Reset:
        FUZZ_CHECK(false); // a policy verdict and an operator's reset: never the auth decision's own
    }
    FUZZ_CHECK(decision.trace.verdict == decision.verdict && decision.trace.status == decision.status);
    FUZZ_CHECK((decision.verdict == AuthVerdict::Accepted) == (decision.key != nullptr));

    const KnownKey *expectedKey = nullptr;
    FUZZ_CHECK(decision.verdict == expectedVerdict(headers, policy, local, &expectedKey));
    if (decision.key) {
        FUZZ_CHECK(expectedKey && decision.key->id == expectedKey->entry.id);
        FUZZ_CHECK(decision.key->enabled && (!decision.key->expiresAt.isValid() || decision.key->expiresAt > now()));
        FUZZ_CHECK(decision.trace.keyId == decision.key->id);
        FUZZ_CHECK(mayPresentKnownKey(headers, snapshot())); // a throttled peer's valid key is still served
    }
    FUZZ_CHECK(decision.verdict != AuthVerdict::Anonymous || (!policy.requireKey && local));

    checkNoPlaintext(decision.trace.summary(), headers);
    checkNoPlaintext(decision.message, headers);
    checkNoPlaintext(decision.trace.reason, headers);
    for (const AuthStep &step : decision.trace.steps) {
        checkNoPlaintext(step.maskedValue, headers);
        FUZZ_CHECK(step.maskedValue.size() <= 32);
    }
    return 0;
}
