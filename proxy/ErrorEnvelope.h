// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace Proxy {

/// The OpenAI error body every Keygate error uses: {"error":{"message","type","code"[,...extra]}}.
QByteArray errorEnvelope(const QString &message, const QString &type, const QString &code,
                         const QJsonObject &extra = {});

} // namespace Proxy
