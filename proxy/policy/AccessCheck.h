// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/policy/KeyPolicy.h"
#include "proxy/policy/PolicyDecision.h"

namespace Proxy {

/// The model and reasoning-effort allowlists of a key (reference §2.6): 403 permission_error
/// `model_not_allowed` / `reasoning_effort_not_allowed`. An effort the client did not select is
/// never refused.
PolicyDecision checkAccess(const KeyPolicy &policy, const QString &model, const QString &effort);

} // namespace Proxy
