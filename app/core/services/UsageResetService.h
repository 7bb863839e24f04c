// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/storage/KeyRecord.h"

#include "proxy/auth/AuthTrace.h"
#include "proxy/policy/KeyPolicy.h"

#include <QDateTime>
#include <QList>

#include <optional>

namespace Core {

class Database;

/// A key's usage reset: which limits restarted, when, and the auth-trace row that records it.
struct UsageReset final
{
    KeyRecord key;
    QList<Proxy::KeyLimit> limits; ///< as they are after the reset
    QDateTime at;                  ///< UTC
    Proxy::AuthTrace trace;
};

/// Resets a key's usage without regenerating it: each limit's windows restart from now (the limit's
/// counted_from), so only what counts against limits starts again. The request log, the totals and
/// /v1/usage history are left as they are. The reset is written to the auth trace (verdict `reset`:
/// who, how, which limits) in the same transaction. Callers publish the keys afterwards
/// (ProxyRuntime::publishKeys); a serve in another process sees the change within its data_version
/// poll. Main thread.
class UsageResetService final
{
public:
    /// Where the reset was asked for, for the trace.
    enum class Origin { Cli, Console };

    explicit UsageResetService(Database &database);

    /// Resets every limit of @p keyId, or only @p limitId (which must be one of the key's). Fails for an
    /// unknown key, a key without limits, or a limit id the key does not have.
    Result<UsageReset> reset(qint64 keyId, std::optional<qint64> limitId, Origin origin);

    /// The operating-system user who runs this process ("alice"): $USER, $LOGNAME or $USERNAME, else the
    /// home directory's name, else "unknown".
    static QString operatorName();

private:
    Database &m_database;
};

} // namespace Core
