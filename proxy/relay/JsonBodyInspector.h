// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>
#include <QString>

namespace Proxy {

/// What the proxy needs from a Responses request body, read in one pass without building a
/// document: is it a well-formed JSON object (RFC 8259), and its top-level "model" and "stream".
/// Agents send bodies of hundreds of kilobytes every turn; a full QJsonDocument parse of those on the
/// proxy thread would stall every other stream for milliseconds.
struct JsonBodyInspection final
{
    bool validObject = false;
    QString model;      ///< top-level "model" when it is a string without escapes, else empty
    bool stream = false; ///< top-level "stream": true

    static JsonBodyInspection inspect(QByteArrayView body);
};

} // namespace Proxy
