// SPDX-License-Identifier: MIT
#include "app/cli/KeyPolicyCommand.h"

#include "app/cli/CliOutput.h"
#include "app/cli/CommandSupport.h"
#include "app/core/services/KeyPolicyService.h"
#include "app/core/services/KeyService.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace Core {

namespace {

using namespace Cli;

const QString LimitUsage = QStringLiteral(
    "Usage: keygate keys limit ID_OR_NAME add --type tokens|input|output|cost --window 5h|day|week|month --max N [--model M]\n"
    "       keygate keys limit ID_OR_NAME list [--json]\n"
    "       keygate keys limit ID_OR_NAME remove LIMIT_ID\n"
    "\n"
    "Usage limits of a key. A request is refused (429) while a limit that applies to its model is used up;\n"
    "windows start at the hour the key was created and reset on schedule (month = 30 days);\n"
    "`keygate keys reset-usage` restarts them from now.\n"
    "--max is tokens (1000000 or 1,000,000), or USD for --type cost (5 or 2.50).");

QString describe(const KeyRecord &record)
{
    return QStringLiteral("key %1 \"%2\"").arg(record.id).arg(record.name);
}

QString ruleName(const Proxy::KeyLimit &limit)
{
    return Proxy::shortName(limit.type) + u'/' + Proxy::shortName(limit.window) +
           (limit.modelFilter.isEmpty() ? QString() : u':' + limit.modelFilter);
}

QString modelText(const Proxy::KeyLimit &limit)
{
    return limit.modelFilter.isEmpty() ? QStringLiteral("all models") : limit.modelFilter;
}

QStringList splitList(const QString &text)
{
    QStringList items;
    for (const QString &item : text.split(u',', Qt::SkipEmptyParts))
        if (!item.trimmed().isEmpty())
            items.append(item.trimmed());
    return items;
}

int addLimit(const KeyRecord &key, KeyPolicyService &policy, const QStringList &arguments)
{
    const QString command = QStringLiteral("keys limit ID_OR_NAME add");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Add a usage limit to a key."));
    const QCommandLineOption type(QStringLiteral("type"), QStringLiteral("What to count: tokens, input, output or cost."),
                                  QStringLiteral("TYPE"));
    const QCommandLineOption window(QStringLiteral("window"), QStringLiteral("Window: 5h, day, week or month (30 days)."),
                                    QStringLiteral("WINDOW"));
    const QCommandLineOption max(QStringLiteral("max"), QStringLiteral("Maximum: tokens, or USD for cost (e.g. 2.50)."),
                                 QStringLiteral("N"));
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Count only requests for this model."),
                                   QStringLiteral("MODEL"));
    parser.addOptions({type, window, max, model});
    if (const auto exit = parseCommand(parser, command, arguments, 0, 0))
        return *exit;
    for (const QCommandLineOption *required : {&type, &window, &max})
        if (!parser.isSet(*required))
            return usageError(QStringLiteral("--%1 is required").arg(required->names().constFirst()), command);
    const Result<Proxy::LimitType> limitType = KeyPolicyService::parseType(parser.value(type));
    if (!limitType)
        return usageError(QStringLiteral("--type: ") + limitType.error(), command);
    const Result<Proxy::LimitWindow> limitWindow = KeyPolicyService::parseWindow(parser.value(window));
    if (!limitWindow)
        return usageError(QStringLiteral("--window: ") + limitWindow.error(), command);
    const Result<qint64> maxValue = KeyPolicyService::parseMax(limitType.value(), parser.value(max));
    if (!maxValue)
        return usageError(QStringLiteral("--max: ") + maxValue.error(), command);
    if (parser.isSet(model) && parser.value(model).trimmed().isEmpty())
        return usageError(QStringLiteral("--model: empty model name (leave --model out to count every model)"), command);
    const Result<Proxy::KeyLimit> added =
        policy.addLimit(key.id, limitType.value(), limitWindow.value(), maxValue.value(), parser.value(model));
    if (!added)
        return fail(added.error());
    const Proxy::KeyLimit &limit = added.value();
    printLine(QStringLiteral("added limit %1 to %2: %3 per %4 for %5")
                  .arg(QString::number(limit.id), describe(key),
                       KeyPolicyService::formatAmount(limit.type, limit.maxValue), Proxy::shortName(limit.window),
                       modelText(limit)));
    return ExitOk;
}

int listLimits(const KeyRecord &key, KeyPolicyService &policy, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Show a key's limits, what is used and when each resets."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print a JSON array."));
    parser.addOption(json);
    if (const auto exit = parseCommand(parser, QStringLiteral("keys limit ID_OR_NAME list"), arguments, 0, 0))
        return *exit;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const Result<QList<Proxy::LimitStatus>> statuses = policy.limitStatuses(key.id, now);
    if (!statuses)
        return fail(statuses.error());
    if (parser.isSet(json)) {
        QJsonArray array;
        for (const Proxy::LimitStatus &status : statuses.value())
            array.append(limitStatusJson(status));
        printLine(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)).trimmed());
        return ExitOk;
    }
    if (statuses.value().isEmpty()) {
        note(QStringLiteral("%1 has no limits").arg(describe(key)));
        return ExitOk;
    }
    QList<QStringList> rows = {{QStringLiteral("ID"), QStringLiteral("TYPE"), QStringLiteral("WINDOW"),
                                QStringLiteral("MODEL"), QStringLiteral("USED / MAX"), QStringLiteral("REMAINING"),
                                QStringLiteral("RESETS")}};
    for (const Proxy::LimitStatus &status : statuses.value())
        rows.append({QString::number(status.limit.id), Proxy::shortName(status.limit.type),
                     Proxy::shortName(status.limit.window), modelText(status.limit), usedOfMax(status),
                     KeyPolicyService::formatAmount(status.limit.type, status.remaining()),
                     displayTime(status.resetAt) + u' ' + countdown(now, status.resetAt)});
    for (const QString &line : formatTable(rows))
        printLine(line);
    return ExitOk;
}

int removeLimit(const KeyRecord &key, KeyPolicyService &policy, const QStringList &arguments)
{
    const QString command = QStringLiteral("keys limit ID_OR_NAME remove");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Remove a limit (its id is in `keys limit ID_OR_NAME list`)."));
    parser.addPositionalArgument(QStringLiteral("limit"), QStringLiteral("Limit id."), QStringLiteral("LIMIT_ID"));
    if (const auto exit = parseCommand(parser, command, arguments, 1, 1))
        return *exit;
    bool ok = false;
    const qint64 limitId = parser.positionalArguments().constFirst().toLongLong(&ok);
    if (!ok || limitId <= 0)
        return usageError(QStringLiteral("LIMIT_ID: not a limit id: \"%1\"").arg(parser.positionalArguments().constFirst()),
                          command);
    if (const Status removed = policy.removeLimit(key.id, limitId); !removed)
        return fail(removed.error());
    printLine(QStringLiteral("removed limit %1 from %2").arg(QString::number(limitId), describe(key)));
    return ExitOk;
}

int limitCommand(KeyService &keys, KeyPolicyService &policy, const QStringList &arguments)
{
    if (arguments.contains(QStringLiteral("--help")) || arguments.contains(QStringLiteral("-h"))) {
        if (arguments.size() < 3) { // keys limit [ID] --help: the overview
            printLine(LimitUsage);
            return ExitOk;
        }
    }
    if (arguments.size() < 2)
        return usageError(QStringLiteral("usage: keys limit ID_OR_NAME add|list|remove ..."), QStringLiteral("keys limit"));
    const QString &sub = arguments.at(1);
    if (sub != u"add" && sub != u"list" && sub != u"remove")
        return usageError(QStringLiteral("unknown keys limit action \"%1\" (add, list or remove)").arg(sub),
                          QStringLiteral("keys limit"));
    const QStringList rest = arguments.mid(2);
    const bool wantsHelp = rest.contains(QStringLiteral("--help")) || rest.contains(QStringLiteral("-h"));
    KeyRecord key;
    if (!wantsHelp) {
        const Result<KeyRecord> found = keys.find(arguments.constFirst());
        if (!found)
            return fail(found.error());
        key = found.value();
    }
    if (sub == u"add")
        return addLimit(key, policy, rest);
    if (sub == u"list")
        return listLimits(key, policy, rest);
    return removeLimit(key, policy, rest);
}

// keys models|efforts ID_OR_NAME --allow a,b | --clear
int allowlistCommand(const QString &action, KeyService &keys, KeyPolicyService &policy, const QStringList &arguments)
{
    const bool models = action == u"models";
    const QString command = QStringLiteral("keys ") + action;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        models ? QStringLiteral("Restrict a key to some models (others get 403 model_not_allowed and are hidden "
                                "from /v1/models), or allow every model again.")
               : QStringLiteral("Restrict the reasoning efforts a key may request (%1), or allow every effort again.")
                     .arg(Proxy::knownReasoningEfforts().join(QStringLiteral(", "))));
    parser.addPositionalArgument(QStringLiteral("key"), QStringLiteral("Key id or name."), QStringLiteral("ID_OR_NAME"));
    const QCommandLineOption allow(QStringLiteral("allow"),
                                   models ? QStringLiteral("Comma-separated model names.")
                                          : QStringLiteral("Comma-separated efforts."),
                                   QStringLiteral("LIST"));
    const QCommandLineOption clear(QStringLiteral("clear"),
                                   models ? QStringLiteral("Allow every model.") : QStringLiteral("Allow every effort."));
    parser.addOptions({allow, clear});
    if (const auto exit = parseCommand(parser, command, arguments, 1, 1))
        return *exit;
    if (parser.isSet(allow) == parser.isSet(clear))
        return usageError(QStringLiteral("give exactly one of --allow LIST and --clear"), command);
    const QStringList wanted = parser.isSet(allow) ? splitList(parser.value(allow)) : QStringList();
    if (parser.isSet(allow) && wanted.isEmpty())
        return usageError(QStringLiteral("--allow: empty list (use --clear to allow every %1)")
                              .arg(models ? QStringLiteral("model") : QStringLiteral("effort")),
                          command);
    if (!models)
        for (const QString &effort : wanted)
            if (!Proxy::knownReasoningEfforts().contains(effort))
                return usageError(QStringLiteral("--allow: unknown reasoning effort \"%1\" (expected one of %2)")
                                      .arg(effort, Proxy::knownReasoningEfforts().join(QStringLiteral(", "))),
                                  command);
    const Result<KeyRecord> found = keys.find(parser.positionalArguments().constFirst());
    if (!found)
        return fail(found.error());
    const Status changed =
        models ? policy.setAllowedModels(found.value().id, wanted) : policy.setAllowedEfforts(found.value().id, wanted);
    if (!changed)
        return fail(changed.error());
    const Result<KeyRecord> updated = keys.findById(found.value().id);
    if (!updated)
        return fail(updated.error());
    const QStringList now = models ? updated.value().policy.allowedModels : updated.value().policy.allowedEfforts;
    printLine(QStringLiteral("%1: %2").arg(describe(updated.value()),
                                           now.isEmpty() ? QStringLiteral("every %1 allowed").arg(models ? QStringLiteral("model") : QStringLiteral("effort"))
                                                         : QStringLiteral("%1 allowed: %2").arg(action, now.join(u','))));
    return ExitOk;
}

} // namespace

int runKeyPolicyCommand(const QString &action, KeyService &keys, KeyPolicyService &policy,
                        const QStringList &arguments)
{
    if (action == u"limit")
        return limitCommand(keys, policy, arguments);
    return allowlistCommand(action, keys, policy, arguments);
}

namespace Cli {

QJsonObject limitStatusJson(const Proxy::LimitStatus &status)
{
    return QJsonObject{
        {QStringLiteral("id"), status.limit.id},
        {QStringLiteral("limit_type"), Proxy::wireName(status.limit.type)},
        {QStringLiteral("limit_window"), Proxy::wireName(status.limit.window)},
        {QStringLiteral("max_value"), status.limit.maxValue},
        {QStringLiteral("current_value"), status.clamped()},
        {QStringLiteral("remaining_value"), status.remaining()},
        {QStringLiteral("model_filter"),
         status.limit.modelFilter.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(status.limit.modelFilter)},
        {QStringLiteral("reset_at"), jsonTime(status.resetAt)},
        {QStringLiteral("counted_from"), jsonTime(status.limit.countedFrom)}, // the last usage reset, or null
    };
}

QString usedOfMax(const Proxy::LimitStatus &status)
{
    const Proxy::LimitType type = status.limit.type;
    QString used = KeyPolicyService::formatAmount(type, status.clamped());
    if (type != Proxy::LimitType::CostMicros)
        used.chop(QStringLiteral(" tokens").size());
    return used + QStringLiteral(" / ") + KeyPolicyService::formatAmount(type, status.limit.maxValue);
}

QString countdown(const QDateTime &now, const QDateTime &at)
{
    const qint64 minutes = std::max<qint64>(0, now.secsTo(at)) / 60;
    if (minutes < 1)
        return QStringLiteral("in <1m");
    if (minutes < 60)
        return QStringLiteral("in %1m").arg(minutes);
    if (minutes < 24 * 60)
        return QStringLiteral("in %1h %2m").arg(minutes / 60).arg(minutes % 60);
    return QStringLiteral("in %1d %2h").arg(minutes / (24 * 60)).arg(minutes / 60 % 24);
}

QString policySummary(const Proxy::KeyPolicy &policy, const QList<Proxy::LimitStatus> &statuses)
{
    QStringList parts;
    if (!policy.allowedModels.isEmpty())
        parts.append(QStringLiteral("models ") + policy.allowedModels.join(u','));
    if (!policy.allowedEfforts.isEmpty())
        parts.append(QStringLiteral("efforts ") + policy.allowedEfforts.join(u','));
    for (const Proxy::LimitStatus &status : statuses)
        parts.append(QStringLiteral("%1 %2%").arg(ruleName(status.limit)).arg(status.percent()));
    return parts.isEmpty() ? QStringLiteral("-") : parts.join(QStringLiteral("; "));
}

} // namespace Cli

} // namespace Core
