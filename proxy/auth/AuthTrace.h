// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Proxy {

/// What one credential header turned out to be.
/// NotTried: present, but the x-api-key-fallback setting did not let it decide (AuthStep::rule says why).
enum class HeaderOutcome { Absent, Malformed, Unknown, Disabled, Expired, Accepted, Conflicting, NotTried };

/// The final verdict of an auth decision.
enum class AuthVerdict {
    Accepted,  ///< a key was accepted
    Anonymous, ///< require-key off and the request is local
    Denied,    ///< 401
    Rejected,  ///< 400 (conflicting duplicate header)
    Refused,   ///< the key was accepted, its policy refused the request (403 model/effort, 429 limit)
    Reset      ///< not a request: an operator reset the key's usage (`keys reset-usage`, the console)
};

QString toString(HeaderOutcome outcome);
QString toString(AuthVerdict verdict);

/// One header the pipeline looked at. The value is always masked, never the plaintext.
struct AuthStep final
{
    QString header;      ///< "Authorization" or "x-api-key"
    QString maskedValue; ///< "sk-kg-…Q3xf", "JWT-shaped …sig", "" when absent
    HeaderOutcome outcome = HeaderOutcome::Absent;
    QString keyName;     ///< set when the value named a known key
    QString rule{};      ///< the x-api-key-fallback rule that decided this step; empty under `always`
};

/// The record of one auth decision: goes to stderr, the auth-events table and the UI.
struct AuthTrace final
{
    QDateTime time; ///< UTC
    QString requestId;       ///< Keygate's own id (RequestId::newRequestId), never the client's
    /// The client's x-request-id, cut and sanitised (clientRequestId()); empty when none.
    QString clientRequestId;
    QString peer;
    QString method;
    QString path;
    QList<AuthStep> steps;
    AuthVerdict verdict = AuthVerdict::Denied;
    qint64 keyId = 0;
    QString keyName;
    QString source; ///< header that was accepted: "authorization", "x-api-key", or "none"
    int status = 0;
    QString reason; ///< the client-facing error message when not accepted
    QString policy; ///< the key-policy step, e.g. "limit tokens/day 98% → allowed"; empty when none applied
    qint64 durationNs = 0;

    /// e.g. `Bearer unknown (JWT-shaped …sig) → x-api-key accepted sk-kg-…Q3xf "pi-laptop"`, then the
    /// policy step when there was one: `… → limit tokens/day 98% → allowed`, and the client's request
    /// id when it sent one: `… (client x-request-id "abc")` (kept in this text, not a column of its own)
    QString summary() const;
};

} // namespace Proxy

Q_DECLARE_METATYPE(Proxy::AuthTrace)
