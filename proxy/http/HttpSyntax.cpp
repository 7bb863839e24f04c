// SPDX-License-Identifier: MIT
#include "proxy/http/HttpSyntax.h"

namespace Proxy::HttpSyntax {

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text)
        if (!isTokenChar(static_cast<unsigned char>(c)))
            return false;
    return true;
}

QByteArrayView trimOws(QByteArrayView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && (text[begin] == ' ' || text[begin] == '\t'))
        ++begin;
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t'))
        --end;
    return text.sliced(begin, end - begin);
}

bool listContains(const HttpHeaders &headers, QByteArrayView name, QByteArrayView element)
{
    bool found = false;
    for (const auto &field : headers.fields()) {
        if (found || !HttpHeaders::sameName(field.first, name))
            continue;
        forEachListElement(field.second, [&](QByteArrayView item) { found = found || HttpHeaders::sameName(item, element); });
    }
    return found;
}

} // namespace Proxy::HttpSyntax
