// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <QByteArray>

namespace Core::Cli {

/// The environment variable a backup passphrase may come from (never an argument: it would show
/// in `ps` and the shell history).
constexpr auto PassphraseVariable = "KEYGATE_BACKUP_PASSPHRASE";

/// The backup passphrase: $KEYGATE_BACKUP_PASSPHRASE when set, else stdin — prompted on the
/// terminal without echo (twice when @p confirm), or one line when stdin is not a terminal.
/// Never empty. The caller wipes it (wipeBytes) when done.
Result<QByteArray> readPassphrase(bool confirm);

} // namespace Core::Cli
