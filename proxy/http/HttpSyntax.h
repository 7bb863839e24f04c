// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpHeaders.h"

#include <QByteArrayView>

/// The small pieces of RFC 9110/9112 grammar that the request parser, the response parser and the
/// upstream client share.
namespace Proxy::HttpSyntax {

/// tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
constexpr bool isTokenChar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

/// A non-empty run of tchar (method, field name, transfer coding).
bool isToken(QByteArrayView text);

/// Case-insensitive ASCII prefix test.
inline bool startsWithNoCase(QByteArrayView text, QByteArrayView prefix)
{
    return text.size() >= prefix.size() && HttpHeaders::sameName(text.first(prefix.size()), prefix);
}

/// Strips optional whitespace (SP / HTAB) from both ends.
QByteArrayView trimOws(QByteArrayView text);

/// Calls fn(element) for each non-empty, OWS-trimmed element of a comma-separated list.
template<typename Fn>
void forEachListElement(QByteArrayView list, Fn fn)
{
    while (!list.isEmpty()) {
        const qsizetype comma = list.indexOf(',');
        const QByteArrayView element = trimOws(comma < 0 ? list : list.first(comma));
        if (!element.isEmpty())
            fn(element);
        if (comma < 0)
            break;
        list = list.sliced(comma + 1);
    }
}

/// Whether any field @p name lists @p element (case-insensitive), e.g. `Connection: keep-alive, close`.
bool listContains(const HttpHeaders &headers, QByteArrayView name, QByteArrayView element);

} // namespace Proxy::HttpSyntax
