// SPDX-License-Identifier: MIT
#include "ui/notify/NotificationCenter.h"

#include "app/core/runtime/ProxyRuntime.h"

#include "ui/accounts/AccountStatusText.h"
#include "ui/common/LimitText.h"
#include "ui/notify/AccountPoolWatch.h"
#include "ui/notify/KeyLimitWatch.h"

namespace Console {

namespace {

constexpr int EvaluateIntervalMs = 1000;
constexpr int StopGraceMs = 500;

} // namespace

NotificationCenter::NotificationCenter(Core::ProxyRuntime &runtime, QObject *parent)
    : QObject(parent), m_runtime(runtime), m_limits(new KeyLimitWatch(runtime, this)),
      m_pool(new AccountPoolWatch(runtime, this))
{
    connect(m_limits, &KeyLimitWatch::changed, this, &NotificationCenter::evaluate);
    connect(m_pool, &AccountPoolWatch::changed, this, &NotificationCenter::evaluate);
    connect(&runtime, &Core::ProxyRuntime::failed, this, [this](const QString &message) {
        notify(Core::NotificationKind::ProxyDown, tr("Keygate proxy could not start"), message);
    });
    // A restart (new listen address) stops and starts again at once, and the start may wait for the
    // store while events are processed: only a stop that lasts StopGraceMs counts.
    m_stopGrace.setSingleShot(true);
    m_stopGrace.setInterval(StopGraceMs);
    connect(&m_stopGrace, &QTimer::timeout, this, &NotificationCenter::proxyStopped);
    connect(&runtime, &Core::ProxyRuntime::stopped, &m_stopGrace, qOverload<>(&QTimer::start));
    m_timer.setInterval(EvaluateIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &NotificationCenter::evaluate);
    m_timer.start();
    // What is already true at start (an account waiting for a login) is told once, after the
    // caller had a chance to connect.
    QTimer::singleShot(0, this, &NotificationCenter::evaluate);
}

NotificationCenter::~NotificationCenter() = default;

void NotificationCenter::proxyStopped()
{
    if (m_runtime.state() == Core::ProxyRuntime::State::Stopped)
        notify(Core::NotificationKind::ProxyDown, tr("Keygate proxy stopped"),
               tr("Clients get no answer until it is started again."));
}

void NotificationCenter::evaluate()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QSet<QString> active;
    const auto occurs = [this, &active](const QString &occurrence) {
        active.insert(occurrence);
        return !m_active.contains(occurrence);
    };

    for (const KeyLimitUse &use : m_limits->atLeast(100, now))
        if (occurs(QStringLiteral("limit/%1/%2")
                       .arg(use.status.limit.id)
                       .arg(use.status.resetAt.toSecsSinceEpoch())))
            notify(Core::NotificationKind::KeyLimitReached,
                   tr("Key \"%1\" reached a limit").arg(use.key.name), LimitText::describe(use.status, now));

    for (const Core::AccountRecord &account : m_pool->needingReauth())
        if (occurs(QStringLiteral("reauth/%1").arg(account.id)))
            notify(Core::NotificationKind::AccountNeedsReauth,
                   tr("Account \"%1\" needs a new sign-in").arg(account.name),
                   tr("Keygate skips it until you sign in again on the Accounts page."));

    if (m_pool->allRateLimited(now) && occurs(QStringLiteral("pool-limited"))) {
        const QDateTime soonest = m_pool->soonestReturn(now);
        notify(Core::NotificationKind::PoolRateLimited, tr("Every account is rate limited"),
               tr("Requests fail until the first one resets %1 (%2).")
                   .arg(AccountStatusText::countdown(soonest, now),
                        soonest.toLocalTime().toString(QStringLiteral("HH:mm"))));
    }

    for (const Core::KeyRecord &key : m_limits->keys()) {
        if (!key.enabled || !key.expiresAt.isValid() || key.isExpired(now) ||
            now.secsTo(key.expiresAt) > ExpiryWarningSeconds)
            continue;
        if (occurs(QStringLiteral("expiry/%1/%2").arg(key.id).arg(key.expiresAt.toSecsSinceEpoch())))
            notify(Core::NotificationKind::KeyExpiring, tr("Key \"%1\" expires soon").arg(key.name),
                   tr("It stops working %1, on %2.")
                       .arg(AccountStatusText::countdown(key.expiresAt, now),
                            QLocale().toString(key.expiresAt.toLocalTime(), QLocale::ShortFormat)));
    }
    m_active = active;
}

void NotificationCenter::notify(Core::NotificationKind kind, const QString &title, const QString &text)
{
    const auto muted = Core::NotificationMutes(m_runtime.database().connection()).isMuted(kind);
    if (muted && muted.value())
        return;
    emit notified(Notification{kind, title, text});
}

} // namespace Console
