// SPDX-License-Identifier: MIT
#include "proxy/auth/AuthTrace.h"

namespace Proxy {

QString toString(HeaderOutcome outcome)
{
    switch (outcome) {
    case HeaderOutcome::Absent:
        return QStringLiteral("absent");
    case HeaderOutcome::Malformed:
        return QStringLiteral("malformed");
    case HeaderOutcome::Unknown:
        return QStringLiteral("unknown");
    case HeaderOutcome::Disabled:
        return QStringLiteral("disabled");
    case HeaderOutcome::Expired:
        return QStringLiteral("expired");
    case HeaderOutcome::Accepted:
        return QStringLiteral("accepted");
    case HeaderOutcome::Conflicting:
        return QStringLiteral("conflicting duplicates");
    case HeaderOutcome::NotTried:
        return QStringLiteral("not tried");
    }
    return {};
}

QString toString(AuthVerdict verdict)
{
    switch (verdict) {
    case AuthVerdict::Accepted:
        return QStringLiteral("accepted");
    case AuthVerdict::Anonymous:
        return QStringLiteral("anonymous");
    case AuthVerdict::Denied:
        return QStringLiteral("denied");
    case AuthVerdict::Rejected:
        return QStringLiteral("rejected");
    case AuthVerdict::Refused:
        return QStringLiteral("refused");
    case AuthVerdict::Reset:
        return QStringLiteral("reset");
    }
    return {};
}

QString AuthTrace::summary() const
{
    if (verdict == AuthVerdict::Reset) // policy names the limits, reason who reset them
        return QStringLiteral("\"%1\" \u2192 %2 \u2192 %3").arg(keyName, policy, reason);
    QStringList parts;
    for (const AuthStep &step : steps) {
        if (step.outcome == HeaderOutcome::Absent)
            continue;
        const QString label = step.header == u"Authorization" && step.outcome != HeaderOutcome::Malformed
                                  ? QStringLiteral("Bearer")
                                  : step.header;
        QString part = label + u' ' + toString(step.outcome);
        if (step.outcome == HeaderOutcome::Accepted) {
            part += u' ' + step.maskedValue + QStringLiteral(" \"") + step.keyName + u'"';
        } else if (!step.maskedValue.isEmpty()) {
            part += QStringLiteral(" (") + step.maskedValue;
            if (!step.keyName.isEmpty())
                part += QStringLiteral(" \"") + step.keyName + u'"';
            part += u')';
        }
        if (!step.rule.isEmpty())
            part += QStringLiteral(" [") + step.rule + u']';
        parts.append(part);
    }
    if (parts.isEmpty())
        parts.append(QStringLiteral("no key"));
    if (verdict == AuthVerdict::Anonymous)
        parts.append(QStringLiteral("anonymous (require-key off, local)"));
    if (!policy.isEmpty())
        parts.append(policy);
    if (verdict == AuthVerdict::Denied || verdict == AuthVerdict::Rejected)
        parts.append(QString::number(status) + u' ' + reason);
    QString text = parts.join(QStringLiteral(" \u2192 "));
    if (!clientRequestId.isEmpty())
        text += QStringLiteral(" (client x-request-id \"") + clientRequestId + QStringLiteral("\")");
    return text;
}

} // namespace Proxy
