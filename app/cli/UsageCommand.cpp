// SPDX-License-Identifier: MIT
#include "app/cli/UsageCommand.h"

#include "app/cli/CliOutput.h"
#include "app/cli/CommandSupport.h"
#include "app/core/storage/UsageRepository.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace Core {

namespace {

using namespace Cli;

QJsonObject totalsJson(const Proxy::UsageTotals &totals)
{
    return {{QStringLiteral("request_count"), totals.requestCount},
            {QStringLiteral("total_tokens"), totals.total},
            {QStringLiteral("input_tokens"), totals.input},
            {QStringLiteral("cached_input_tokens"), std::min(totals.cached, totals.input)}, // as /v1/usage
            {QStringLiteral("output_tokens"), totals.output},
            {QStringLiteral("reasoning_tokens"), totals.reasoning},
            {QStringLiteral("total_cost_usd"), totals.costUsd}};
}

} // namespace

int runUsageCommand(const CliContext &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Lifetime usage per key."));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print {\"keys\": [...], \"total\": {...}} as JSON."));
    parser.addOption(json);
    if (const auto exit = parseCommand(parser, QStringLiteral("usage"), arguments, 0, 0))
        return *exit;

    CommandEnvironment environment(context);
    if (!environment.openDatabase())
        return ExitError;
    const UsageRepository repository(environment.database().connection());
    const Result<QList<KeyUsage>> perKey = repository.perKey();
    if (!perKey)
        return fail(perKey.error());
    const Result<Proxy::UsageTotals> overall = repository.overall();
    if (!overall)
        return fail(overall.error());

    if (parser.isSet(json)) {
        QJsonArray keys;
        for (const KeyUsage &usage : perKey.value()) {
            QJsonObject object = totalsJson(usage.totals);
            object.insert(QStringLiteral("key_id"), usage.keyId);
            object.insert(QStringLiteral("key"), QJsonObject{{QStringLiteral("name"), usage.name},
                                                             {QStringLiteral("prefix"), usage.maskedKey}});
            object.insert(QStringLiteral("masked_key"), usage.maskedKey);
            keys.append(object);
        }
        const QJsonObject document{{QStringLiteral("keys"), keys}, {QStringLiteral("total"), totalsJson(overall.value())}};
        printLine(QString::fromUtf8(QJsonDocument(document).toJson(QJsonDocument::Indented)).trimmed());
        return ExitOk;
    }
    QList<QStringList> rows = {{QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("KEY"),
                                QStringLiteral("REQUESTS"), QStringLiteral("INPUT"), QStringLiteral("CACHED"),
                                QStringLiteral("OUTPUT"), QStringLiteral("REASONING"), QStringLiteral("TOTAL"),
                                QStringLiteral("COST_USD")}};
    const auto cells = [](const Proxy::UsageTotals &t) {
        return QStringList{QString::number(t.requestCount), QString::number(t.input), QString::number(t.cached),
                           QString::number(t.output),       QString::number(t.reasoning), QString::number(t.total),
                           QString::number(t.costUsd, 'f', 4)};
    };
    for (const KeyUsage &usage : perKey.value())
        rows.append(QStringList{QString::number(usage.keyId), usage.name, usage.maskedKey} + cells(usage.totals));
    rows.append(QStringList{QStringLiteral("-"), QStringLiteral("(all requests)"), QStringLiteral("-")} +
                cells(overall.value()));
    for (const QString &line : formatTable(rows))
        printLine(line);
    return ExitOk;
}

} // namespace Core
