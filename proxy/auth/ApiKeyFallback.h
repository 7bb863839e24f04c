// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>
#include <QString>

namespace Proxy {

/// When `x-api-key` may decide after `Authorization` did not (the `x-api-key-fallback` setting).
/// Always is what Pi needs (a JWT placeholder as Bearer, the key in x-api-key); PlaceholderOnly
/// keeps Pi working but lets a key-shaped Bearer that fails be final, so an invalid Bearer plus a
/// valid x-api-key no longer passes; Never makes Authorization the only header.
enum class ApiKeyFallback { Always, PlaceholderOnly, Never };

QString toString(ApiKeyFallback fallback); ///< "always", "placeholder-only", "never"
ApiKeyFallback apiKeyFallbackFromString(const QString &text, bool *ok = nullptr);

/// Whether @p token has the shape of a key Keygate could hold: its own `sk-kg-` keys and keys
/// imported from codex-lb (`sk-clb-`). Pi's JWT placeholder is not.
bool isKeyShaped(QByteArrayView token);

} // namespace Proxy
