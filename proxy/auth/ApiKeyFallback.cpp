// SPDX-License-Identifier: MIT
#include "proxy/auth/ApiKeyFallback.h"

namespace Proxy {

QString toString(ApiKeyFallback fallback)
{
    switch (fallback) {
    case ApiKeyFallback::Always:
        return QStringLiteral("always");
    case ApiKeyFallback::PlaceholderOnly:
        return QStringLiteral("placeholder-only");
    case ApiKeyFallback::Never:
        return QStringLiteral("never");
    }
    return {};
}

ApiKeyFallback apiKeyFallbackFromString(const QString &text, bool *ok)
{
    for (const ApiKeyFallback fallback :
         {ApiKeyFallback::Always, ApiKeyFallback::PlaceholderOnly, ApiKeyFallback::Never}) {
        if (text == toString(fallback)) {
            if (ok)
                *ok = true;
            return fallback;
        }
    }
    if (ok)
        *ok = false;
    return ApiKeyFallback::Always;
}

bool isKeyShaped(QByteArrayView token)
{
    return token.startsWith("sk-kg-") || token.startsWith("sk-clb-");
}

} // namespace Proxy
