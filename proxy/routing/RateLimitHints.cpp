// SPDX-License-Identifier: MIT
#include "proxy/routing/RateLimitHints.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cmath>

namespace Proxy {

namespace {

// Hints beyond this are treated as garbage (the longest window we know is a month).
constexpr qint64 MaxHintSeconds = 40LL * 24 * 3600;

std::optional<double> number(const QByteArray &text)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::optional<int> percent(const QByteArray &text)
{
    const std::optional<double> value = number(text);
    if (!value || *value < 0)
        return std::nullopt;
    return int(std::lround(std::min(*value, 100.0)));
}

QDateTime afterSeconds(std::optional<double> seconds, const QDateTime &now)
{
    if (!seconds || *seconds < 0 || *seconds > MaxHintSeconds)
        return {};
    return now.addMSecs(qint64(std::ceil(*seconds * 1000)));
}

QDateTime atEpochSeconds(std::optional<double> epoch, const QDateTime &now)
{
    if (!epoch || *epoch <= 0)
        return {};
    const QDateTime at = QDateTime::fromSecsSinceEpoch(qint64(*epoch), Qt::UTC);
    return now.secsTo(at) > MaxHintSeconds ? QDateTime() : at;
}

std::optional<double> jsonNumber(const QJsonObject &object, QStringView key)
{
    const QJsonValue value = object.value(key);
    if (value.isDouble())
        return value.toDouble();
    if (value.isString())
        return number(value.toString().toLatin1());
    return std::nullopt;
}

QDateTime retryAfter(const QByteArray &value, const QDateTime &now)
{
    if (value.isEmpty())
        return {};
    if (const QDateTime at = afterSeconds(number(value), now); at.isValid())
        return at;
    // HTTP-date, e.g. "Wed, 21 Oct 2015 07:28:00 GMT" (RFC 9110 §10.2.3).
    QDateTime date = QLocale::c().toDateTime(QString::fromLatin1(value.trimmed()),
                                              QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!date.isValid())
        return {};
    date.setTimeSpec(Qt::UTC);
    return now.secsTo(date) > MaxHintSeconds ? QDateTime() : date;
}

QDateTime fromBody(QByteArrayView body, const QDateTime &now)
{
    if (body.isEmpty() || body.size() > 1024 * 1024)
        return {};
    const QJsonObject root = QJsonDocument::fromJson(body.toByteArray()).object();
    for (const QJsonObject &object : {root.value(u"error").toObject(), root}) {
        if (const QDateTime at = atEpochSeconds(jsonNumber(object, u"resets_at"), now); at.isValid())
            return at;
        if (const QDateTime at = afterSeconds(jsonNumber(object, u"resets_in_seconds"), now); at.isValid())
            return at;
    }
    return {};
}

} // namespace

QuotaWindows QuotaWindows::fromHeaders(const HttpHeaders &headers, const QDateTime &now)
{
    QuotaWindows out;
    out.primaryUsedPercent = percent(headers.value("x-codex-primary-used-percent"));
    out.secondaryUsedPercent = percent(headers.value("x-codex-secondary-used-percent"));
    out.primaryResetAt = afterSeconds(number(headers.value("x-codex-primary-reset-after-seconds")), now);
    if (!out.primaryResetAt.isValid())
        out.primaryResetAt = atEpochSeconds(number(headers.value("x-codex-primary-reset-at")), now);
    out.secondaryResetAt = afterSeconds(number(headers.value("x-codex-secondary-reset-after-seconds")), now);
    if (!out.secondaryResetAt.isValid())
        out.secondaryResetAt = atEpochSeconds(number(headers.value("x-codex-secondary-reset-at")), now);
    return out;
}

QDateTime rateLimitResetAt(const HttpHeaders &headers, QByteArrayView body, const QDateTime &now)
{
    QDateTime at = retryAfter(headers.value("retry-after"), now);
    if (!at.isValid())
        at = fromBody(body, now);
    if (!at.isValid()) {
        const QuotaWindows windows = QuotaWindows::fromHeaders(headers, now);
        const bool secondaryExhausted = windows.secondaryUsedPercent.value_or(0) >= 100;
        at = secondaryExhausted && windows.secondaryResetAt.isValid() ? windows.secondaryResetAt
                                                                      : windows.primaryResetAt;
    }
    return at.isValid() && at > now ? at : QDateTime();
}

} // namespace Proxy
