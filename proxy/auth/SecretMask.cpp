// SPDX-License-Identifier: MIT
#include "proxy/auth/SecretMask.h"

namespace Proxy {

namespace {

constexpr QByteArrayView KeygatePrefix = "sk-kg-";
constexpr QByteArrayView ImportedPrefix = "sk-clb-";
constexpr qsizetype MinLengthToShowTail = 16;

QString tail(QByteArrayView value, qsizetype n)
{
    return QString::fromLatin1(value.last(std::min(n, value.size())));
}

bool isJwtShaped(QByteArrayView value)
{
    return value.startsWith("eyJ") && value.count('.') == 2;
}

} // namespace

QString maskKeygateKey(QByteArrayView key)
{
    return QStringLiteral("sk-kg-\u2026") + tail(key, 4);
}

QString maskImportedKey(QByteArrayView keyOrPrefix)
{
    const QByteArrayView afterPrefix = keyOrPrefix.sliced(std::min(ImportedPrefix.size(), keyOrPrefix.size()));
    return QStringLiteral("sk-clb-") + QString::fromLatin1(afterPrefix.first(std::min<qsizetype>(4, afterPrefix.size())))
           + QStringLiteral("\u2026");
}

QString maskSecret(QByteArrayView value)
{
    if (value.isEmpty())
        return {};
    if (value.startsWith(KeygatePrefix) && value.size() >= MinLengthToShowTail)
        return maskKeygateKey(value);
    if (value.startsWith(ImportedPrefix) && value.size() >= MinLengthToShowTail)
        return maskImportedKey(value);
    if (isJwtShaped(value)) {
        const QByteArrayView signature = value.sliced(value.lastIndexOf('.') + 1);
        return QStringLiteral("JWT-shaped \u2026") + tail(signature, 4);
    }
    const QString length = QString::number(value.size());
    if (value.size() < MinLengthToShowTail)
        return QStringLiteral("token (") + length + QStringLiteral(" chars)");
    return QStringLiteral("token (") + length + QStringLiteral(" chars) \u2026") + tail(value, 4);
}

} // namespace Proxy
