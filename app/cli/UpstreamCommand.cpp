// SPDX-License-Identifier: MIT
#include "app/cli/UpstreamCommand.h"

#include "app/cli/CliOutput.h"
#include "app/cli/CommandSupport.h"
#include "app/core/services/UpstreamService.h"

namespace Core {

namespace {

using namespace Cli;

/// `--account NAME`: the account an `upstream` action acts on (default: the one named "default",
/// else the first in routing order — the account `upstream show` and the console's Upstream page show).
QCommandLineOption accountOption()
{
    return QCommandLineOption(
        QStringLiteral("account"),
        QStringLiteral("The account (name or id); default: \"default\", else the first."),
        QStringLiteral("NAME"));
}

int set(CommandEnvironment &environment, const QStringList &arguments)
{
    const QString command = QStringLiteral("upstream set");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Set the upstream and its token (from stdin or a variable)."));
    const QCommandLineOption kind(QStringLiteral("kind"), QStringLiteral("codex or openai."), QStringLiteral("KIND"));
    const QCommandLineOption baseUrl(QStringLiteral("base-url"), QStringLiteral("Upstream base URL."),
                                     QStringLiteral("URL"));
    const QCommandLineOption accountId(QStringLiteral("account-id"), QStringLiteral("ChatGPT account id (codex)."),
                                       QStringLiteral("ID"));
    const TokenOptions token;
    const QCommandLineOption account = accountOption();
    parser.addOptions({kind, baseUrl, accountId, account});
    token.addTo(parser);
    if (const auto exit = parseCommand(parser, command, arguments, 0, 0))
        return *exit;
    if (!parser.isSet(kind) || !parser.isSet(baseUrl))
        return usageError(QStringLiteral("--kind and --base-url are required"), command);
    bool kindOk = false;
    const auto parsedKind = Proxy::UpstreamConfig::kindFromName(parser.value(kind), &kindOk);
    if (!kindOk || parsedKind == Proxy::UpstreamConfig::Kind::None)
        return usageError(QStringLiteral("--kind must be codex or openai"), command);
    if (const auto exit = token.requireOne(parser, command))
        return *exit;
    const Result<QUrl> url = parseHttpUrl(parser.value(baseUrl), QStringLiteral("--base-url"));
    if (!url)
        return usageError(url.error(), command);
    const Result<QByteArray> secret = token.read(parser);
    if (!secret)
        return fail(secret.error());
    UpstreamService service(environment.database(), environment.secrets(), parser.value(account));
    const Status status = service.set(parsedKind, url.value(), parser.value(accountId), secret.value());
    if (!status)
        return fail(status.error());
    const auto edited = service.shownAccount();
    printLine(QStringLiteral("upstream set: %1 %2 (account \"%3\")")
                  .arg(Proxy::UpstreamConfig::kindName(parsedKind), url.value().toString(),
                       edited && edited.value() ? edited.value()->name : QString()));
    return ExitOk;
}

int importCodexAuth(CommandEnvironment &environment, const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption account = accountOption();
    parser.addOption(account);
    parser.addPositionalArgument(QStringLiteral("path"), QStringLiteral("auth.json (default ~/.codex/auth.json)."),
                                 QStringLiteral("[PATH]"));
    if (const auto exit = parseCommand(parser, QStringLiteral("upstream import-codex-auth"), arguments, 0, 1))
        return *exit;
    const QString path = parser.positionalArguments().value(0);
    UpstreamService service(environment.database(), environment.secrets(), parser.value(account));
    const Status status = service.importCodexAuth(path);
    if (!status)
        return fail(status.error());
    const auto imported = service.shownAccount();
    printLine(QStringLiteral("imported Codex credentials from %1 into account \"%2\"")
                  .arg(path.isEmpty() ? UpstreamService::defaultCodexAuthPath() : path,
                       imported && imported.value() ? imported.value()->name : QString()));
    return ExitOk;
}

int show(CommandEnvironment &environment, const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption account = accountOption();
    parser.addOption(account);
    if (const auto exit = parseCommand(parser, QStringLiteral("upstream show"), arguments, 0, 0))
        return *exit;
    const Result<UpstreamInfo> info =
        UpstreamService(environment.database(), environment.secrets(), parser.value(account)).show();
    if (!info)
        return fail(info.error());
    if (!info.value().configured) {
        printLine(QStringLiteral("kind: none"));
        printLine(QStringLiteral("token: missing"));
        return ExitOk;
    }
    const UpstreamRow &row = info.value().row;
    const auto stored = [](bool present) { return present ? QStringLiteral("stored") : QStringLiteral("missing"); };
    printLine(QStringLiteral("account: ") + row.name);
    printLine(QStringLiteral("kind: ") + Proxy::UpstreamConfig::kindName(row.kind));
    printLine(QStringLiteral("base_url: ") + row.baseUrl.toString());
    printLine(QStringLiteral("account_id: ") + (row.accountId.isEmpty() ? QStringLiteral("-") : row.accountId));
    printLine(QStringLiteral("updated_at: ") + displayTime(row.updatedAt));
    if (!info.value().secretProblem.isEmpty()) {
        printLine(QStringLiteral("token: unknown"));
        return fail(info.value().secretProblem);
    }
    printLine(QStringLiteral("token: ") + stored(info.value().tokenStored));
    printLine(QStringLiteral("refresh_token: ") + stored(info.value().refreshTokenStored));
    return ExitOk;
}

} // namespace

int runUpstreamCommand(const CliContext &context, const QStringList &arguments)
{
    const QStringList actions = {QStringLiteral("set"), QStringLiteral("import-codex-auth"), QStringLiteral("show")};
    if (arguments.isEmpty())
        return usageError(QStringLiteral("missing upstream action (%1)").arg(actions.join(u'|')),
                          QStringLiteral("upstream"));
    if (arguments.constFirst() == u"--help" || arguments.constFirst() == u"-h") {
        printLine(QStringLiteral("Usage: keygate upstream %1 ...").arg(actions.join(u'|')));
        return ExitOk;
    }
    const QString action = arguments.constFirst();
    if (!actions.contains(action))
        return usageError(QStringLiteral("unknown upstream action \"%1\"").arg(action), QStringLiteral("upstream"));
    CommandEnvironment environment(context);
    if (!environment.openDatabase() || !environment.openSecrets())
        return ExitError;
    if (action == u"set")
        return set(environment, arguments.mid(1));
    if (action == u"import-codex-auth")
        return importCodexAuth(environment, arguments.mid(1));
    return show(environment, arguments.mid(1));
}

} // namespace Core
