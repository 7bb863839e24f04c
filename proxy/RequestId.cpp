// SPDX-License-Identifier: MIT
#include "proxy/RequestId.h"

#include <QRandomGenerator>

namespace Proxy {

namespace {
constexpr qsizetype MaxClientRequestIdChars = 64;
} // namespace

QByteArray newRequestId()
{
    const quint64 random = QRandomGenerator::global()->generate64();
    QByteArray id = QByteArrayLiteral("req_");
    id += QByteArray::number(random, 16).rightJustified(16, '0');
    return id;
}

QString clientRequestId(const HttpHeaders &headers)
{
    const QByteArray given = headers.value("x-request-id");
    QString out;
    out.reserve(std::min(given.size(), MaxClientRequestIdChars) + 1);
    for (qsizetype i = 0; i < given.size() && i < MaxClientRequestIdChars; ++i) {
        const char c = given[i];
        out += c >= 0x21 && c <= 0x7e ? QChar::fromLatin1(c) : u'?';
    }
    if (given.size() > MaxClientRequestIdChars)
        out += u'\u2026';
    return out;
}

} // namespace Proxy
