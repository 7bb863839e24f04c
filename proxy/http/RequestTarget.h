// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Proxy {

/// A request-target (RFC 9112 §3.2) reduced to what the handler routes on:
///  - origin-form ("/path?query") as sent;
///  - "*" for OPTIONS only;
///  - absolute-form with an http/https scheme, reduced to its path and query ("http://h/a?b" → "/a?b",
///    "http://h" → "/"); its authority must be a valid Host value (see HostHeader), so no userinfo;
///  - anything else (authority-form, relative paths, other schemes), a fragment, or a byte outside
///    VCHAR is refused.
struct RequestTarget final
{
    QByteArray target; ///< origin-form (or "*"), e.g. "/v1/responses?x=1"
    QByteArray path;   ///< target without the query
    QByteArray query;  ///< without '?', may be empty
    const char *error = nullptr; ///< why the target is refused (static text), nullptr when valid

    static RequestTarget parse(QByteArrayView method, QByteArrayView target);
};

} // namespace Proxy
