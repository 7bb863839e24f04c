// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Core {

/// A Keygate API key and what is derived from it: `sk-kg-` + 43 URL-safe base64 characters
/// (32 bytes from the system CSPRNG, no padding).
struct KeyMaterial final
{
    QString plaintext;
    QString prefix;  ///< first 10 characters, for display
    QString last4;
    QString hashHex; ///< lowercase hex SHA-256 of the UTF-8 plaintext

    static KeyMaterial generate();
    static KeyMaterial fromPlaintext(const QString &plaintext);
    static QString sha256Hex(const QString &plaintext);
    /// "sk-kg-…" + @p last4 (U+2026 ellipsis).
    static QString masked(const QString &last4);

    static constexpr auto Prefix = "sk-kg-";
    static constexpr int PrefixDisplayLength = 10;
};

} // namespace Core
