// SPDX-License-Identifier: MIT
#include "proxy/UpstreamConfig.h"

namespace Proxy {

QString UpstreamConfig::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Codex:
        return QStringLiteral("codex");
    case Kind::OpenAI:
        return QStringLiteral("openai");
    case Kind::None:
        break;
    }
    return QStringLiteral("none");
}

UpstreamConfig::Kind UpstreamConfig::kindFromName(const QString &name, bool *ok)
{
    const QString lower = name.trimmed().toLower();
    Kind kind = Kind::None;
    bool valid = true;
    if (lower == u"codex")
        kind = Kind::Codex;
    else if (lower == u"openai")
        kind = Kind::OpenAI;
    else
        valid = lower == u"none";
    if (ok)
        *ok = valid;
    return kind;
}

} // namespace Proxy
