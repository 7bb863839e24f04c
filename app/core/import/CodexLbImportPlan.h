// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/storage/KeyRecord.h"

#include "proxy/policy/KeyPolicy.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Core {

/// What becomes of one codex-lb limit row.
struct LimitImport final
{
    qint64 codexLbId = 0;
    QString type;       ///< as codex-lb stored it
    QString window;     ///< as codex-lb stored it
    QString modelFilter; ///< as codex-lb stored it; empty = NULL
    qint64 maxValue = 0;
    qint64 currentValue = 0;
    bool imported = false;
    QString note; ///< why it was skipped, or how its count carries over
    Proxy::KeyLimit limit; ///< when imported
};

/// What becomes of one codex-lb key: created, updated (matched by key_hash), left as it is, or
/// skipped with the reason.
struct KeyImport final
{
    enum class Action { Create, Update, Unchanged, Skip };

    Action action = Action::Skip;
    QString codexLbId;
    QString maskedKey;   ///< "sk-clb-AbCd…"
    qint64 keygateId = 0; ///< the key updated (0 for create and skip)
    QString reason;       ///< why it was skipped
    QStringList changes;  ///< what an update changes ("name", "enabled", "limits", …)
    QStringList notes;    ///< settings of the key that do not carry over, and why
    QList<LimitImport> limits;
    KeyRecord record;     ///< the key as it is to be (for create and update), with its allowlists and limits

    static QString actionName(Action action); ///< create, update, unchanged, skip
};

/// The whole plan: one entry per codex-lb key, in codex-lb's order.
struct ImportPlan final
{
    QList<KeyImport> keys;

    qsizetype count(KeyImport::Action action) const
    {
        return std::count_if(keys.cbegin(), keys.cend(), [action](const KeyImport &key) { return key.action == action; });
    }
};

} // namespace Core
