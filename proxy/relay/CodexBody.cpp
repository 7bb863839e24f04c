// SPDX-License-Identifier: MIT
#include "proxy/relay/CodexBody.h"

#include "proxy/relay/JsonScanner.h"
#include "proxy/routing/AccountPool.h"

#include <array>
#include <vector>

namespace Proxy {

namespace {

/// Plain-API fields the ChatGPT backend answers with 400 `Unsupported parameter: <name>`.
constexpr std::array<QByteArrayView, 8> Unsupported = {
    "max_output_tokens", "temperature", "top_p", "metadata", "user", "truncation", "safety_identifier",
    "prompt_cache_retention"};

bool isUnsupported(QByteArrayView name)
{
    for (const QByteArrayView field : Unsupported)
        if (name == field)
            return true;
    return false;
}

bool isEmptyArray(QByteArrayView value)
{
    if (value.size() < 2 || value.front() != '[' || value.back() != ']')
        return false;
    for (const char c : value.sliced(1, value.size() - 2))
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return false;
    return true;
}

/// One top-level member as it goes out: its raw text, or its raw name with a new value.
struct Piece
{
    QByteArrayView raw;
    QByteArrayView newValue; ///< empty: keep raw as it is
};

} // namespace

CodexBody CodexBody::normalise(const QByteArray &body)
{
    CodexBody out;
    out.body = body;
    std::vector<Piece> pieces;
    bool sawStore = false;
    bool sawStream = false;
    JsonScanner scanner(body, JsonScanner::Mode::Lenient); // already scanned strictly by the caller
    const bool ok = scanner.scanObject([&](const JsonMember &member) {
        const QByteArrayView name = member.name;
        const QByteArrayView value = member.value;
        const QByteArrayView raw(member.rawName.data(), value.data() + value.size() - member.rawName.data());
        if (name == "previous_response_id" && value != "null") {
            out.refusal = Refusal{QStringLiteral("previous_response_id"),
                                  QStringLiteral("previous_response_id cannot be served by a ChatGPT account: it needs a "
                                                 "stored response, and the ChatGPT backend only runs with store:false. "
                                                 "Send the whole conversation as input instead.")};
        } else if (name == "store") {
            sawStore = true;
            if (value != "false") {
                out.changes << QStringLiteral("store forced false");
                pieces.push_back({member.rawName, "false"});
                return;
            }
        } else if (name == "stream") {
            sawStream = true;
            if (value != "true") {
                out.changes << QStringLiteral("stream forced true");
                pieces.push_back({member.rawName, "true"});
                return;
            }
        } else if (isUnsupported(name) || (name == "tools" && isEmptyArray(value))) {
            out.changes << (name == "tools" ? QStringLiteral("dropped empty tools")
                                            : QStringLiteral("dropped ") + QString::fromUtf8(name));
            return;
        }
        pieces.push_back({raw, {}});
    });
    if (!ok)
        return out; // not for us to judge: the caller validated the body
    if (!sawStore)
        out.changes << QStringLiteral("store forced false");
    if (!sawStream)
        out.changes << QStringLiteral("stream forced true");
    if (out.changes.isEmpty())
        return out;

    QByteArray rewritten;
    rewritten.reserve(body.size() + 32);
    rewritten.append('{');
    for (const Piece &piece : pieces) {
        if (rewritten.size() > 1)
            rewritten.append(',');
        rewritten.append(piece.raw);
        if (!piece.newValue.isEmpty())
            rewritten.append(':').append(piece.newValue);
    }
    if (!sawStore)
        rewritten.append(rewritten.size() > 1 ? "," : "").append("\"store\":false");
    if (!sawStream)
        rewritten.append(rewritten.size() > 1 ? "," : "").append("\"stream\":true");
    rewritten.append('}');
    out.body = rewritten;
    return out;
}

std::optional<CodexBody> CodexBody::forPool(const QByteArray &body, const AccountPool &pool)
{
    if (!pool.hasKind(UpstreamConfig::Kind::Codex))
        return std::nullopt;
    CodexBody out = normalise(body);
    if (out.refusal && pool.hasKind(UpstreamConfig::Kind::OpenAI))
        out.refusal.reset();
    return out;
}

std::optional<CodexBody> CodexBody::forTranslation(const QStringList &changes, const AccountPool &pool)
{
    if (!pool.hasKind(UpstreamConfig::Kind::Codex))
        return std::nullopt;
    CodexBody out;
    out.changes = changes;
    return out;
}

QString CodexBody::noted(const QString &policyText) const
{
    if (changes.isEmpty())
        return policyText;
    return policyText + (policyText.isEmpty() ? QString() : QStringLiteral(" → ")) + QStringLiteral("codex body: ")
           + changes.join(QStringLiteral(", "));
}

} // namespace Proxy
