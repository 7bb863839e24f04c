// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <QSqlDatabase>

namespace Core {

/// What the console's "Get started" checklist starts from, read in one go.
struct GetStartedFacts final
{
    bool accountConnected = false; ///< an upstream account is active (not paused, not waiting for re-auth)
    bool keyCreated = false;       ///< an enabled key that has not expired exists
    bool clientShown = false;      ///< the user opened the client snippets (Keys page or checklist)
    bool requestAnswered = false;  ///< the proxy let a request through and answered it (status < 400)
    bool dismissed = false;        ///< the user closed the checklist

    /// A client is connected: its snippets were opened, or a request was answered whichever way it was set
    /// up.
    bool clientConnected() const { return clientShown || requestAnswered; }
    /// Every step is done (the dismissal aside).
    bool complete() const { return accountConnected && keyCreated && clientConnected() && requestAnswered; }

    friend bool operator==(const GetStartedFacts &, const GetStartedFacts &) = default;
};

/// The checklist's facts from `accounts`, `keys` and `request_log`, and its two flags. The flags
/// are rows of the `settings` table under `console.` names: console state, not settings a user
/// edits, so `settings show` and SettingsRepository skip them. Thread of its connection.
class GetStartedRepository final
{
public:
    explicit GetStartedRepository(QSqlDatabase db);

    Result<GetStartedFacts> load() const;
    Status setDismissed(bool dismissed);
    Status setClientShown();

private:
    Status setFlag(const char *name, bool value);

    QSqlDatabase m_db;
};

} // namespace Core
