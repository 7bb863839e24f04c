// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <QString>
#include <QUrl>

namespace Core {

/// The authorization code and state the sign-in page hands back on the redirect_uri.
struct CallbackParams final
{
    QString code;
    QString state;
};

/// Reads the callback of a browser login: the URL the local callback server received, or the one a
/// user copied from the address bar on a remote machine and pasted (reference §5.3 "manual callback
/// paste"). Accepts a full URL, a path with a query (`/auth/callback?code=…`) or a bare query. An
/// `error`/`error_description` answer and a missing code are errors; the caller compares the state.
/// Pure; any thread.
class CallbackUrl final
{
public:
    static Result<CallbackParams> parse(const QString &text);
    static Result<CallbackParams> parse(const QUrl &url);
};

} // namespace Core
