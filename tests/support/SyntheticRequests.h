// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/RequestRecord.h"

#include <QDateTime>
#include <QList>

namespace TestSupport {

/// Records @p first .. @p first + @p count - 1 of @p total deterministic request records spread
/// evenly from @p from to @p to, oldest first, round-robin over @p keyIds (0 = anonymous). Every 13th
/// is an upstream error, every 17th has no usage, every 19th is unpriced, and three models
/// alternate: what retention, rollups and the bench need to see every aggregate column move.
inline QList<Proxy::RequestRecord> syntheticRequests(qint64 first, int count, qint64 total, const QDateTime &from,
                                                     const QDateTime &to, const QList<qint64> &keyIds)
{
    static const QString Models[] = {QStringLiteral("gpt-5.4"), QStringLiteral("gpt-5.4-mini"),
                                     QStringLiteral("gpt-5.3-codex")};
    QList<Proxy::RequestRecord> records;
    records.reserve(count);
    const qint64 spanMs = from.msecsTo(to);
    for (qint64 i = first; i < first + count; ++i) {
        Proxy::RequestRecord record;
        record.time = from.addMSecs(spanMs * i / qMax<qint64>(1, total));
        record.requestId = QStringLiteral("req_%1").arg(i);
        record.keyId = keyIds.at(i % keyIds.size());
        record.accountId = 1 + i % 2;
        record.authSource = QStringLiteral("authorization");
        record.route = QStringLiteral("/v1/responses");
        record.model = Models[i % 3];
        const bool failed = i % 13 == 0;
        record.status = failed ? 502 : 200;
        record.outcome = failed ? QStringLiteral("upstream_error") : QStringLiteral("ok");
        if (i % 17 != 0) {
            const qint64 input = 1000 + i % 4000;
            const qint64 output = 100 + i % 900;
            record.usage = Proxy::TokenUsage{input, input / 3, output, output / 4, input + output};
            if (i % 19 != 0)
                record.costMicros = input * 2 + output * 8;
        }
        record.responseId = QStringLiteral("resp_%1").arg(i);
        record.latencyMs = 200 + i % 5000;
        record.ttfbMs = 50 + i % 700;
        record.bytesIn = 2000 + i % 30000;
        record.bytesOut = 1500 + i % 20000;
        record.peer = QStringLiteral("127.0.0.1");
        record.userAgent = QStringLiteral("codex_cli_rs/0.63.0 (Debian 12; x86_64)");
        records.append(record);
    }
    return records;
}

/// @p count records spread evenly over the @p days days before @p now (see above).
inline QList<Proxy::RequestRecord> syntheticRequests(int count, int days, const QList<qint64> &keyIds,
                                                     const QDateTime &now)
{
    return syntheticRequests(0, count, count, now.addDays(-days), now, keyIds);
}

} // namespace TestSupport
