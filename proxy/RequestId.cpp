// SPDX-License-Identifier: MIT
#include "proxy/RequestId.h"

#include <QRandomGenerator>

namespace Proxy {

QByteArray newRequestId()
{
    const quint64 random = QRandomGenerator::global()->generate64();
    QByteArray id = QByteArrayLiteral("req_");
    id += QByteArray::number(random, 16).rightJustified(16, '0');
    return id;
}

QString requestIdFor(const HttpHeaders &headers)
{
    const QByteArray given = headers.value("x-request-id");
    if (given.isEmpty() || given.size() > 128)
        return QString::fromLatin1(newRequestId());
    for (char c : given)
        if (c < 0x21 || c > 0x7e)
            return QString::fromLatin1(newRequestId());
    return QString::fromLatin1(given);
}

} // namespace Proxy
