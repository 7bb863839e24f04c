// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/TokenUsage.h"

#include "app/core/Result.h"

#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace Core {

/// Usage of one key (or of the anonymous/deleted-key traffic, keyId 0) over a time range.
struct KeyUsageSummary final
{
    qint64 keyId = 0; ///< 0: requests without a key, or whose key was deleted
    QString name;
    QString maskedKey;
    Proxy::UsageTotals totals;
    qint64 errors = 0;  ///< status >= 400 or outcome other than "ok"
    QDateTime lastUsed; ///< UTC; invalid = never
    /// Requests that used tokens of a model without a price: totals.costUsd leaves them out.
    qint64 unpricedRequests = 0;
};

/// Tokens (total_tokens) of one key in one time bucket.
struct TokenBucket final
{
    qint64 keyId = 0; ///< 0: anonymous/deleted-key traffic
    int bucket = 0;   ///< index into the bucket starts passed to tokenBuckets()
    qint64 tokens = 0;

    bool operator==(const TokenBucket &) const = default;
};

/// One row of the request log, as the console lists it.
struct RequestLogEntry final
{
    QDateTime time; ///< UTC, when the request arrived
    QString route;
    QString model;
    int status = 0;
    QString outcome;
    std::optional<Proxy::TokenUsage> usage; ///< unset when the upstream reported none
    qint64 latencyMs = 0;
    std::optional<qint64> ttfbMs;
};

/// Read-only queries over `request_log` for the console's usage page: per-key aggregates since a
/// time, token buckets for the chart, the recent requests of a key. Plain SQL on the given
/// connection; use it on the thread that opened it (the GUI thread for the console).
class UsageQueries final
{
public:
    explicit UsageQueries(QSqlDatabase db);

    /// Every existing key ordered by id (zeros when unused since @p since), followed by a keyId-0
    /// row for requests without a (still existing) key if there are any since @p since.
    /// lastUsed is the key's last use at any time.
    Result<QList<KeyUsageSummary>> perKeySince(const QDateTime &since) const;
    /// Total tokens per key and bucket: a request belongs to the last bucket whose start is at or
    /// before its time, with hour precision (rows are grouped by UTC hour first). @p bucketStarts
    /// must be ascending; rows before the first start are left out. Empty buckets are not listed.
    Result<QList<TokenBucket>> tokenBuckets(const QList<QDateTime> &bucketStarts) const;
    /// The @p limit most recent requests of @p keyId (0: those without a key), newest first.
    Result<QList<RequestLogEntry>> recentRequests(qint64 keyId, int limit) const;
    /// Requests (of any key or none) at or after @p since.
    Result<qint64> requestCountSince(const QDateTime &since) const;
    /// The request ids of the @p limit rows written last (any key), for telling which live records a
    /// reload already counted.
    Result<QSet<QString>> lastRequestIds(int limit) const;
    /// Requests and token totals per serving account since @p since (only accounts with rows).
    Result<QHash<qint64, Proxy::UsageTotals>> perAccountSince(const QDateTime &since) const;

    /// The bucket index for @p time (see tokenBuckets), -1 when before the first start.
    static int bucketIndex(const QList<QDateTime> &bucketStarts, const QDateTime &time);

private:
    QSqlDatabase m_db;
};

} // namespace Core
