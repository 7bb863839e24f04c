// SPDX-License-Identifier: MIT
#include "app/core/import/CodexLbImporter.h"

#include "app/core/import/CodexLbImportPlanner.h"
#include "app/core/import/CodexLbReader.h"
#include "app/core/storage/Database.h"
#include "app/core/storage/KeyLimitRepository.h"
#include "app/core/storage/KeyRepository.h"
#include "app/core/storage/SqlUtil.h"

namespace Core {

namespace {

bool sameRule(const Proxy::KeyLimit &a, const Proxy::KeyLimit &b)
{
    return a.type == b.type && a.window == b.window && a.modelFilter == b.modelFilter;
}

} // namespace

CodexLbImporter::CodexLbImporter(Database &database) : m_database(database) {}

Result<ImportPlan> CodexLbImporter::plan(const QString &path) const
{
    const Result<QList<CodexLbKeyRow>> rows = CodexLbReader::read(path);
    if (!rows)
        return Result<ImportPlan>::failure(rows.error());
    // Every key with its limits: an update compares against them.
    QList<KeyRecord> existing;
    {
        const auto records = KeyRepository(m_database.connection()).list();
        if (!records)
            return Result<ImportPlan>::failure(records.error());
        const auto limits = KeyLimitRepository(m_database.connection()).all();
        if (!limits)
            return Result<ImportPlan>::failure(limits.error());
        existing = records.value();
        for (KeyRecord &record : existing)
            record.policy.limits = limits.value().value(record.id);
    }
    return CodexLbImportPlanner::plan(rows.value(), existing, QDateTime::currentDateTimeUtc());
}

Status CodexLbImporter::create(const KeyImport &item)
{
    KeyRepository keys(m_database.connection());
    const Result<qint64> id = keys.insert(item.record);
    if (!id)
        return id.status();
    Status status = keys.setAllowedModels(id.value(), item.record.policy.allowedModels);
    if (status)
        status = keys.setAllowedEfforts(id.value(), item.record.policy.allowedEfforts);
    KeyLimitRepository limits(m_database.connection());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (qsizetype i = 0; status && i < item.record.policy.limits.size(); ++i)
        status = limits.insert(id.value(), item.record.policy.limits.at(i), now).status();
    return status;
}

Status CodexLbImporter::update(const KeyImport &item)
{
    const qint64 id = item.keygateId;
    KeyRepository keys(m_database.connection());
    Status status = keys.update(id, item.record.name, item.record.note, item.record.expiresAt);
    if (status)
        status = keys.setEnabled(id, item.record.enabled);
    if (status)
        status = keys.setAllowedModels(id, item.record.policy.allowedModels);
    if (status)
        status = keys.setAllowedEfforts(id, item.record.policy.allowedEfforts);
    if (!status)
        return status;
    // Limits follow codex-lb's: the same rule keeps its id (and Keygate's own count), takes codex-lb's
    // maximum, window and count; a rule codex-lb no longer has goes.
    KeyLimitRepository limits(m_database.connection());
    const auto existing = limits.forKey(id);
    if (!existing)
        return existing.status();
    const QList<Proxy::KeyLimit> &wanted = item.record.policy.limits;
    for (const Proxy::KeyLimit &old : existing.value()) {
        const auto kept = std::find_if(wanted.cbegin(), wanted.cend(),
                                       [&](const Proxy::KeyLimit &limit) { return sameRule(limit, old); });
        if (kept == wanted.cend()) {
            status = limits.remove(id, old.id);
        } else {
            Proxy::KeyLimit changed = *kept;
            changed.id = old.id;
            status = limits.updateImported(id, changed);
        }
        if (!status)
            return status;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const Proxy::KeyLimit &limit : wanted) {
        const bool isNew = std::none_of(existing.value().cbegin(), existing.value().cend(),
                                        [&](const Proxy::KeyLimit &old) { return sameRule(old, limit); });
        if (isNew)
            if (status = limits.insert(id, limit, now).status(); !status)
                return status;
    }
    return status;
}

Status CodexLbImporter::apply(const ImportPlan &plan)
{
    if (const Status begin = Sql::exec(m_database.connection(), QStringLiteral("BEGIN IMMEDIATE")); !begin)
        return begin;
    Status status = Status::success();
    for (const KeyImport &item : plan.keys) {
        if (item.action == KeyImport::Action::Create)
            status = create(item);
        else if (item.action == KeyImport::Action::Update)
            status = update(item);
        if (!status) {
            status = Status::failure(QStringLiteral("importing \"%1\" failed, nothing was imported: %2")
                                         .arg(item.record.name, status.error()));
            break;
        }
    }
    Sql::exec(m_database.connection(), status ? QStringLiteral("COMMIT") : QStringLiteral("ROLLBACK"));
    return status;
}

} // namespace Core
