// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

namespace Core {

class KeyPolicyService;
class KeyService;
class UsageResetService;

/// `keygate keys reset-usage ID_OR_NAME [--limit LIMIT_ID] [--json]`: restarts a key's limit windows
/// from now without regenerating the key. A running `keygate serve` picks the change up from the
/// database within a second. Main thread.
int runResetUsageCommand(KeyService &keys, KeyPolicyService &policy, UsageResetService &resets,
                         const QStringList &arguments);

} // namespace Core
