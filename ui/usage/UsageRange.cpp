// SPDX-License-Identifier: MIT
#include "ui/usage/UsageRange.h"

#include "app/core/storage/UsageQueries.h"

namespace Console {

UsageRange UsageRange::make(Span span, const QDateTime &now)
{
    UsageRange range;
    range.span = span;
    const QDateTime local = now.toLocalTime();
    range.day = local.date();
    if (span == Span::Today) {
        const QDateTime midnight = range.day.startOfDay();
        for (QDateTime hour = midnight; hour.date() == range.day; hour = hour.addSecs(3600))
            range.bucketStarts.append(hour.toUTC());
    } else {
        const int days = span == Span::SevenDays ? 7 : 30;
        for (int back = days - 1; back >= 0; --back)
            range.bucketStarts.append(range.day.addDays(-back).startOfDay().toUTC());
    }
    range.since = range.bucketStarts.first();
    return range;
}

int UsageRange::bucketOf(const QDateTime &time) const
{
    return Core::UsageQueries::bucketIndex(bucketStarts, time);
}

QString UsageRange::axisFormat() const
{
    return span == Span::Today ? QStringLiteral("HH:mm") : QStringLiteral("MMM d");
}

} // namespace Console
