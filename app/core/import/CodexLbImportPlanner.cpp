// SPDX-License-Identifier: MIT
#include "app/core/import/CodexLbImportPlanner.h"

#include "app/core/import/CodexLbLimitMapping.h"
#include "app/core/services/KeyService.h"

#include "proxy/auth/SecretMask.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

namespace Core {

namespace {

bool isNullOrBlank(const QVariant &value)
{
    return value.isNull() || value.toString().trimmed().isEmpty();
}

/// A JSON list of strings (NULL, "" and "[]" = empty); nullopt for anything else.
std::optional<QStringList> jsonList(const QVariant &value)
{
    if (isNullOrBlank(value))
        return QStringList();
    const QJsonDocument document = QJsonDocument::fromJson(value.toString().toUtf8());
    if (!document.isArray())
        return std::nullopt;
    QStringList list;
    for (const QJsonValue &item : document.array()) {
        const QString text = item.toString().trimmed();
        if (!item.isString() || text.isEmpty())
            return std::nullopt;
        if (!list.contains(text))
            list.append(text);
    }
    return list;
}

std::optional<bool> boolean(const QVariant &value)
{
    const QString text = value.toString().trimmed().toLower();
    if (text == u"1" || text == u"true")
        return true;
    if (text == u"0" || text == u"false")
        return false;
    return std::nullopt;
}

/// The key as Keygate is to hold it, or the reason it cannot be imported.
Result<KeyRecord> mapKey(const CodexLbKeyRow &row, KeyImport &item, const QDateTime &now)
{
    using R = Result<KeyRecord>;
    static const QRegularExpression hex64(QStringLiteral("^[0-9a-fA-F]{64}$"));
    if (!hex64.match(row.keyHash).hasMatch())
        return R::failure(QStringLiteral("key_hash is not a hex SHA-256"));
    if (!row.keyPrefix.startsWith(QLatin1String("sk-clb-")))
        return R::failure(QStringLiteral("key_prefix \"%1\" does not start with sk-clb-: Keygate accepts imported "
                                         "keys only with that prefix")
                              .arg(row.keyPrefix.left(7)));
    const Result<QString> name = KeyService::validateName(row.name);
    if (!name)
        return R::failure(name.error());
    KeyRecord record;
    record.name = name.value();
    record.keyHash = row.keyHash.toLower();
    record.prefix = row.keyPrefix.left(15);
    record.last4 = QStringLiteral(""); // unknown: codex-lb never stored the end of its keys
    record.origin = Proxy::KeyOrigin::CodexLb;
    record.note = QStringLiteral("imported from codex-lb (id %1)").arg(row.id);
    const auto expires = CodexLbImportPlanner::parseTime(row.expiresAt);
    if (!expires)
        return R::failure(QStringLiteral("expires_at \"%1\" is not a time").arg(row.expiresAt.toString()));
    record.expiresAt = *expires;
    if (record.isExpired(now))
        item.notes.append(QStringLiteral("expired at %1: imported, and refused like any expired key")
                              .arg(record.expiresAt.toString(Qt::ISODate)));
    const auto active = boolean(row.isActive);
    if (!active)
        return R::failure(QStringLiteral("is_active \"%1\" is not a boolean").arg(row.isActive.toString()));
    record.enabled = *active;
    record.createdAt = CodexLbImportPlanner::parseTime(row.createdAt).value_or(QDateTime());
    if (!record.createdAt.isValid())
        record.createdAt = now;
    const auto models = jsonList(row.allowedModels);
    if (!models)
        return R::failure(QStringLiteral("allowed_models is not a JSON list of model names"));
    record.policy.allowedModels = *models;
    const auto efforts = jsonList(row.allowedReasoningEfforts);
    if (!efforts)
        return R::failure(QStringLiteral("allowed_reasoning_efforts is not a JSON list of efforts"));
    for (const QString &effort : *efforts)
        if (!Proxy::knownReasoningEfforts().contains(effort))
            return R::failure(QStringLiteral("allowed_reasoning_efforts holds \"%1\", an effort Keygate does not know")
                                  .arg(effort));
    record.policy.allowedEfforts = *efforts;
    // Keygate never rewrites a request, so a key codex-lb pins to one model or effort would be wider here.
    if (!isNullOrBlank(row.enforcedModel))
        return R::failure(QStringLiteral("enforced_model \"%1\": Keygate does not rewrite the model of a request")
                              .arg(row.enforcedModel.toString()));
    if (!isNullOrBlank(row.enforcedReasoningEffort))
        return R::failure(QStringLiteral("enforced_reasoning_effort \"%1\": Keygate does not rewrite the "
                                         "reasoning effort of a request")
                              .arg(row.enforcedReasoningEffort.toString()));
    if (!isNullOrBlank(row.enforcedServiceTier))
        item.notes.append(QStringLiteral("enforced_service_tier \"%1\" not carried over: Keygate passes the "
                                         "client's service_tier on")
                              .arg(row.enforcedServiceTier.toString()));
    return record;
}

QStringList changesBetween(const KeyRecord &old, const KeyRecord &wanted)
{
    QStringList changes;
    if (old.name != wanted.name)
        changes.append(QStringLiteral("name"));
    if (old.expiresAt != wanted.expiresAt)
        changes.append(QStringLiteral("expiry"));
    if (old.enabled != wanted.enabled)
        changes.append(QStringLiteral("enabled"));
    if (old.policy.allowedModels != wanted.policy.allowedModels)
        changes.append(QStringLiteral("allowed models"));
    if (old.policy.allowedEfforts != wanted.policy.allowedEfforts)
        changes.append(QStringLiteral("allowed efforts"));
    QList<Proxy::KeyLimit> oldLimits = old.policy.limits;
    for (Proxy::KeyLimit &limit : oldLimits)
        limit.id = 0;
    if (oldLimits != wanted.policy.limits)
        changes.append(QStringLiteral("limits"));
    return changes;
}

} // namespace

QString KeyImport::actionName(Action action)
{
    switch (action) {
    case Action::Create:
        return QStringLiteral("create");
    case Action::Update:
        return QStringLiteral("update");
    case Action::Unchanged:
        return QStringLiteral("unchanged");
    case Action::Skip:
        return QStringLiteral("skip");
    }
    return {};
}

std::optional<QDateTime> CodexLbImportPlanner::parseTime(const QVariant &value)
{
    if (isNullOrBlank(value))
        return QDateTime();
    QString text = value.toString().trimmed();
    text.replace(u' ', u'T');
    if (text.endsWith(u'Z'))
        text.chop(1);
    else if (text.endsWith(QLatin1String("+00:00")))
        text.chop(6);
    // Seconds are enough: a fraction dropped makes an expiry earlier, never later.
    const QDateTime time = QDateTime::fromString(text.left(19), QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    if (!time.isValid()) {
        const QDate date = QDate::fromString(text, Qt::ISODate);
        if (date.isValid())
            return QDateTime(date, QTime(0, 0), Qt::UTC);
        return std::nullopt;
    }
    return QDateTime(time.date(), time.time(), Qt::UTC);
}

ImportPlan CodexLbImportPlanner::plan(const QList<CodexLbKeyRow> &rows, const QList<KeyRecord> &existing,
                                      const QDateTime &now)
{
    ImportPlan plan;
    QSet<QString> namesTaken; // by keys of this import
    for (const CodexLbKeyRow &row : rows) {
        KeyImport item;
        item.codexLbId = row.id;
        item.maskedKey = Proxy::maskImportedKey(row.keyPrefix.toLatin1());
        item.record.name = row.name;
        Result<KeyRecord> mapped = mapKey(row, item, now);
        if (!mapped) {
            item.reason = mapped.error();
            plan.keys.append(item);
            continue;
        }
        KeyRecord record = mapped.value();
        item.limits = CodexLbLimitMapping::map(row.limits, now);
        for (const LimitImport &limit : std::as_const(item.limits))
            if (limit.imported)
                record.policy.limits.append(limit.limit);
        item.record = record;

        const auto sameHash = std::find_if(existing.cbegin(), existing.cend(),
                                           [&](const KeyRecord &key) { return key.keyHash == record.keyHash; });
        const auto sameName = std::find_if(existing.cbegin(), existing.cend(), [&](const KeyRecord &key) {
            return key.name == record.name && key.keyHash != record.keyHash;
        });
        if (sameHash != existing.cend() && !sameHash->isImported()) {
            item.reason = QStringLiteral("its hash belongs to Keygate key %1").arg(sameHash->id);
        } else if (sameName != existing.cend()) {
            item.reason = QStringLiteral("%1 key %2 is already named \"%3\": rename one of them and import again")
                              .arg(sameName->isImported() ? QStringLiteral("imported") : QStringLiteral("Keygate"))
                              .arg(sameName->id)
                              .arg(record.name);
        } else if (namesTaken.contains(record.name)) {
            item.reason = QStringLiteral("another codex-lb key of this import is named \"%1\"").arg(record.name);
        }
        if (!item.reason.isEmpty()) {
            plan.keys.append(item);
            continue;
        }
        namesTaken.insert(record.name);
        if (sameHash == existing.cend()) {
            item.action = KeyImport::Action::Create;
        } else {
            item.keygateId = sameHash->id;
            item.record.id = sameHash->id;
            item.record.createdAt = sameHash->createdAt;
            item.record.note = sameHash->note; // the operator's note stays
            item.changes = changesBetween(*sameHash, item.record);
            item.action = item.changes.isEmpty() ? KeyImport::Action::Unchanged : KeyImport::Action::Update;
        }
        plan.keys.append(item);
    }
    return plan;
}

} // namespace Core
