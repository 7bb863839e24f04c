// SPDX-License-Identifier: MIT
#include "proxy/http/RequestTarget.h"

#include "proxy/http/HostHeader.h"
#include "proxy/http/HttpSyntax.h"

namespace Proxy {

namespace {

RequestTarget refused(const char *why)
{
    RequestTarget out;
    out.error = why;
    return out;
}

} // namespace

RequestTarget RequestTarget::parse(QByteArrayView method, QByteArrayView target)
{
    for (const char ch : target) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7f)
            return refused("Invalid character in request target");
        if (c == '#')
            return refused("Fragment in request target");
    }

    RequestTarget out;
    if (target.startsWith('/')) {
        out.target = target.toByteArray();
    } else if (target == "*") {
        if (method != "OPTIONS")
            return refused("Asterisk request target is only valid for OPTIONS");
        out.target = target.toByteArray();
    } else if (HttpSyntax::startsWithNoCase(target, "http://") || HttpSyntax::startsWithNoCase(target, "https://")) {
        const qsizetype authorityStart = target.indexOf("://") + 3;
        qsizetype authorityEnd = authorityStart;
        while (authorityEnd < target.size() && target[authorityEnd] != '/' && target[authorityEnd] != '?')
            ++authorityEnd;
        if (!HostHeader::parse(target.sliced(authorityStart, authorityEnd - authorityStart)).isValid())
            return refused("Invalid absolute request target");
        out.target = target.sliced(authorityEnd).toByteArray(); // "", "/…" or "?…"
        if (!out.target.startsWith('/'))
            out.target.prepend('/');
    } else {
        return refused("Unsupported request target form");
    }

    const qsizetype q = out.target.indexOf('?');
    out.path = q < 0 ? out.target : out.target.first(q);
    if (q >= 0)
        out.query = out.target.sliced(q + 1);
    return out;
}

} // namespace Proxy
