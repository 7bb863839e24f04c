// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/auth/AuthTrace.h"

#include <QString>

namespace Console {

/// The detail pane text of one auth decision: each step (header, masked value, outcome, key name),
/// the verdict, the final status, the reason and the time spent. Pure; GUI thread by use.
class AuthTraceDetail final
{
public:
    static QString toHtml(const Proxy::AuthTrace &trace);
    /// "401 Invalid API key", or "passed (forwarded)" for accepted/anonymous decisions.
    static QString statusText(const Proxy::AuthTrace &trace);
};

} // namespace Console
