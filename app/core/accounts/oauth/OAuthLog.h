// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

namespace Core {

/// keygate.oauth: logins and token refreshes. Messages never contain tokens, codes or verifiers.
Q_DECLARE_LOGGING_CATEGORY(lcOAuth)

} // namespace Core
