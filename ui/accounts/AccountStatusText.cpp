// SPDX-License-Identifier: MIT
#include "ui/accounts/AccountStatusText.h"

#include <QCoreApplication>

#include <algorithm>

namespace Console {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("AccountStatusText", text);
}

QString window(const QString &label, int usedPercent, const QDateTime &resetAt, const QDateTime &now)
{
    if (usedPercent < 0)
        return {};
    QString text = tr("%1 %2% used").arg(label).arg(usedPercent);
    if (resetAt.isValid() && resetAt > now)
        text += tr(", resets %1").arg(AccountStatusText::countdown(resetAt, now));
    return text;
}

QString clockTime(const QDateTime &time)
{
    return time.toLocalTime().toString(QStringLiteral("HH:mm"));
}

} // namespace

QString AccountStatusText::countdown(const QDateTime &until, const QDateTime &now)
{
    const qint64 seconds = now.secsTo(until);
    if (seconds <= 0)
        return tr("now");
    if (seconds < 3600)
        return tr("in %1m %2s").arg(seconds / 60).arg(seconds % 60);
    if (seconds < 86400)
        return tr("in %1h %2m").arg(seconds / 3600).arg(seconds % 3600 / 60);
    return tr("in %1d %2h").arg(seconds / 86400).arg(seconds % 86400 / 3600);
}

bool AccountStatusText::isAvailable(const Core::AccountRecord &record, const Proxy::AccountRuntimeStatus &status,
                                    const QDateTime &now)
{
    return record.state == Proxy::AccountState::Active && !status.needsReauth && !status.isCoolingDown(now)
           && !status.isBackingOff(now);
}

QString AccountStatusText::state(const Core::AccountRecord &record, const Proxy::AccountRuntimeStatus &status,
                                 const QDateTime &now)
{
    switch (record.state) {
    case Proxy::AccountState::Paused:
        return tr("paused");
    case Proxy::AccountState::NeedsReauth:
        return record.stateReason.isEmpty() ? tr("needs re-auth") : tr("needs re-auth: %1").arg(record.stateReason);
    case Proxy::AccountState::Active:
        break;
    }
    if (status.needsReauth) // its refresh failed in the running proxy
        return status.lastError.isEmpty() ? tr("needs re-auth") : tr("needs re-auth: %1").arg(status.lastError);
    if (status.isCoolingDown(now))
        return tr("cooling down until %1 (%2)").arg(clockTime(status.cooldownUntil), countdown(status.cooldownUntil, now));
    if (status.isBackingOff(now))
        return tr("backoff after %1 errors until %2 (%3)")
            .arg(status.consecutiveErrors)
            .arg(clockTime(status.backoffUntil), countdown(status.backoffUntil, now));
    return tr("active");
}

QString AccountStatusText::quota(const Proxy::AccountRuntimeStatus &status, const QDateTime &now)
{
    QStringList parts;
    for (const QString &part : {window(tr("5h"), status.primaryUsedPercent, status.primaryResetAt, now),
                                window(tr("week"), status.secondaryUsedPercent, status.secondaryResetAt, now)})
        if (!part.isEmpty())
            parts.append(part);
    return parts.isEmpty() ? tr("unknown") : parts.join(QStringLiteral(" · "));
}

int AccountStatusText::remainingPercent(const Proxy::AccountRuntimeStatus &status)
{
    const int used = std::max({status.primaryUsedPercent, status.secondaryUsedPercent, 0});
    return std::clamp(100 - used, 0, 100);
}

QString AccountStatusText::pool(const QList<Core::AccountRecord> &records,
                                const QList<Proxy::AccountRuntimeStatus> &statuses, const QDateTime &now)
{
    int available = 0;
    int bestRemaining = -1;
    Proxy::AccountRuntimeStatus best; // the available account with the most quota left, if any is known
    for (const Core::AccountRecord &record : records) {
        Proxy::AccountRuntimeStatus status;
        for (const Proxy::AccountRuntimeStatus &candidate : statuses)
            if (candidate.id == record.id)
                status = candidate;
        if (!isAvailable(record, status, now))
            continue;
        ++available;
        const bool known = status.primaryUsedPercent >= 0 || status.secondaryUsedPercent >= 0;
        if (known && remainingPercent(status) > bestRemaining) {
            bestRemaining = remainingPercent(status);
            best = status;
        }
    }
    if (records.isEmpty())
        return tr("no upstream accounts");
    QString text = tr("%1 of %2 accounts available").arg(available).arg(records.size());
    // The Accounts page's words for the same numbers: "unknown" is never shown as 100% left.
    if (bestRemaining >= 0)
        text += tr(" · most left: %1").arg(quota(best, now));
    else if (available > 0)
        text += tr(" · quota: %1").arg(quota(best, now));
    return text;
}

} // namespace Console
