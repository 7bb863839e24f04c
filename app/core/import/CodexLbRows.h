// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QVariant>

namespace Core {

/// One row of codex-lb's `api_key_limits`, as read (nothing mapped yet).
struct CodexLbLimitRow final
{
    qint64 id = 0;
    QString limitType;   ///< total_tokens | input_tokens | output_tokens | cost_usd | credits (or the enum's NAME)
    QString limitWindow; ///< daily | weekly | monthly | 5h | 7d (or the enum's NAME)
    qint64 maxValue = 0; ///< tokens, or micro-dollars for cost_usd
    qint64 currentValue = 0;
    QVariant modelFilter; ///< NULL = every model
    QString resetAt;      ///< naive UTC text as codex-lb wrote it
};

/// One row of codex-lb's `api_keys` with its limits, as read. Optional columns of newer codex-lb
/// versions are null when the database has no such column.
struct CodexLbKeyRow final
{
    QString id; ///< codex-lb's uuid
    QString name;
    QString keyHash;   ///< lowercase hex SHA-256 of the full sk-clb- key
    QString keyPrefix; ///< its first 15 characters
    QVariant allowedModels; ///< JSON list text; NULL / empty = every model
    QVariant allowedReasoningEfforts;
    QVariant enforcedModel;
    QVariant enforcedReasoningEffort;
    QVariant enforcedServiceTier;
    QVariant expiresAt; ///< naive UTC text; NULL = never
    QVariant isActive;
    QVariant createdAt;
    QList<CodexLbLimitRow> limits;
};

} // namespace Core
