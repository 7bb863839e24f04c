// SPDX-License-Identifier: MIT
#include "app/core/accounts/oauth/OAuthLog.h"

namespace Core {

Q_LOGGING_CATEGORY(lcOAuth, "keygate.oauth")

} // namespace Core
