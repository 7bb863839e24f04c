// SPDX-License-Identifier: MIT
#include "ui/common/LimitText.h"

#include "app/core/services/KeyPolicyService.h"

#include <QCoreApplication>

namespace Console {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Console::LimitText", text);
}

QString usd(qint64 micros)
{
    return QString::number(double(micros) / 1e6, 'f', micros % 10'000 == 0 ? 2 : 4);
}

} // namespace

QString LimitText::amount(Proxy::LimitType type, qint64 value)
{
    return type == Proxy::LimitType::CostMicros ? QStringLiteral("$") + usd(value) : Core::KeyPolicyService::groupedDigits(value);
}

QString LimitText::title(const Proxy::KeyLimit &limit)
{
    const QString base = QStringLiteral("%1 / %2").arg(Proxy::shortName(limit.type), Proxy::shortName(limit.window));
    return limit.modelFilter.isEmpty() ? base : tr("%1 (%2 only)").arg(base, limit.modelFilter);
}

QString LimitText::countdown(qint64 seconds)
{
    if (seconds <= 0)
        return tr("now");
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    const qint64 minutes = seconds / 60;
    if (minutes < 60)
        return tr("%1 min").arg(minutes);
    const qint64 hours = minutes / 60;
    if (hours < 24)
        return minutes % 60 == 0 ? tr("%1 h").arg(hours) : tr("%1 h %2 min").arg(hours).arg(minutes % 60);
    return hours % 24 == 0 ? tr("%1 d").arg(hours / 24) : tr("%1 d %2 h").arg(hours / 24).arg(hours % 24);
}

QString LimitText::describe(const Proxy::LimitStatus &status, const QDateTime &now)
{
    const Proxy::LimitType type = status.limit.type;
    const QString left = status.exhausted() ? tr("exhausted") : tr("%1 % left").arg(100 - status.percent());
    QString text = tr("%1 — %2 of %3 (%4)")
                       .arg(title(status.limit), amount(type, status.clamped()),
                            amount(type, status.limit.maxValue), left);
    if (status.resetAt.isValid()) {
        const qint64 seconds = now.secsTo(status.resetAt);
        text += seconds > 0 ? tr(" · resets in %1").arg(countdown(seconds)) : tr(" · resets now");
    }
    if (status.limit.countedFrom.isValid())
        text += tr(" · usage reset %1").arg(status.limit.countedFrom.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    return text;
}

LimitText::Level LimitText::level(const Proxy::LimitStatus &status)
{
    if (status.exhausted())
        return Level::Exhausted;
    return status.percent() >= WarningPercent ? Level::Warning : Level::Normal;
}

QString LimitText::editableMax(Proxy::LimitType type, qint64 value)
{
    if (type != Proxy::LimitType::CostMicros)
        return QString::number(value);
    QString exact = QString::number(double(value) / 1e6, 'f', 6); // exact: parseMax reads it back unchanged
    while (exact.endsWith(u'0') && exact.indexOf(u'.') < exact.size() - 3)
        exact.chop(1);
    return exact;
}

} // namespace Console
