// SPDX-License-Identifier: MIT
#include "proxy/http/HostHeader.h"

namespace Proxy {

namespace {

using Error = HostHeader::Error;

constexpr qsizetype MaxNameLength = 253;  // RFC 1035 §2.3.4, not counting a trailing dot
constexpr qsizetype MaxLabelLength = 63;  // RFC 1035 §2.3.4
constexpr qsizetype MaxIPv6Length = 45;   // "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"
constexpr qsizetype MaxPortDigits = 5;    // 65535
constexpr int MaxPort = 65535;

constexpr bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

constexpr bool isHexDigit(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

constexpr bool isNameChar(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

/// dec-octet "." dec-octet "." dec-octet "." dec-octet, each 0..255 without leading zeros.
bool isIPv4Address(QByteArrayView s)
{
    qsizetype i = 0;
    for (int octet = 0; octet < 4; ++octet) {
        if (octet > 0) {
            if (i == s.size() || s[i] != '.')
                return false;
            ++i;
        }
        const qsizetype start = i;
        int value = 0;
        while (i < s.size() && i - start < 3 && isDigit(s[i]))
            value = value * 10 + (s[i++] - '0');
        if (i == start || value > 255 || (i - start > 1 && s[start] == '0'))
            return false;
    }
    return i == s.size();
}

/// IPv6address (RFC 3986 §3.2.2): eight h16 pieces, or fewer around one "::"; the last two pieces
/// may be written as an IPv4address.
bool isIPv6Address(QByteArrayView s)
{
    if (s.size() > MaxIPv6Length)
        return false;
    int pieces = 0;
    bool compressed = false;
    qsizetype i = 0;
    if (s.startsWith("::")) {
        compressed = true;
        i = 2;
    }
    while (i < s.size()) {
        const QByteArrayView rest = s.sliced(i);
        if (!rest.contains(':') && rest.contains('.')) {
            if (!isIPv4Address(rest))
                return false;
            pieces += 2;
            break;
        }
        const qsizetype start = i;
        while (i < s.size() && i - start < 4 && isHexDigit(s[i]))
            ++i;
        if (i == start)
            return false;
        ++pieces;
        if (i == s.size())
            break;
        if (s[i] != ':')
            return false; // a fifth hex digit or anything else
        if (++i == s.size())
            return false; // a single trailing ':'
        if (s[i] == ':') {
            if (compressed)
                return false;
            compressed = true;
            ++i;
        }
    }
    return compressed ? pieces <= 7 : pieces == 8;
}

/// WHATWG URL "ends in a number": all digits, or "0x"/"0X" followed by hex digits.
bool isNumericLabel(QByteArrayView label)
{
    if (label.size() >= 2 && label[0] == '0' && (label[1] == 'x' || label[1] == 'X')) {
        for (const char c : label.sliced(2))
            if (!isHexDigit(c))
                return false;
        return true;
    }
    for (const char c : label)
        if (!isDigit(c))
            return false;
    return true;
}

/// A name or IPv4 address; only name characters and dots are left at this point.
Error checkName(QByteArrayView host)
{
    const bool trailingDot = host.endsWith('.');
    const QByteArrayView name = trailingDot ? host.chopped(1) : host;
    if (name.isEmpty())
        return Error::EmptyLabel;
    if (name.size() > MaxNameLength)
        return Error::NameTooLong;
    qsizetype labelStart = 0;
    qsizetype lastLabelStart = 0;
    for (qsizetype i = 0; i <= name.size(); ++i) {
        if (i < name.size() && name[i] != '.')
            continue;
        const qsizetype length = i - labelStart;
        if (length == 0)
            return Error::EmptyLabel;
        if (length > MaxLabelLength)
            return Error::LabelTooLong;
        lastLabelStart = labelStart;
        labelStart = i + 1;
    }
    if (isNumericLabel(name.sliced(lastLabelStart)) && (trailingDot || !isIPv4Address(name)))
        return Error::NumericName;
    return Error::None;
}

Error checkPort(QByteArrayView digits, int *port)
{
    if (digits.isEmpty())
        return Error::EmptyPort;
    for (const char c : digits)
        if (!isDigit(c))
            return Error::BadPort;
    if (digits.size() > MaxPortDigits)
        return Error::PortOutOfRange;
    int value = 0;
    for (const char c : digits)
        value = value * 10 + (c - '0');
    if (value > MaxPort)
        return Error::PortOutOfRange;
    *port = value;
    return Error::None;
}

/// The first byte that can appear in no valid Host, classified for the message.
Error firstForeignByte(QByteArrayView value)
{
    for (const char c : value) {
        if (isNameChar(c) || c == '.' || c == ':' || c == '[' || c == ']')
            continue;
        switch (c) {
        case ' ':
        case '\t':
            return Error::Whitespace;
        case '@':
            return Error::UserInfo;
        case '%':
            return Error::PercentSign;
        default:
            return Error::BadCharacter;
        }
    }
    return Error::None;
}

Error split(QByteArrayView value, QByteArrayView *host, int *port)
{
    if (value.isEmpty())
        return Error::Empty;
    if (const Error error = firstForeignByte(value); error != Error::None)
        return error;
    QByteArrayView rest;
    if (value[0] == '[') {
        const qsizetype close = value.indexOf(']');
        if (close < 0 || value.lastIndexOf('[') != 0 || value.lastIndexOf(']') != close)
            return Error::UnbalancedBrackets;
        if (!isIPv6Address(value.sliced(1, close - 1)))
            return Error::BadIPLiteral;
        *host = value.first(close + 1);
        rest = value.sliced(close + 1);
        if (!rest.isEmpty() && rest[0] != ':')
            return Error::JunkAfterBracket;
    } else {
        if (value.contains('[') || value.contains(']'))
            return Error::UnbalancedBrackets;
        const qsizetype colon = value.indexOf(':');
        if (colon >= 0 && value.indexOf(':', colon + 1) >= 0)
            return Error::UnbracketedIPv6;
        *host = colon < 0 ? value : value.first(colon);
        rest = colon < 0 ? QByteArrayView() : value.sliced(colon);
        if (host->isEmpty())
            return Error::MissingHost;
        if (const Error error = checkName(*host); error != Error::None)
            return error;
    }
    return rest.isEmpty() ? Error::None : checkPort(rest.sliced(1), port);
}

} // namespace

HostHeader HostHeader::parse(QByteArrayView value)
{
    HostHeader out;
    out.m_error = split(value, &out.m_host, &out.m_port);
    if (out.m_error != Error::None) {
        out.m_host = {};
        out.m_port = -1;
    }
    return out;
}

const char *HostHeader::errorMessage() const
{
    switch (m_error) {
    case Error::None:
        return nullptr;
    case Error::Empty:
        return "Invalid Host: the value is empty";
    case Error::Whitespace:
        return "Invalid Host: spaces and tabs are not allowed";
    case Error::UserInfo:
        return "Invalid Host: userinfo ('@') is not allowed";
    case Error::PercentSign:
        return "Invalid Host: '%' is not allowed (no percent-encoding, no IPv6 zone id)";
    case Error::BadCharacter:
        return "Invalid Host: a character that no host name contains";
    case Error::UnbalancedBrackets:
        return "Invalid Host: unbalanced or misplaced brackets";
    case Error::UnbracketedIPv6:
        return "Invalid Host: an IPv6 address must be enclosed in brackets";
    case Error::BadIPLiteral:
        return "Invalid Host: the bracketed address is not an IPv6 address";
    case Error::JunkAfterBracket:
        return "Invalid Host: only ':' and a port may follow ']'";
    case Error::MissingHost:
        return "Invalid Host: a port without a host";
    case Error::EmptyLabel:
        return "Invalid Host: the name has an empty label";
    case Error::LabelTooLong:
        return "Invalid Host: a label is longer than 63 characters";
    case Error::NameTooLong:
        return "Invalid Host: the name is longer than 253 characters";
    case Error::NumericName:
        return "Invalid Host: a name ending in a number must be a dotted-decimal IPv4 address";
    case Error::EmptyPort:
        return "Invalid Host: ':' without a port";
    case Error::BadPort:
        return "Invalid Host: the port must be digits only";
    case Error::PortOutOfRange:
        return "Invalid Host: the port must be 0 to 65535, in at most 5 digits";
    }
    return nullptr;
}

} // namespace Proxy
