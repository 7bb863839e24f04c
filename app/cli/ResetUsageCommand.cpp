// SPDX-License-Identifier: MIT
#include "app/cli/ResetUsageCommand.h"

#include "app/cli/CliOutput.h"
#include "app/cli/CommandSupport.h"
#include "app/cli/KeyPolicyCommand.h"
#include "app/core/services/KeyPolicyService.h"
#include "app/core/services/KeyService.h"
#include "app/core/services/UsageResetService.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Core {

namespace {

using namespace Cli;

const QString Command = QStringLiteral("keys reset-usage");

QString ruleName(const Proxy::KeyLimit &limit)
{
    return Proxy::shortName(limit.type) + u'/' + Proxy::shortName(limit.window) +
           (limit.modelFilter.isEmpty() ? QString() : u':' + limit.modelFilter);
}

} // namespace

int runResetUsageCommand(KeyService &keys, KeyPolicyService &policy, UsageResetService &resets,
                         const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Reset a key's usage without regenerating it: its limit windows (all, or only --limit) restart\n"
        "from now, so the key may use each limit's maximum again. The request log, the totals and\n"
        "/v1/usage history are kept; the reset is recorded in the auth trace. Requests still in flight\n"
        "count in the new window. A running `keygate serve` applies it within a second."));
    parser.addPositionalArgument(QStringLiteral("key"), QStringLiteral("Key id or name."), QStringLiteral("ID_OR_NAME"));
    const QCommandLineOption limit(QStringLiteral("limit"),
                                   QStringLiteral("Reset only this limit (its id is in `keys limit ID_OR_NAME list`)."),
                                   QStringLiteral("LIMIT_ID"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print a JSON object."));
    parser.addOptions({limit, json});
    if (const auto exit = parseCommand(parser, Command, arguments, 1, 1))
        return *exit;
    std::optional<qint64> limitId;
    if (parser.isSet(limit)) {
        bool ok = false;
        limitId = parser.value(limit).toLongLong(&ok);
        if (!ok || *limitId <= 0)
            return usageError(QStringLiteral("--limit: not a limit id: \"%1\"").arg(parser.value(limit)), Command);
    }
    const Result<KeyRecord> key = keys.find(parser.positionalArguments().constFirst());
    if (!key)
        return fail(key.error());
    const Result<UsageReset> reset = resets.reset(key.value().id, limitId, UsageResetService::Origin::Cli);
    if (!reset)
        return fail(reset.error());
    const Result<QList<Proxy::LimitStatus>> statuses = policy.limitStatuses(key.value().id, reset.value().at);
    if (!statuses)
        return fail(statuses.error());
    QList<Proxy::LimitStatus> shown;
    for (const Proxy::LimitStatus &status : statuses.value())
        if (!limitId || status.limit.id == *limitId)
            shown.append(status);

    if (parser.isSet(json)) {
        QJsonArray limits;
        for (const Proxy::LimitStatus &status : std::as_const(shown))
            limits.append(limitStatusJson(status));
        const QJsonObject object{{QStringLiteral("key_id"), key.value().id},
                                 {QStringLiteral("key_name"), key.value().name},
                                 {QStringLiteral("counted_from"), jsonTime(reset.value().at)},
                                 {QStringLiteral("by"), reset.value().trace.peer},
                                 {QStringLiteral("limits"), limits}};
        printLine(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)).trimmed());
        return ExitOk;
    }
    printLine(QStringLiteral("reset the usage of key %1 \"%2\" at %3; the request log keeps its history")
                  .arg(QString::number(key.value().id), key.value().name, displayTime(reset.value().at)));
    for (const Proxy::LimitStatus &status : std::as_const(shown))
        printLine(QStringLiteral("  limit %1 %2: %3, resets %4 %5")
                      .arg(QString::number(status.limit.id), ruleName(status.limit), usedOfMax(status),
                           displayTime(status.resetAt), countdown(reset.value().at, status.resetAt)));
    return ExitOk;
}

} // namespace Core
