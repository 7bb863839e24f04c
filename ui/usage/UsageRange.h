// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

namespace Console {

/// A time range of the usage page and its chart buckets: today in local hours, or the last 7 / 30
/// local days (today included) in days. Plain value; bucket starts are UTC.
struct UsageRange final
{
    enum class Span
    {
        Today,
        SevenDays,
        ThirtyDays
    };

    Span span = Span::Today;
    QDate day;       ///< the local day the range was made on (it goes stale at midnight)
    QDateTime since; ///< UTC start of the first bucket
    QList<QDateTime> bucketStarts;

    /// The range as of @p now (local midnight boundaries, so DST days have 23 or 25 hours).
    static UsageRange make(Span span, const QDateTime &now = QDateTime::currentDateTime());
    /// -1 before the range; times after the last start belong to the last bucket.
    int bucketOf(const QDateTime &time) const;
    /// Label for the bucket's start on a chart axis ("14:00" or "Mar 10").
    QString axisFormat() const;
};

} // namespace Console
