// SPDX-License-Identifier: MIT
#pragma once
// Every reader of usage as text (tst_RequestLogRetention): equal texts before and after pruning
// mean that no reader moved.
#include "app/core/storage/DayTotalsQuery.h"
#include "app/core/storage/GetStartedRepository.h"
#include "app/core/storage/KeyLimitRepository.h"
#include "app/core/storage/UsageQueries.h"
#include "app/core/storage/UsageRepository.h"

#include "proxy/metrics/ProxyMetrics.h"
#include "proxy/policy/KeyPolicy.h"

#include <QDateTime>
#include <QMap>
#include <QSqlDatabase>
#include <QStringList>

namespace TestSupport {

inline QString totalsText(const Proxy::UsageTotals &t)
{
    return QStringLiteral("%1/%2/%3/%4/%5/%6/%7")
        .arg(t.requestCount).arg(t.input).arg(t.cached).arg(t.output).arg(t.reasoning).arg(t.total)
        .arg(t.costUsd, 0, 'f', 6);
}

/// Where keygate_requests_total starts: requests per route label, status and outcome.
inline QStringList requestCounts(const QSqlDatabase &db)
{
    QMap<QString, qint64> byLabel;
    const QList<Proxy::RequestCount> counts = Core::UsageRepository(db).requestCounts().value();
    for (const Proxy::RequestCount &count : counts)
        byLabel[QStringLiteral("requests %1 %2 %3")
                    .arg(Proxy::ProxyMetrics::routeLabel(count.route)).arg(count.status).arg(count.outcome)] +=
            count.count;
    QStringList out;
    for (auto it = byLabel.cbegin(); it != byLabel.cend(); ++it)
        out.append(it.key() + u' ' + QString::number(it.value()));
    return out;
}

/// What every reader of usage answers, as text: equal texts before and after pruning mean no reader moved.
inline QStringList readers(const QSqlDatabase &db, const QList<qint64> &keyIds, const QDateTime &now)
{
    QStringList out;
    const Core::UsageRepository usage(db);
    const auto byKey = usage.totalsByKey();
    QList<qint64> ids = byKey ? byKey.value().keys() : QList<qint64>();
    std::sort(ids.begin(), ids.end());
    for (const qint64 id : ids)
        out.append(QStringLiteral("baseline %1 %2").arg(id).arg(totalsText(byKey.value().value(id))));
    const QList<Core::KeyUsage> perKey = usage.perKey().value();
    for (const Core::KeyUsage &key : perKey)
        out.append(QStringLiteral("perKey %1 %2").arg(key.keyId).arg(totalsText(key.totals)));
    out.append(QStringLiteral("overall ") + totalsText(usage.overall().value()));

    // The console's 30-day range and its daily buckets (UsageRange), today's figures.
    const QDate today = QDate::currentDate();
    QList<QDateTime> buckets;
    for (int back = 29; back >= 0; --back)
        buckets.append(today.addDays(-back).startOfDay().toUTC());
    const Core::UsageQueries queries(db);
    const QList<Core::KeyUsageSummary> summaries = queries.perKeySince(buckets.first()).value();
    for (const Core::KeyUsageSummary &row : summaries)
        out.append(QStringLiteral("30d %1 %2 errors %3 unpriced %4 last %5")
                       .arg(row.keyId).arg(totalsText(row.totals)).arg(row.errors).arg(row.unpricedRequests)
                       .arg(row.lastUsed.toString(Qt::ISODateWithMs)));
    const QList<Core::TokenBucket> tokenBuckets = queries.tokenBuckets(buckets).value();
    for (const Core::TokenBucket &bucket : tokenBuckets)
        out.append(QStringLiteral("bucket %1 %2 %3").arg(bucket.keyId).arg(bucket.bucket).arg(bucket.tokens));
    const QDateTime midnight = today.startOfDay().toUTC();
    out.append(QStringLiteral("today %1").arg(queries.requestCountSince(midnight).value()));
    const Core::DayTotals day = Core::DayTotalsQuery(db).since(midnight).value();
    out.append(QStringLiteral("overview %1 %2 %3 %4").arg(day.requests).arg(day.tokens).arg(day.costMicros)
                   .arg(day.unpricedRequests));
    const QHash<qint64, Proxy::UsageTotals> accounts = queries.perAccountSince(midnight).value();
    for (auto it = accounts.cbegin(); it != accounts.cend(); ++it)
        out.append(QStringLiteral("account %1 %2").arg(it.key()).arg(totalsText(it.value())));

    // Limit windows: what the proxy restores on restart, and what `keys limit list` counts.
    const Core::KeyLimitRepository limits(db);
    QStringList hourly;
    const QList<Proxy::HourlyUsage> hours = limits.hourlyUsageSince(now.addSecs(-3600 * qint64(24 * 30 + 1))).value();
    for (const Proxy::HourlyUsage &h : hours)
        hourly.append(QStringLiteral("hour %1 %2 %3 %4 %5 %6 %7")
                          .arg(h.keyId).arg(h.model).arg(h.hour).arg(h.input).arg(h.output).arg(h.total)
                          .arg(h.costMicros));
    hourly.sort();
    out += hourly;
    for (const qint64 key : keyIds)
        for (const auto type : {Proxy::LimitType::TotalTokens, Proxy::LimitType::InputTokens,
                                Proxy::LimitType::OutputTokens, Proxy::LimitType::CostMicros})
            for (const QString &model : {QString(), QStringLiteral("gpt-5.4")})
                for (const qint64 seconds : {Proxy::windowSeconds(Proxy::LimitWindow::Month),
                                             Proxy::windowSeconds(Proxy::LimitWindow::Week)})
                    out.append(QStringLiteral("limit %1 %2 %3 %4 %5")
                                   .arg(key).arg(int(type)).arg(model).arg(seconds)
                                   .arg(limits.usageSince(key, type, model, now.addSecs(-seconds)).value()));
    out.append(QStringLiteral("answered %1").arg(Core::GetStartedRepository(db).load().value().requestAnswered));
    out += requestCounts(db);
    return out;
}

} // namespace TestSupport
