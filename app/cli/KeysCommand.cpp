// SPDX-License-Identifier: MIT
#include "app/cli/KeysCommand.h"

#include "app/cli/CliOutput.h"
#include "app/cli/CommandSupport.h"
#include "app/cli/KeyPolicyCommand.h"
#include "app/cli/ResetUsageCommand.h"
#include "app/core/services/KeyPolicyService.h"
#include "app/core/services/KeyService.h"
#include "app/core/services/UsageResetService.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Core {

namespace {

using namespace Cli;


QString describe(const KeyRecord &record)
{
    return QStringLiteral("key %1 \"%2\" (%3)").arg(record.id).arg(record.name, record.maskedKey());
}

std::optional<QDateTime> parseExpiry(const QString &text, bool *ok)
{
    QDateTime time = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (!time.isValid()) {
        const QDate date = QDate::fromString(text.trimmed(), Qt::ISODate);
        if (date.isValid())
            time = QDateTime(date, QTime(0, 0), Qt::UTC);
    }
    *ok = time.isValid();
    if (time.isValid() && time.timeSpec() == Qt::LocalTime) // no offset given: read it as UTC
        time = QDateTime(time.date(), time.time(), Qt::UTC);
    return time.toUTC();
}

int create(KeyService &service, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Create a key; its plaintext is the last line of stdout."));
    const QCommandLineOption name(QStringLiteral("name"), QStringLiteral("Unique key name."), QStringLiteral("NAME"));
    const QCommandLineOption expires(QStringLiteral("expires"), QStringLiteral("Expiry (ISO-8601, UTC if no offset)."),
                                     QStringLiteral("TIME"));
    const QCommandLineOption note(QStringLiteral("note"), QStringLiteral("Free text."), QStringLiteral("TEXT"));
    parser.addOptions({name, expires, note});
    if (const auto exit = parseCommand(parser, QStringLiteral("keys create"), arguments, 0, 0))
        return *exit;
    if (!parser.isSet(name))
        return usageError(QStringLiteral("--name is required"), QStringLiteral("keys create"));
    std::optional<QDateTime> expiresAt;
    if (parser.isSet(expires)) {
        bool ok = false;
        expiresAt = parseExpiry(parser.value(expires), &ok);
        if (!ok)
            return usageError(QStringLiteral("--expires: not an ISO-8601 time: \"%1\"").arg(parser.value(expires)),
                              QStringLiteral("keys create"));
    }
    const Result<CreatedKey> created = service.create(parser.value(name), expiresAt, parser.value(note));
    if (!created)
        return fail(created.error());
    printLine(QStringLiteral("created ") + describe(created.value().record));
    printLine(created.value().plaintext);
    return ExitOk;
}

int list(KeyService &service, KeyPolicyService &policy, const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print a JSON array."));
    parser.addOption(json);
    if (const auto exit = parseCommand(parser, QStringLiteral("keys list"), arguments, 0, 0))
        return *exit;
    const Result<QList<KeyRecord>> records = service.list();
    if (!records)
        return fail(records.error());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QHash<qint64, QList<Proxy::LimitStatus>> statuses;
    for (const KeyRecord &record : records.value()) {
        if (record.policy.limits.isEmpty())
            continue;
        const auto counted = policy.limitStatuses(record.id, now);
        if (!counted)
            return fail(counted.error());
        statuses.insert(record.id, counted.value());
    }
    if (parser.isSet(json)) {
        QJsonArray array;
        for (const KeyRecord &record : records.value()) {
            QJsonArray limits;
            for (const Proxy::LimitStatus &status : statuses.value(record.id))
                limits.append(limitStatusJson(status));
            array.append(QJsonObject{{QStringLiteral("id"), record.id},
                                     {QStringLiteral("name"), record.name},
                                     {QStringLiteral("masked_key"), record.maskedKey()},
                                     {QStringLiteral("origin"), KeyRecord::originName(record.origin)},
                                     {QStringLiteral("created_at"), jsonTime(record.createdAt)},
                                     {QStringLiteral("expires_at"), jsonTime(record.expiresAt)},
                                     {QStringLiteral("enabled"), record.enabled},
                                     {QStringLiteral("last_used_at"), jsonTime(record.lastUsedAt)},
                                     {QStringLiteral("note"), record.note},
                                     {QStringLiteral("allowed_models"), QJsonArray::fromStringList(record.policy.allowedModels)},
                                     {QStringLiteral("allowed_efforts"), QJsonArray::fromStringList(record.policy.allowedEfforts)},
                                     {QStringLiteral("limits"), limits}});
        }
        printLine(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)).trimmed());
        return ExitOk;
    }
    QList<QStringList> rows = {{QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("KEY"),
                                QStringLiteral("CREATED"), QStringLiteral("EXPIRES"), QStringLiteral("ENABLED"),
                                QStringLiteral("LAST USED"), QStringLiteral("POLICY")}};
    for (const KeyRecord &record : records.value()) {
        rows.append({QString::number(record.id), record.name, record.maskedKey(), displayTime(record.createdAt),
                     displayTime(record.expiresAt, QStringLiteral("never")),
                     record.enabled ? QStringLiteral("yes") : QStringLiteral("no"),
                     displayTime(record.lastUsedAt, QStringLiteral("never")),
                     policySummary(record.policy, statuses.value(record.id))});
    }
    for (const QString &line : formatTable(rows))
        printLine(line);
    return ExitOk;
}

// show ID_OR_NAME: one key's details, without its plaintext.
int show(KeyService &service, KeyPolicyService &policy, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("key"), QStringLiteral("Key id or name."), QStringLiteral("ID_OR_NAME"));
    if (const auto exit = parseCommand(parser, QStringLiteral("keys show"), arguments, 1, 1))
        return *exit;
    const Result<KeyRecord> found = service.find(parser.positionalArguments().constFirst());
    if (!found)
        return fail(found.error());
    const KeyRecord &key = found.value();
    const auto statuses = policy.limitStatuses(key.id, QDateTime::currentDateTimeUtc());
    if (!statuses)
        return fail(statuses.error());
    const QList<QStringList> rows = {
        {QStringLiteral("id"), QString::number(key.id)},
        {QStringLiteral("name"), key.name},
        {QStringLiteral("key"), key.maskedKey()},
        {QStringLiteral("origin"),
         key.isImported() ? QStringLiteral("codex-lb (imported: its plaintext and last 4 characters are unknown to "
                                           "Keygate and cannot be revealed; the sk-clb- key keeps working)")
                          : QStringLiteral("keygate")},
        {QStringLiteral("created"), displayTime(key.createdAt)},
        {QStringLiteral("expires"), displayTime(key.expiresAt, QStringLiteral("never"))},
        {QStringLiteral("enabled"), key.enabled ? QStringLiteral("yes") : QStringLiteral("no")},
        {QStringLiteral("last used"), displayTime(key.lastUsedAt, QStringLiteral("never"))},
        {QStringLiteral("policy"), policySummary(key.policy, statuses.value())},
        {QStringLiteral("note"), key.note}};
    for (const QString &line : formatTable(rows))
        printLine(line.trimmed());
    return ExitOk;
}

// disable | enable | delete | regenerate | reveal ID_OR_NAME
int single(KeyService &service, const QString &action, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("key"), QStringLiteral("Key id or name."), QStringLiteral("ID_OR_NAME"));
    if (const auto exit = parseCommand(parser, QStringLiteral("keys ") + action, arguments, 1, 1))
        return *exit;
    const Result<KeyRecord> found = service.find(parser.positionalArguments().constFirst());
    if (!found)
        return fail(found.error());
    const qint64 id = found.value().id;
    if (action == u"disable" || action == u"enable") {
        const Result<KeyRecord> updated = service.setEnabled(id, action == u"enable");
        if (!updated)
            return fail(updated.error());
        printLine(QStringLiteral("%1d ").arg(action) + describe(updated.value()));
        return ExitOk;
    }
    if (action == u"delete") {
        const Status removed = service.remove(id);
        if (!removed)
            return fail(removed.error());
        if (!removed.warning().isEmpty())
            warn(removed.warning());
        printLine(QStringLiteral("deleted ") + describe(found.value()));
        return ExitOk;
    }
    if (action == u"regenerate") {
        const Result<CreatedKey> regenerated = service.regenerate(id);
        if (!regenerated)
            return fail(regenerated.error());
        printLine(QStringLiteral("regenerated ") + describe(regenerated.value().record));
        printLine(regenerated.value().plaintext);
        return ExitOk;
    }
    const Result<QString> plaintext = service.reveal(id);
    if (!plaintext)
        return fail(plaintext.error());
    printLine(plaintext.value());
    return ExitOk;
}

} // namespace

int runKeysCommand(const CliContext &context, const QStringList &arguments)
{
    static const QStringList actions = {QStringLiteral("create"),     QStringLiteral("list"),
                                        QStringLiteral("disable"),    QStringLiteral("enable"),
                                        QStringLiteral("delete"),     QStringLiteral("regenerate"),
                                        QStringLiteral("reveal"),     QStringLiteral("limit"),
                                        QStringLiteral("models"),     QStringLiteral("efforts"),
                                        QStringLiteral("reset-usage"), QStringLiteral("show")};
    if (arguments.isEmpty() || arguments.constFirst() == u"--help" || arguments.constFirst() == u"-h") {
        if (arguments.isEmpty())
            return usageError(QStringLiteral("missing keys action (%1)").arg(actions.join(u'|')), QStringLiteral("keys"));
        printLine(QStringLiteral("Usage: keygate keys %1 ...\n"
                                 "  keys limit ID_OR_NAME add --type tokens|input|output|cost --window 5h|day|week|month"
                                 " --max N [--model M]\n"
                                 "  keys limit ID_OR_NAME list [--json]\n"
                                 "  keys limit ID_OR_NAME remove LIMIT_ID\n"
                                 "  keys models ID_OR_NAME --allow MODEL,... | --clear\n"
                                 "  keys efforts ID_OR_NAME --allow EFFORT,... | --clear\n"
                                 "  keys reset-usage ID_OR_NAME [--limit LIMIT_ID] [--json]")
                      .arg(actions.join(u'|')));
        return ExitOk;
    }
    const QString action = arguments.constFirst();
    if (!actions.contains(action))
        return usageError(QStringLiteral("unknown keys action \"%1\"").arg(action), QStringLiteral("keys"));
    const QStringList rest = arguments.mid(1);
    const bool wantsHelp = rest.contains(QStringLiteral("--help")) || rest.contains(QStringLiteral("-h"));

    CommandEnvironment environment(context);
    if (!wantsHelp && !environment.openDatabase())
        return ExitError;
    // list does not touch the secret store; everything else may.
    if (!environment.openSecrets())
        return ExitError;
    KeyService service(environment.database(), environment.secrets());
    KeyPolicyService policy(environment.database());
    if (action == u"create")
        return create(service, rest);
    if (action == u"list")
        return list(service, policy, rest);
    if (action == u"show")
        return show(service, policy, rest);
    if (action == u"limit" || action == u"models" || action == u"efforts")
        return runKeyPolicyCommand(action, service, policy, rest);
    if (action == u"reset-usage") {
        UsageResetService resets(environment.database());
        return runResetUsageCommand(service, policy, resets, rest);
    }
    return single(service, action, rest);
}

} // namespace Core
