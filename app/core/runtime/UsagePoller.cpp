// SPDX-License-Identifier: MIT
#include "app/core/runtime/UsagePoller.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

#include <cmath>

namespace Core {

namespace {

constexpr int RequestTimeoutMs = 10'000;
constexpr qint64 WeekSeconds = 7 * 24 * 3600;

struct Window final
{
    std::optional<int> usedPercent;
    QDateTime resetAt;
    qint64 lengthSeconds = 0;
};

Window readWindow(const QJsonObject &window, const QDateTime &now)
{
    Window result;
    if (window.isEmpty())
        return result;
    if (const QJsonValue used = window.value(QStringLiteral("used_percent")); used.isDouble())
        result.usedPercent = int(std::clamp(std::lround(used.toDouble()), 0L, 100L));
    if (const QJsonValue at = window.value(QStringLiteral("reset_at")); at.isDouble() && at.toDouble() > 0)
        result.resetAt = QDateTime::fromSecsSinceEpoch(qint64(at.toDouble()), Qt::UTC);
    else if (const QJsonValue after = window.value(QStringLiteral("reset_after_seconds")); after.isDouble())
        result.resetAt = now.addSecs(qint64(after.toDouble()));
    result.lengthSeconds = qint64(window.value(QStringLiteral("limit_window_seconds")).toDouble());
    return result;
}

} // namespace

UsagePoller::UsagePoller(QObject *parent) : QObject(parent)
{
    m_network.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_timer.setInterval(IntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &UsagePoller::pollNow);
}

Proxy::QuotaWindows UsagePoller::parse(const QByteArray &json, const QDateTime &now)
{
    const QJsonObject limits = QJsonDocument::fromJson(json).object().value(QStringLiteral("rate_limit")).toObject();
    Window primary = readWindow(limits.value(QStringLiteral("primary_window")).toObject(), now);
    Window secondary = readWindow(limits.value(QStringLiteral("secondary_window")).toObject(), now);
    // Free plans report one weekly window as "primary": it is the secondary (weekly) window.
    if (!secondary.usedPercent && primary.lengthSeconds >= WeekSeconds)
        std::swap(primary, secondary);
    Proxy::QuotaWindows windows;
    windows.primaryUsedPercent = primary.usedPercent;
    windows.primaryResetAt = primary.resetAt;
    windows.secondaryUsedPercent = secondary.usedPercent;
    windows.secondaryResetAt = secondary.resetAt;
    return windows;
}

int UsagePoller::poll(const QList<Proxy::UpstreamAccount> &accounts)
{
    m_accounts = accounts;
    m_timer.start();
    return pollNow();
}

int UsagePoller::pollNow()
{
    int started = 0;
    for (const Proxy::UpstreamAccount &account : std::as_const(m_accounts)) {
        if (!account.isUsable() || account.upstream.kind != Proxy::UpstreamConfig::Kind::Codex)
            continue;
        QElapsedTimer &last = m_lastPolled[account.id];
        if (last.isValid() && last.elapsed() < IntervalMs - 1000) // the timer's own tick may come a little early
            continue;
        last.start();
        QUrl url = account.upstream.baseUrl;
        QString path = url.path();
        while (path.endsWith(u'/'))
            path.chop(1);
        url.setPath(path + QStringLiteral("/wham/usage"));
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Bearer " + account.upstream.token);
        if (!account.upstream.accountId.isEmpty())
            request.setRawHeader("chatgpt-account-id", account.upstream.accountId.toUtf8());
        request.setTransferTimeout(RequestTimeoutMs);
        QNetworkReply *reply = m_network.get(request);
        ++started;
        connect(reply, &QNetworkReply::finished, this, [this, reply, id = account.id] {
            reply->deleteLater();
            if (reply->error() != QNetworkReply::NoError)
                return; // quota is advisory: the next poll or the next response's headers will tell
            emit quotaFetched(id, parse(reply->readAll(), QDateTime::currentDateTimeUtc()));
        });
    }
    return started;
}

} // namespace Core
