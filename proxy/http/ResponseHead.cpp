// SPDX-License-Identifier: MIT
#include "proxy/http/ResponseHead.h"

#include <QtGlobal>

#include <cstdio>
#include <cstring>
#include <ctime>

namespace Proxy::ResponseHead {

namespace {

QByteArrayView reasonPhrase(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 422: return "Unprocessable Content";
    case 425: return "Too Early";
    case 426: return "Upgrade Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

/// IMF-fixdate of the current second, cached per thread.
const QByteArray &httpDate()
{
    thread_local std::time_t cachedSecond = 0;
    thread_local QByteArray cached;
    const std::time_t now = std::time(nullptr);
    if (now != cachedSecond || cached.isEmpty()) {
        static constexpr const char *Days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
        static constexpr const char *Months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        std::tm tm {};
#if defined(Q_OS_WIN)
        gmtime_s(&tm, &now);
#else
        gmtime_r(&now, &tm);
#endif
        char buf[40];
        const int n = std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", Days[tm.tm_wday % 7],
                                    tm.tm_mday, Months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                                    tm.tm_sec);
        cached = QByteArray(buf, n);
        cachedSecond = now;
    }
    return cached;
}

/// Header names the front end owns; a handler's copies are dropped.
bool isFramingHeader(QByteArrayView name)
{
    switch (name.size()) {
    case 4: return HttpHeaders::sameName(name, "date");
    case 10: return HttpHeaders::sameName(name, "connection") || HttpHeaders::sameName(name, "keep-alive");
    case 14: return HttpHeaders::sameName(name, "content-length");
    case 17: return HttpHeaders::sameName(name, "transfer-encoding");
    default: return false;
    }
}

bool hasLineBreak(QByteArrayView s)
{
    return !s.isEmpty()
           && (std::memchr(s.data(), '\n', size_t(s.size())) || std::memchr(s.data(), '\r', size_t(s.size())));
}

} // namespace

int finalStatusOr500(int status)
{
    if (status >= 200 && status <= 999)
        return status;
    qWarning("HttpConnection: invalid final status %d, sending 500", status);
    return 500;
}

bool bodyForbidden(int status)
{
    return (status >= 100 && status < 200) || status == 204 || status == 304;
}

QByteArray build(int status, const HttpHeaders &headers, bool close)
{
    QByteArray head;
    head.reserve(160 + headers.size() * 48);
    head.append("HTTP/1.1 ");
    head.append(QByteArray::number(status));
    head.append(' ');
    head.append(reasonPhrase(status));
    head.append("\r\n");
    for (const auto &field : headers.fields()) {
        if (isFramingHeader(field.first))
            continue;
        if (field.first.isEmpty() || hasLineBreak(field.first) || hasLineBreak(field.second)) {
            qWarning("HttpConnection: dropped response header with a line break");
            continue;
        }
        head.append(field.first);
        head.append(": ");
        head.append(field.second);
        head.append("\r\n");
    }
    head.append("Date: ");
    head.append(httpDate());
    head.append(close ? "\r\nConnection: close\r\n" : "\r\nConnection: keep-alive\r\n");
    return head; // the caller adds framing and the final CRLF
}

} // namespace Proxy::ResponseHead
