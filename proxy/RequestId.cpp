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

} // namespace Proxy
