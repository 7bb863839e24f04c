// SPDX-License-Identifier: MIT
#include "app/cli/CliApplication.h"

#include "app/cli/AccountsCommand.h"
#include "app/cli/BackupCommand.h"
#include "app/cli/CliOutput.h"
#include "app/cli/DoctorCommand.h"
#include "app/cli/ImportCommand.h"
#include "app/cli/KeysCommand.h"
#include "app/cli/RestoreCommand.h"
#include "app/cli/ServeCommand.h"
#include "app/cli/SettingsCommand.h"
#include "app/cli/UpstreamCommand.h"
#include "app/cli/UsageCommand.h"

#include "proxy/policy/KeyPolicy.h"

#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>

namespace Core {

namespace {

using namespace Cli;

QString helpText()
{
    return QStringLiteral(
        "Usage: keygate [--data-dir DIR] [--secrets keychain|file] [COMMAND ...]\n"
        "\n"
        "Keygate: a local proxy for LLM coding clients with its own API keys.\n"
        "Without a command it opens the admin console (with a display) or runs `serve` (without).\n"
        "\n"
        "Commands:\n"
        "  serve                                   run the proxy\n"
        "  keys create --name NAME [--expires ISO-8601] [--note TEXT]\n"
        "  keys list [--json]\n"
        "  keys show|disable|enable|delete|regenerate|reveal ID_OR_NAME\n"
        "  keys limit ID_OR_NAME add --type tokens|input|output|cost --window 5h|day|week|month --max N [--model M]\n"
        "  keys limit ID_OR_NAME list [--json] | remove LIMIT_ID\n"
        "  keys models ID_OR_NAME --allow MODEL,... | --clear\n"
        "  keys efforts ID_OR_NAME --allow EFFORT,... | --clear   (%2)\n"
        "  keys reset-usage ID_OR_NAME [--limit LIMIT_ID] [--json]   restart its limit windows from now\n"
        "  accounts list [--json]\n"
        "  accounts login [--device | --paste] [--name NAME]   sign in to ChatGPT\n"
        "  accounts import [PATH] [--name NAME] [--base-url URL]   a Codex CLI auth.json (default\n"
        "                                          ~/.codex/auth.json); URL: another ChatGPT backend\n"
        "  accounts add-openai --name NAME --base-url URL [--ca-file PEM] (--token-stdin | --token-env VAR)\n"
        "  accounts set-token NAME (--token-stdin | --token-env VAR)\n"
        "  accounts set-ca NAME --ca-file PEM | --clear   a company CA trusted besides the system's\n"
        "  accounts pause|resume|remove NAME\n"
        "  upstream set --kind codex|openai --base-url URL [--account-id ID] (--token-stdin | --token-env VAR)\n"
        "  upstream import-codex-auth [PATH]\n"
        "  upstream show\n"
        "  settings set require-key true|false\n"
        "  settings set listen HOST:PORT\n"
        "  settings set allowed-origins ORIGIN,...   web pages allowed to use the proxy (default none)\n"
        "  settings set auth-failure-budget N        failed key attempts per peer and minute (default 30)\n"
        "  settings set x-api-key-fallback always|placeholder-only|never   when x-api-key may decide\n"
        "  settings set metrics-access loopback|key|off   who may read GET /metrics (default loopback)\n"
        "  settings show\n"
        "  usage [--json]\n"
        "  doctor [--json] [--timeout SECONDS]       check the secret store, database, listen address,\n"
        "                                          accounts, clock and pricing; non-zero exit on a failure\n"
        "  backup FILE [--with-secrets] [--json]   one file: database, and secrets encrypted with a\n"
        "                                          passphrase (KEYGATE_BACKUP_PASSPHRASE or stdin)\n"
        "  restore FILE [--force] [--skip-secrets] [--json]   into an empty data dir (--force: move\n"
        "                                          the old one to DIR.replaced-<time>)\n"
        "  import codex-lb --db PATH [--dry-run] [--json]   codex-lb's keys, limits and counts; they keep\n"
        "                                          working with their sk-clb- keys (codex-lb's file is only read)\n"
        "\n"
        "Global options (also environment variables):\n"
        "  --data-dir DIR       data directory (KEYGATE_DATA_DIR; default %1)\n"
        "  --secrets BACKEND    keychain or file (KEYGATE_SECRETS; default keychain)\n"
        "  -h, --help           show this help\n"
        "  -V, --version        show the version\n"
        "\n"
        "Plaintext keys are printed on the last line of stdout; messages go to stderr.\n"
        "Exit status: 0 success, 1 error, 2 usage error.")
        .arg(QDir::toNativeSeparators(defaultCliContext().dataDir),
             Proxy::knownReasoningEfforts().join(QStringLiteral(", ")));
}

// Takes "--name VALUE" or "--name=VALUE" at @p index; advances @p index past the value.
std::optional<QString> takeValue(const QStringList &arguments, qsizetype &index, const QString &name, bool *matched)
{
    const QString argument = arguments.at(index);
    *matched = false;
    if (argument == name) {
        *matched = true;
        if (index + 1 >= arguments.size())
            return std::nullopt;
        return arguments.at(++index);
    }
    if (argument.startsWith(name + u'=')) {
        *matched = true;
        return argument.mid(name.size() + 1);
    }
    return std::nullopt;
}

} // namespace

CliContext defaultCliContext()
{
    CliContext context;
    const QString dataDir = qEnvironmentVariable("KEYGATE_DATA_DIR");
    context.dataDir = dataDir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) : dataDir;
    const QString secrets = qEnvironmentVariable("KEYGATE_SECRETS");
    if (!secrets.isEmpty())
        context.secrets = secrets;
    return context;
}

Invocation parseInvocation(const QStringList &arguments)
{
    Invocation invocation;
    invocation.context = defaultCliContext();
    CliContext &context = invocation.context;
    QString &command = invocation.command;
    QStringList &rest = invocation.rest;
    const auto finish = [&invocation](int exitCode) {
        invocation.exitCode = exitCode;
        return invocation;
    };
    // Global options are accepted anywhere on the line (before the first "--").
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == u"--") {
            rest += arguments.mid(i);
            break;
        }
        bool matched = false;
        for (const QString &name : {QStringLiteral("--data-dir"), QStringLiteral("--secrets")}) {
            const std::optional<QString> value = takeValue(arguments, i, name, &matched);
            if (!matched)
                continue;
            if (!value || value->isEmpty())
                return finish(usageError(QStringLiteral("%1 needs a value").arg(name)));
            (name == u"--data-dir" ? context.dataDir : context.secrets) = *value;
            break;
        }
        if (matched)
            continue;
        if (command.isEmpty()) {
            if (argument == u"--help" || argument == u"-h" || argument == u"help") {
                printLine(helpText());
                return finish(ExitOk);
            }
            if (argument == u"--version" || argument == u"-V") {
                printLine(QStringLiteral("keygate ") + QCoreApplication::applicationVersion());
                return finish(ExitOk);
            }
            if (argument.startsWith(u'-'))
                return finish(usageError(QStringLiteral("unknown option \"%1\"").arg(argument)));
            command = argument;
            continue;
        }
        rest.append(argument);
    }
    if (context.secrets != u"keychain" && context.secrets != u"file")
        return finish(usageError(QStringLiteral("--secrets must be keychain or file, got \"%1\"").arg(context.secrets)));
    if (context.dataDir.isEmpty())
        return finish(usageError(QStringLiteral("no data directory (use --data-dir DIR)")));
    context.dataDir = QDir(context.dataDir).absolutePath();
    return invocation;
}

int runCli(const Invocation &invocation)
{
    if (invocation.exitCode)
        return *invocation.exitCode;
    const CliContext &context = invocation.context;
    const QString &command = invocation.command;
    const QStringList &rest = invocation.rest;
    if (command.isEmpty()) {
        note(QStringLiteral("no display: starting headless (keygate serve)"));
        return runServeCommand(context, rest);
    }

    if (command == u"keys")
        return runKeysCommand(context, rest);
    if (command == u"upstream")
        return runUpstreamCommand(context, rest);
    if (command == u"accounts")
        return runAccountsCommand(context, rest);
    if (command == u"settings")
        return runSettingsCommand(context, rest);
    if (command == u"usage")
        return runUsageCommand(context, rest);
    if (command == u"doctor")
        return runDoctorCommand(context, rest);
    if (command == u"serve")
        return runServeCommand(context, rest);
    if (command == u"backup")
        return runBackupCommand(context, rest);
    if (command == u"restore")
        return runRestoreCommand(context, rest);
    if (command == u"import")
        return runImportCommand(context, rest);
    return usageError(QStringLiteral("unknown command \"%1\"").arg(command));
}

} // namespace Core
