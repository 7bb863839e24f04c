// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <QByteArray>
#include <QString>

namespace Core {

/// Reads a CA file an account should trust (`--ca-file`, the console's CA field): one or more PEM
/// certificates. The answer is the certificates alone, re-encoded as PEM — what the account stores.
class CaCertificateFile final
{
public:
    static constexpr qint64 MaxBytes = 1024 * 1024; ///< a CA bundle is a few KiB; refuse anything odd

    /// The PEM of the certificates in @p path, or why it cannot be used (missing, unreadable, too
    /// large, not PEM, a private key inside), naming the path.
    static Result<QByteArray> read(const QString &path);
};

} // namespace Core
