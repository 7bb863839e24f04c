// SPDX-License-Identifier: MIT
#include "app/cli/ImportCommand.h"

#include "app/cli/CliOutput.h"
#include "app/cli/CommandSupport.h"
#include "app/core/import/CodexLbImporter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Core {

namespace {

using namespace Cli;

QJsonValue nullIfEmpty(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonObject limitJson(const LimitImport &limit)
{
    return {{QStringLiteral("codex_lb_id"), limit.codexLbId},
            {QStringLiteral("limit_type"), limit.type},
            {QStringLiteral("limit_window"), limit.window},
            {QStringLiteral("model_filter"), nullIfEmpty(limit.modelFilter)},
            {QStringLiteral("max_value"), limit.maxValue},
            {QStringLiteral("current_value"), limit.currentValue},
            {QStringLiteral("carried_value"), limit.imported ? limit.limit.carriedValue : 0},
            {QStringLiteral("action"), limit.imported ? QStringLiteral("import") : QStringLiteral("skip")},
            {QStringLiteral("note"), nullIfEmpty(limit.note)}};
}

QJsonObject keyJson(const KeyImport &key)
{
    QJsonArray limits;
    for (const LimitImport &limit : key.limits)
        limits.append(limitJson(limit));
    return {{QStringLiteral("codex_lb_id"), key.codexLbId},
            {QStringLiteral("name"), key.record.name},
            {QStringLiteral("masked_key"), key.maskedKey},
            {QStringLiteral("action"), KeyImport::actionName(key.action)},
            {QStringLiteral("keygate_id"), key.keygateId ? QJsonValue(key.keygateId) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("reason"), nullIfEmpty(key.reason)},
            {QStringLiteral("changes"), QJsonArray::fromStringList(key.changes)},
            {QStringLiteral("notes"), QJsonArray::fromStringList(key.notes)},
            {QStringLiteral("limits"), limits}};
}

void printText(const ImportPlan &plan, bool dryRun)
{
    for (const KeyImport &key : plan.keys) {
        QString line = KeyImport::actionName(key.action).leftJustified(10);
        if (key.keygateId)
            line += QStringLiteral("key %1 ").arg(key.keygateId);
        line += QStringLiteral("\"%1\" %2").arg(key.record.name, key.maskedKey);
        if (key.action == KeyImport::Action::Skip)
            line += QStringLiteral(": ") + key.reason;
        else if (!key.changes.isEmpty())
            line += QStringLiteral(": ") + key.changes.join(QStringLiteral(", "));
        printLine(line);
        for (const QString &note : key.notes)
            printLine(QStringLiteral("  note: ") + note);
        if (key.action == KeyImport::Action::Skip)
            continue;
        for (const LimitImport &limit : key.limits) {
            QString rule = limit.type + u'/' + limit.window;
            if (!limit.modelFilter.isEmpty())
                rule += QStringLiteral(" (%1)").arg(limit.modelFilter);
            printLine(QStringLiteral("  limit %1 %2 max %3: %4%5")
                          .arg(limit.codexLbId)
                          .arg(rule)
                          .arg(limit.maxValue)
                          .arg(limit.imported ? QStringLiteral("imported") : QStringLiteral("skipped"),
                               limit.note.isEmpty() ? QString() : QStringLiteral(" (") + limit.note + u')'));
        }
    }
    const QString counts = QStringLiteral("%1 create, %2 update, %3 unchanged, %4 skip")
                               .arg(plan.count(KeyImport::Action::Create))
                               .arg(plan.count(KeyImport::Action::Update))
                               .arg(plan.count(KeyImport::Action::Unchanged))
                               .arg(plan.count(KeyImport::Action::Skip));
    printLine(dryRun ? QStringLiteral("dry run: %1; nothing was changed").arg(counts)
                     : QStringLiteral("imported: %1").arg(counts));
}

} // namespace

int runImportCommand(const CliContext &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Import the API keys of codex-lb: they keep working with their sk-clb- keys.\n"
                       "The codex-lb database is only read. Importing again updates the keys (matched by\n"
                       "their hash), never duplicates them. Settings that do not fit are reported, not guessed."));
    parser.addPositionalArgument(QStringLiteral("source"), QStringLiteral("What to import from: codex-lb."),
                                 QStringLiteral("codex-lb"));
    const QCommandLineOption db(QStringLiteral("db"), QStringLiteral("codex-lb's SQLite database (store.db)."),
                                QStringLiteral("PATH"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"), QStringLiteral("Print the plan; change nothing."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print the plan as JSON."));
    parser.addOptions({db, dryRun, json});
    const QString command = QStringLiteral("import");
    if (const auto exit = parseCommand(parser, command, arguments, 1, 1))
        return *exit;
    const QString source = parser.positionalArguments().constFirst();
    if (source != u"codex-lb")
        return usageError(QStringLiteral("unknown import source \"%1\" (expected codex-lb)").arg(source), command);
    if (!parser.isSet(db) || parser.value(db).isEmpty())
        return usageError(QStringLiteral("--db PATH is required"), command);

    CommandEnvironment environment(context);
    if (!environment.openDatabase())
        return ExitError;
    CodexLbImporter importer(environment.database());
    const Result<ImportPlan> plan = importer.plan(parser.value(db));
    if (!plan)
        return fail(plan.error());
    if (!parser.isSet(dryRun))
        if (const Status applied = importer.apply(plan.value()); !applied)
            return fail(applied.error());
    if (parser.isSet(json)) {
        QJsonArray keys;
        for (const KeyImport &key : plan.value().keys)
            keys.append(keyJson(key));
        const QJsonObject summary{{QStringLiteral("create"), plan.value().count(KeyImport::Action::Create)},
                                  {QStringLiteral("update"), plan.value().count(KeyImport::Action::Update)},
                                  {QStringLiteral("unchanged"), plan.value().count(KeyImport::Action::Unchanged)},
                                  {QStringLiteral("skip"), plan.value().count(KeyImport::Action::Skip)}};
        const QJsonObject document{{QStringLiteral("dry_run"), parser.isSet(dryRun)},
                                   {QStringLiteral("keys"), keys},
                                   {QStringLiteral("summary"), summary}};
        printLine(QString::fromUtf8(QJsonDocument(document).toJson(QJsonDocument::Indented)).trimmed());
        return ExitOk;
    }
    printText(plan.value(), parser.isSet(dryRun));
    return ExitOk;
}

} // namespace Core
