// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>

namespace Proxy {

/// A Host field value (or the authority of an absolute-form target) checked against
/// `uri-host [":" port]` (RFC 9112 §3.2, RFC 3986 §3.2.2), stricter where no real client needs the
/// leeway and the leeway would let one host be spelled two ways:
///  - uri-host is "[" IPv6address "]" (IPvFuture and zone ids refused), a dotted-decimal IPv4address
///    (no leading zeros), or a DNS-style name: labels of ALPHA / DIGIT / "-" / "_" separated by single
///    dots, each 1..63 characters, at most 253 in all, one trailing dot allowed (`example.com.`).
///  - No percent sign at all: pct-encoded reg-names are legal in RFC 3986, but no DNS name needs them
///    and decoding them would let `%6cocalhost` mean `localhost`. RFC 3986 sub-delims ("!$&'()*+,;=")
///    and "~" in names are refused for the same reason: no DNS name uses them.
///  - A name whose last label is a number (all digits, or "0x" + hex: WHATWG URL "ends in a number")
///    is an IPv4 address to browsers and inet_aton (`127.1`, `2130706433`, `0x7f.1`); it must then be
///    a strict dotted-decimal IPv4address, without a trailing dot.
///  - No userinfo ("@"), no spaces or tabs, no IPv6 address without brackets (`::1`, `::1:80`), no
///    unbalanced brackets, nothing but ":" port after "]", no empty value.
///  - port is 1..5 digits with a value of 0..65535; an empty port after ":" is refused, and so are
///    ports over 65535 and longer spellings such as `000000000080`.
/// Allocation-free: host() is a view into the parsed value; error messages are static text that
/// never quotes the value (it may hold bytes unfit for a log or an error body).
class HostHeader final
{
public:
    enum class Error {
        None,
        Empty,
        Whitespace,
        UserInfo,
        PercentSign,
        BadCharacter,
        UnbalancedBrackets,
        UnbracketedIPv6,
        BadIPLiteral,
        JunkAfterBracket,
        MissingHost,
        EmptyLabel,
        LabelTooLong,
        NameTooLong,
        NumericName,
        EmptyPort,
        BadPort,
        PortOutOfRange,
    };

    static HostHeader parse(QByteArrayView value);

    bool isValid() const { return m_error == Error::None; }
    Error error() const { return m_error; }
    /// What is wrong, in words ("Invalid Host: …"); nullptr when valid.
    const char *errorMessage() const;
    /// The host as sent: a name (a trailing dot kept), an IPv4 address, or "[IPv6]" with its brackets.
    /// Empty when invalid.
    QByteArrayView host() const { return m_host; }
    /// The port, or -1 when none was given (or the value is invalid).
    int port() const { return m_port; }

private:
    QByteArrayView m_host;
    int m_port = -1;
    Error m_error = Error::None;
};

} // namespace Proxy
