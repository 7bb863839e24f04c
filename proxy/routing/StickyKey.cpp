// SPDX-License-Identifier: MIT
#include "proxy/routing/StickyKey.h"

namespace Proxy {

namespace {

constexpr qsizetype MaxKeyChars = 512; // longer keys are not ids; they would only bloat the table

} // namespace

QString stickyKeyFor(const HttpHeaders &headers, const QString &promptCacheKey)
{
    if (!promptCacheKey.isEmpty() && promptCacheKey.size() <= MaxKeyChars)
        return QStringLiteral("cache:") + promptCacheKey;
    for (const char *name : {"session_id", "session-id", "x-codex-session-id"}) {
        const QByteArray value = headers.value(name).trimmed();
        if (!value.isEmpty() && value.size() <= MaxKeyChars)
            return QStringLiteral("session:") + QString::fromUtf8(value);
    }
    return {};
}

} // namespace Proxy
