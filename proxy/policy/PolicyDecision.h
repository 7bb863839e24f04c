// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <optional>

namespace Proxy {

/// The verdict of the key policy on one request whose key was accepted. `status` 0 = go ahead.
struct PolicyDecision final
{
    int status = 0;
    QString type;    ///< OpenAI envelope `type`
    QString code;    ///< OpenAI envelope `code`
    QString message; ///< OpenAI envelope `message`
    QString param;   ///< OpenAI envelope `param`, when the refusal names a request field
    std::optional<qint64> resetsAt; ///< epoch seconds, for 429
    QString trace;   ///< the policy step of the auth trace, e.g. "limit tokens/day 98% → allowed"
    qint64 reservation = 0; ///< what LimitEnforcer::settle() must be given when the request ends

    bool allowed() const { return status == 0; }
};

} // namespace Proxy
