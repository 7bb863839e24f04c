// SPDX-License-Identifier: MIT
#include "proxy/relay/UsageReport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Proxy {

QByteArray usageReport(const KeyEntry &key, const UsageTotals &totals, const QList<LimitStatus> &limits)
{
    QJsonArray limitArray;
    for (const LimitStatus &status : limits)
        limitArray.append(QJsonObject{
            {QStringLiteral("limit_type"), wireName(status.limit.type)},
            {QStringLiteral("limit_window"), wireName(status.limit.window)},
            {QStringLiteral("max_value"), status.limit.maxValue},
            {QStringLiteral("current_value"), status.clamped()},
            {QStringLiteral("remaining_value"), status.remaining()},
            {QStringLiteral("model_filter"),
             status.limit.modelFilter.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(status.limit.modelFilter)},
            {QStringLiteral("reset_at"), status.resetAt.toString(Qt::ISODate)},
            {QStringLiteral("source"), QStringLiteral("api_key_limit")},
        });
    const QJsonObject keyInfo{{QStringLiteral("name"), key.name}, {QStringLiteral("prefix"), key.maskedKey}};
    const QJsonObject body{
        {QStringLiteral("request_count"), totals.requestCount},
        {QStringLiteral("total_tokens"), totals.total},
        {QStringLiteral("input_tokens"), totals.input},
        {QStringLiteral("cached_input_tokens"), std::min(totals.cached, totals.input)},
        {QStringLiteral("output_tokens"), totals.output},
        {QStringLiteral("reasoning_tokens"), totals.reasoning},
        {QStringLiteral("total_cost_usd"), totals.costUsd},
        {QStringLiteral("limits"), limitArray},
        {QStringLiteral("upstream_limits"), QJsonArray()},
        {QStringLiteral("key"), keyInfo},
    };
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace Proxy
